"""The call's deadline (KH 361/KH-BGDĐT §V.1): after it a department can no longer nominate;
the organising ministry unit still can; withdrawing stays open."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from boiduong.events import services
from boiduong.events.choices import NominationStatus as S
from boiduong.events.models import Nomination

from . import factories as f

TODAY = timezone.localdate()


def _call(course, deadline):
    return services.call_issue(
        actor=None,
        course=course,
        title="V/v cử tham dự",
        issued_on=deadline - dt.timedelta(days=10),
        deadline=deadline,
    )


@pytest.fixture
def late(world):
    """A course whose call closed yesterday, with one draft made before the call."""
    course = f.course(capacity=10)
    quota = f.quota(course, seats=4)
    draft = services.nomination_create(actor=world.user("so.hanoi"), quota=quota, person=f.person())
    _call(course, TODAY - dt.timedelta(days=1))
    return course, quota, draft


def test_after_the_deadline_a_department_can_neither_add_nor_submit(late, world):
    course, quota, draft = late
    officer = world.user("so.hanoi")
    with pytest.raises(ValidationError, match="Đã hết hạn cử"):
        services.nomination_create(actor=officer, quota=quota, person=f.person())
    with pytest.raises(ValidationError, match="Đã hết hạn cử"):
        services.nomination_submit(actor=officer, nomination=draft)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    withdrawn = services.nomination_withdraw(actor=officer, nomination=draft, reason="ốm")
    assert withdrawn.status == S.WITHDRAWN


def test_the_ministry_and_the_system_still_can(late, world):
    course, quota, draft = late
    submitted = services.nomination_submit(actor=world.user("admin"), nomination=draft)
    assert submitted.status == S.SUBMITTED
    late_one = services.nomination_nominate(actor=None, quota=quota, person=f.person())
    assert late_one.status == S.SUBMITTED


def test_the_deadline_day_itself_is_open_and_a_later_call_extends_it(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=4)
    _call(course, TODAY - dt.timedelta(days=3))
    officer = world.user("so.hanoi")
    with pytest.raises(ValidationError):
        services.nomination_nominate(actor=officer, quota=quota, person=f.person())
    _call(course, TODAY)  # a second công văn extends the deadline to today
    made = services.nomination_nominate(actor=officer, quota=quota, person=f.person())
    assert made.status == S.SUBMITTED


def test_nominate_page_says_it_is_closed_in_vietnamese_and_hides_the_buttons(late, world):
    course, quota, draft = late
    client = world.client_for("so.hanoi")
    url = f"/events/{course.pk}/nominate/{quota.department_id}/"
    page = client.get(url).content.decode()
    assert 'data-testid="deadline-passed"' in page and "Đã hết hạn cử" in page
    assert 'data-testid="add"' not in page and 'data-testid="submit-all"' not in page
    person = f.person()
    response = client.post(
        url, {"action": "add", "person": person.pk, "audience": "gv_cot_can"}, follow=True
    )
    assert "Đã hết hạn cử" in response.content.decode()
    assert not Nomination.objects.filter(person=person).exists()
    admin_page = world.client_for("admin").get(url).content.decode()
    assert 'data-testid="deadline-passed"' not in admin_page and 'data-testid="add"' in admin_page


def test_upload_after_the_deadline_is_refused_before_reading_the_file(late, world):
    course, quota, _ = late
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "danh-sach.xlsx"
    response = world.client_for("so.hanoi").post(
        f"/events/{course.pk}/nominate/{quota.department_id}/upload/", {"file": buffer}
    )
    assert "Đã hết hạn cử" in response.content.decode()


def test_api_nomination_after_the_deadline_is_a_400(late, world):
    course, quota, _ = late
    response = world.client_for("so.hanoi").post(
        "/api/nominations/",
        {"quota": quota.pk, "person": f.person().pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Đã hết hạn cử" in response.content.decode()
