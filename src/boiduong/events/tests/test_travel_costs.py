"""The sending department pays its participants' travel (KH 361/KH-BGDĐT §V.5): it records
the cost on its nominate page, and the results report adds it up per department."""

import datetime as dt
import io

import openpyxl
from django.utils import timezone

from boiduong.events import services
from boiduong.events.models import Nomination

from . import factories as f


def _confirmed(world):
    course = f.course(capacity=10)
    hanoi = f.quota(course, seats=4)
    camau = f.quota(course, "SGD96-2025", seats=2)
    made = [services.nomination_nominate(actor=None, quota=hanoi, person=f.person()) for _ in "ab"]
    other = services.nomination_nominate(
        actor=None, quota=camau, person=f.person(department_code="SGD96-2025")
    )
    for nomination in [*made, other]:
        services.nomination_confirm(actor=None, nomination=nomination)
    # the deadline has passed: recording travel stays open
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.call_issue(
        actor=None, course=course, title="V/v cử", issued_on=yesterday, deadline=yesterday
    )
    return course, hanoi.department, made, other


def test_department_records_travel_costs_and_the_report_adds_them_up(world):
    course, hanoi, (first, second), other = _confirmed(world)
    client = world.client_for("so.hanoi")
    url = f"/events/{course.pk}/nominate/{hanoi.pk}/"
    assert f'data-testid="travel-{first.pk}"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "action": "travel",
            f"travel-{first.pk}": "1.200.000",
            f"travel-{second.pk}": "850000",
            f"travel-{other.pk}": "999",  # another department's: ignored
        },
        follow=True,
    )
    assert "2" in response.content.decode()
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.travel_cost == 1_200_000 and other.travel_cost is None

    report = client.get(f"/events/{course.pk}/report/").content.decode()
    assert "2.050.000" in report  # Hà Nội's row and the total
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/events/{course.pk}/report/?export=xlsx").content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Chi phí đi lại do Sở chi trả (đồng)"
    assert int(rows[-1][-1]) == 2_050_000


def test_a_cost_that_is_not_a_number_is_refused_in_vietnamese(world):
    course, hanoi, (first, _), _ = _confirmed(world)
    response = world.client_for("so.hanoi").post(
        f"/events/{course.pk}/nominate/{hanoi.pk}/",
        {"action": "travel", f"travel-{first.pk}": "một triệu"},
        follow=True,
    )
    assert "số nguyên" in response.content.decode()
    assert Nomination.objects.get(pk=first.pk).travel_cost is None


def test_the_demo_report_shows_what_the_departments_paid(world):
    from boiduong.core.text import money
    from boiduong.events.models import Course

    mb = Course.objects.get(code="361-MB")
    paid = mb.nominations.filter(status="confirmed", travel_cost__gt=0)
    assert {n.department.code for n in paid} == {"SGD31", "SGD19"}  # Hà Nội hosts
    total = sum(n.travel_cost for n in paid)
    report = world.client_for("cuc.ngcbqlgd").get(f"/events/{mb.pk}/report/").content.decode()
    assert f'data-testid="travel-total">{money(total)}<' in report
