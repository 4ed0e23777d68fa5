"""The waitlist: a seat that frees up or is added goes to the first submitted, by itself; an
officer (the department or the ministry) may move a nomination off the waitlist by hand when a
seat is free — through the nomination page and the API, never past the quota or the course,
also when two officers press at once (PostgreSQL)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import F

from boiduong.core import audit
from boiduong.events import services
from boiduong.events.choices import Audience
from boiduong.events.choices import NominationStatus as S
from boiduong.events.models import Course, Nomination, Quota

from . import factories as f

MINISTRY, OFFICER, CAMAU, TRAINER = "cuc.ngcbqlgd", "so.hanoi", "so.camau", "giangvien"


def _waitlist(*, seats=1, capacity=10, waiting=2):
    """A course whose Hà Nội quota is full (`seats` submitted) with `waiting` on its waitlist."""
    course = f.course(capacity=capacity)
    quota = f.quota(course, seats=seats)
    for _ in range(seats):
        services.nomination_nominate(actor=None, quota=quota, person=f.person())
    waitlisted = [
        services.nomination_nominate(actor=None, quota=quota, person=f.person())
        for _ in range(waiting)
    ]
    assert {n.status for n in waitlisted} == {S.WAITLISTED}
    return course, quota, waitlisted


def _free_a_seat_outside_the_services(quota, seats=1):
    """A free seat with people still waiting: a quota raised before seats went to the waitlist
    by themselves, or edited outside the services. The officer's button is for this."""
    Quota.objects.filter(pk=quota.pk).update(seats=F("seats") + seats)


def _status(nomination):
    nomination.refresh_from_db()
    return nomination.status


def _held(quota):
    quota.refresh_from_db()
    quota.course.refresh_from_db()
    return quota.seats_held, quota.course.seats_held


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def _api(nomination):
    return f"/api/nominations/{nomination.pk}/promote/"


def _page(nomination):
    return f"/events/nominations/{nomination.pk}/act/"


# --- by itself: the first submitted gets the seat --------------------------------------------


def test_a_raised_quota_goes_to_the_first_submitted_not_the_first_created(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=1)
    services.nomination_nominate(actor=None, quota=quota, person=f.person())
    early_draft, late_draft, last_draft = (
        services.nomination_create(actor=None, quota=quota, person=f.person()) for _ in "abc"
    )
    for draft in (late_draft, early_draft, last_draft):  # submitted in this order
        services.nomination_submit(actor=None, nomination=draft)
    assert {_status(n) for n in (early_draft, late_draft, last_draft)} == {S.WAITLISTED}

    services.quota_set(actor=world.user(MINISTRY), quota=quota, seats=3)

    assert [_status(n) for n in (late_draft, early_draft, last_draft)] == [
        S.SUBMITTED,
        S.SUBMITTED,
        S.WAITLISTED,
    ]
    assert _held(quota) == (3, 3)
    assert audit.history(late_draft).first().reason == services.PROMOTED


def test_a_raised_capacity_goes_to_the_waitlist_across_quotas_in_submission_order(world):
    course = f.course(capacity=2)
    teachers = f.quota(course, seats=5)
    managers = f.quota(course, seats=5, audience=Audience.CORE_MANAGER)
    for _ in range(2):
        services.nomination_nominate(actor=None, quota=teachers, person=f.person())
    manager = services.nomination_nominate(
        actor=None, quota=managers, person=f.person(core=Audience.CORE_MANAGER)
    )
    teacher = services.nomination_nominate(actor=None, quota=teachers, person=f.person())
    assert (_status(manager), _status(teacher)) == (S.WAITLISTED, S.WAITLISTED)

    services.course_update(actor=None, course=course, capacity=3)

    assert (_status(manager), _status(teacher)) == (S.SUBMITTED, S.WAITLISTED)
    course.refresh_from_db()
    assert course.seats_held == course.capacity == 3
    assert services.seats_recount(course=course)["course"] == 3


def test_a_withdrawal_promotes_the_first_and_tells_the_department(
    world, django_capture_on_commit_callbacks
):
    officer = world.user(OFFICER)
    officer.email = "so.hanoi@hanoi.edu.vn"
    officer.save()
    course, quota, (first, second) = _waitlist()
    holder = Nomination.objects.get(quota=quota, status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_withdraw(actor=officer, nomination=holder, reason="Ốm")
    assert (_status(first), _status(second)) == (S.SUBMITTED, S.WAITLISTED)
    sent = [m for m in mail.outbox if "danh sách chờ" in m.subject]
    assert len(sent) == 1 and sent[0].to == ["so.hanoi@hanoi.edu.vn"]
    assert first.person.full_name in sent[0].body and course.code in sent[0].subject


def test_a_completed_course_promotes_no_one(world):
    course, quota, (first, _second) = _waitlist()
    holder = Nomination.objects.get(quota=quota, status=S.SUBMITTED)
    services.course_complete(actor=None, course=course)
    services.nomination_withdraw(actor=None, nomination=holder)
    assert _status(first) == S.WAITLISTED
    with pytest.raises(ValidationError):
        services.nomination_promote(actor=None, nomination=first)


# --- by hand: the service --------------------------------------------------------------------


def test_the_department_or_the_ministry_promote_within_scope(world):
    _course, quota, (first, second) = _waitlist()
    _free_a_seat_outside_the_services(quota)
    with pytest.raises(PermissionDenied):
        services.nomination_promote(actor=world.user(CAMAU), nomination=second)
    with pytest.raises(PermissionDenied):
        services.nomination_promote(actor=world.user(TRAINER), nomination=second)
    promoted = services.nomination_promote(actor=world.user(OFFICER), nomination=second)
    assert promoted.status == S.SUBMITTED and _status(first) == S.WAITLISTED  # the officer chose
    assert _held(quota) == (2, 2)
    _free_a_seat_outside_the_services(quota)
    assert services.nomination_promote(actor=world.user(MINISTRY), nomination=first).status == (
        S.SUBMITTED
    )
    with pytest.raises(ValidationError, match="danh sách chờ"):  # no longer waitlisted
        services.nomination_promote(actor=world.user(MINISTRY), nomination=first)


# --- by hand: the API ------------------------------------------------------------------------


def test_promoting_through_the_api_when_a_seat_is_free(world):
    _course, quota, (first, _second) = _waitlist()
    _free_a_seat_outside_the_services(quota)
    response = _post(world.client_for(OFFICER), _api(first))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == S.SUBMITTED and response.json()["id"] == first.pk
    assert _held(quota) == (2, 2)
    assert audit.history(first).first().actor == world.user(OFFICER)


def test_promoting_when_full_is_refused_in_vietnamese(world):
    _course, quota, (first, _second) = _waitlist()
    refused = _post(world.client_for(MINISTRY), _api(first))
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": [
            "Không còn chỗ trống: chỉ tiêu của Sở Giáo dục và Đào tạo Hà Nội đã dùng 1/1 chỗ."
        ]
    }
    course = f.course(capacity=1)  # the course is the binding limit this time
    teachers = f.quota(course, seats=5)
    services.nomination_nominate(actor=None, quota=teachers, person=f.person())
    waiting = services.nomination_nominate(actor=None, quota=teachers, person=f.person())
    full = _post(world.client_for(OFFICER), _api(waiting))
    assert full.json() == {"detail": ["Không còn chỗ trống: lớp đã dùng 1/1 chỗ."]}
    assert _status(first) == _status(waiting) == S.WAITLISTED
    assert _held(quota) == (1, 1)
    english = world.client_for(OFFICER).post(
        _api(waiting), {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.json() == {"detail": ["No seat is free: the course holds 1 of its 1 seats."]}


def test_promoting_through_the_api_follows_the_scope(world):
    _course, quota, (first, _second) = _waitlist()
    _free_a_seat_outside_the_services(quota)
    assert _post(world.client_for(None), _api(first)).status_code in {401, 403}
    assert _post(world.client_for(CAMAU), _api(first)).status_code == 404
    assert _post(world.client_for(TRAINER), _api(first)).status_code == 403
    assert _post(world.client_for("giaovien"), _api(first)).status_code == 403
    assert _status(first) == S.WAITLISTED
    submitted = Nomination.objects.get(quota=quota, status=S.SUBMITTED)
    not_waiting = _post(world.client_for(OFFICER), _api(submitted))
    assert not_waiting.json() == {"detail": ["Chỉ chuyển được người đang trong danh sách chờ."]}


# --- by hand: the nomination page ------------------------------------------------------------


def test_the_nomination_page_offers_the_button_with_a_confirmation(world):
    _course, quota, (first, _second) = _waitlist()
    page = world.client_for(OFFICER).get(first.get_absolute_url()).content.decode()
    assert 'data-testid="promote"' in page and "Chuyển khỏi danh sách chờ" in page
    assert "return confirm(this.dataset.confirm)" in page
    assert 'title="Chỉ tiêu hoặc lớp không còn chỗ trống."' in page  # full: disabled
    _free_a_seat_outside_the_services(quota)
    page = world.client_for(MINISTRY).get(first.get_absolute_url()).content.decode()
    assert 'data-testid="promote"' in page and "Chỉ tiêu: đã dùng 1/2 chỗ." in page
    assert "không còn chỗ trống" not in page
    assert 'data-testid="promote"' not in (
        world.client_for("giangvien").get(first.get_absolute_url()).content.decode()
    )


def test_a_closed_course_offers_no_move_on_its_nominations(world):
    """Found on a screenshot: the demo's completed course still offered "move off the
    waitlist" and the ministry's decision, which the services then refused."""
    course, quota, (first, _second) = _waitlist()
    _free_a_seat_outside_the_services(quota)
    services.course_complete(actor=None, course=course)
    for username in (OFFICER, MINISTRY):
        page = world.client_for(username).get(first.get_absolute_url()).content.decode()
        assert 'data-testid="course-closed"' in page
        assert "Lớp đã hoàn thành: không nhận cử tham dự nữa." in page
        assert 'data-testid="promote"' not in page
        assert 'id="ministry-actions"' not in page and 'value="withdraw"' not in page


def test_promoting_through_the_page(world):
    _course, quota, (first, second) = _waitlist()
    officer = world.client_for(OFFICER)
    refused = officer.post(_page(first), {"action": "promote"}, follow=True)
    assert "Không còn chỗ trống" in refused.content.decode()
    assert _status(first) == S.WAITLISTED
    _free_a_seat_outside_the_services(quota)
    assert world.client_for(CAMAU).post(_page(first), {"action": "promote"}).status_code == 404
    assert world.client_for(TRAINER).post(_page(first), {"action": "promote"}).status_code == 403
    done = officer.post(_page(second), {"action": "promote"})
    assert done.status_code == 302 and done["Location"] == second.get_absolute_url()
    assert (_status(first), _status(second)) == (S.WAITLISTED, S.SUBMITTED)
    _free_a_seat_outside_the_services(quota)
    ministry = world.client_for(MINISTRY).post(_page(first), {"action": "promote"})
    assert ministry.status_code == 302 and _status(first) == S.SUBMITTED
    assert _held(quota) == (3, 3)


# --- the other nomination gaps of the API ----------------------------------------------------


def test_the_api_adds_a_draft_and_shows_the_decision(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=2)
    officer = world.client_for(OFFICER)
    person = f.person()
    draft = _post(
        officer, "/api/nominations/", {"quota": quota.pk, "person": person.pk, "submit": False}
    )
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == S.DRAFT and "submit" not in draft.json()
    assert _held(quota) == (0, 0)
    nomination = Nomination.objects.get(pk=draft.json()["id"])
    assert _post(officer, f"/api/nominations/{nomination.pk}/submit/").json()["status"] == (
        S.SUBMITTED
    )
    _post(
        world.client_for(MINISTRY),
        f"/api/nominations/{nomination.pk}/reject/",
        {"reason": "Không đúng đối tượng."},
    )
    seen = officer.get(f"/api/nominations/{nomination.pk}/").json()
    assert seen["status"] == S.REJECTED
    assert seen["decision_reason"] == "Không đúng đối tượng." and seen["decided_at"]
    assert seen["substitute_for"] is None


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------

THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_promotions_never_overbook_the_last_seat():
    """8 officers move 8 waitlisted nominations off the waitlist at the same moment while one
    seat is free: exactly one gets it, the others are refused, the counters stay at the
    limit. Each thread has its own connection, opened before the barrier."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write transaction")
    f.reference_world()
    course, quota, waiting = _waitlist(seats=3, capacity=20, waiting=THREADS)
    _free_a_seat_outside_the_services(quota)
    race = f.race(lambda n: services.nomination_promote(actor=None, nomination=n).status, waiting)
    outcomes, refusals = race.results, race.refusals
    assert not race.errors, race.errors[:3]
    assert outcomes == [S.SUBMITTED] and len(refusals) == THREADS - 1
    quota.refresh_from_db()
    course = Course.objects.get(pk=course.pk)
    assert quota.seats_held == quota.seats == 4 and course.seats_held == 4
    assert Nomination.objects.filter(quota=quota, status=S.WAITLISTED).count() == THREADS - 1
    assert services.seats_recount(course=course)["course"] == 4


# --- by hand: from the lists -----------------------------------------------------------------


def _nominate_page(quota):
    return f"/events/{quota.course_id}/nominate/{quota.department_id}/"


def _list_page(course):
    return f"/events/{course.pk}/nominations/"


def test_the_lists_offer_the_button_only_with_a_seat_free(world):
    course, quota, (first, second) = _waitlist()
    for client, url in (
        (world.client_for(OFFICER), _nominate_page(quota)),
        (world.client_for(MINISTRY), _list_page(course)),
    ):
        assert 'data-testid="promote-' not in client.get(url).content.decode()  # full
    _free_a_seat_outside_the_services(quota)
    for client, url in (
        (world.client_for(OFFICER), _nominate_page(quota)),
        (world.client_for(OFFICER), _list_page(course)),
        (world.client_for(MINISTRY), _list_page(course)),
    ):
        page = client.get(url).content.decode()
        assert f'data-testid="promote-{first.pk}"' in page
        assert f'data-testid="promote-{second.pk}"' in page
        assert "Chuyển khỏi danh sách chờ" in page
        assert "return confirm(this.dataset.confirm)" in page
        assert f"Xếp chỗ trống cho {first.person.full_name} ngay" in page
    trainer = world.client_for(TRAINER).get(_list_page(course)).content.decode()
    assert 'data-testid="promote-' not in trainer  # sees the list, does not move anyone


def test_promoting_from_the_nominate_page_comes_back_to_it(world):
    _course, quota, (first, second) = _waitlist()
    _free_a_seat_outside_the_services(quota)
    officer = world.client_for(OFFICER)
    done = officer.post(_page(second), {"action": "promote", "next": _nominate_page(quota)})
    assert done.status_code == 302 and done["Location"] == _nominate_page(quota)
    assert (_status(first), _status(second)) == (S.WAITLISTED, S.SUBMITTED)
    page = officer.get(_nominate_page(quota)).content.decode()
    assert 'data-testid="promote-' not in page  # the free seat is taken


def test_the_lists_offer_no_move_on_a_closed_or_full_course(world):
    course, quota, (first, _second) = _waitlist(capacity=1)
    _free_a_seat_outside_the_services(quota)  # the quota has a seat, the course has none
    assert 'data-testid="promote-' not in (
        world.client_for(MINISTRY).get(_list_page(course)).content.decode()
    )
    services.course_update(actor=None, course=course, capacity=5)  # the seat goes by itself
    assert _status(first) == S.SUBMITTED
    _free_a_seat_outside_the_services(quota)
    services.course_complete(actor=None, course=course)
    for client, url in (
        (world.client_for(OFFICER), _nominate_page(quota)),
        (world.client_for(MINISTRY), _list_page(course)),
    ):
        assert 'data-testid="promote-' not in client.get(url).content.decode()


def test_the_buttons_cost_one_query_whatever_the_rows(world):
    from django.test.utils import CaptureQueriesContext

    def count(client, url):
        client.get(url)  # warm the per-user caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        return len(queries), page.count('data-testid="promote-')

    few_course, few_quota, _few = _waitlist(waiting=1)
    many_course, many_quota, _many = _waitlist(waiting=6)
    _free_a_seat_outside_the_services(few_quota)
    _free_a_seat_outside_the_services(many_quota)
    ministry, officer = world.client_for(MINISTRY), world.client_for(OFFICER)
    few, many = count(ministry, _list_page(few_course)), count(ministry, _list_page(many_course))
    assert (few[1], many[1]) == (1, 6) and few[0] == many[0]
    few = count(officer, _nominate_page(few_quota))
    many = count(officer, _nominate_page(many_quota))
    assert (few[1], many[1]) == (1, 6) and few[0] == many[0]
