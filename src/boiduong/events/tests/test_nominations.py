"""Nominations: the states, seats that are never overbooked, the waitlist, substitution,
exceptions, scope, e-mails. The concurrent test runs on PostgreSQL."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from boiduong.core.models import AuditEvent
from boiduong.events import services
from boiduong.events.choices import Audience
from boiduong.events.choices import NominationStatus as S
from boiduong.events.models import Course, Nomination, Quota
from boiduong.orgs.models import OrgUnit

from . import factories as f


def _held(quota):
    quota.refresh_from_db()
    quota.course.refresh_from_db()
    return quota.seats_held


@pytest.fixture
def setup(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=2)
    return course, quota


def test_submitting_takes_a_seat_until_the_quota_is_full_then_waitlists(setup, world):
    course, quota = setup
    officer = world.user("so.hanoi")
    made = [
        services.nomination_nominate(actor=officer, quota=quota, person=f.person())
        for _ in range(4)
    ]
    assert [n.status for n in made] == [S.SUBMITTED, S.SUBMITTED, S.WAITLISTED, S.WAITLISTED]
    assert _held(quota) == 2 and quota.course.seats_held == 2


def test_the_course_capacity_binds_across_quotas(world):
    course = f.course(capacity=3)
    hanoi = f.quota(course, seats=2)
    managers = f.quota(course, seats=2, audience=Audience.CORE_MANAGER)
    first = [services.nomination_nominate(actor=None, quota=hanoi, person=f.person()) for _ in "ab"]
    second = [
        services.nomination_nominate(
            actor=None, quota=managers, person=f.person(core=Audience.CORE_MANAGER)
        )
        for _ in "ab"
    ]
    assert [n.status for n in first + second] == [S.SUBMITTED] * 3 + [S.WAITLISTED]
    course.refresh_from_db()
    assert course.seats_held == 3


def test_a_freed_seat_goes_to_the_first_on_the_waitlist(setup, world):
    course, quota = setup
    ministry = world.user("cuc.ngcbqlgd")
    a, b, c, d = (
        services.nomination_nominate(actor=None, quota=quota, person=f.person()) for _ in range(4)
    )
    services.nomination_reject(actor=ministry, nomination=a, reason="Trùng lịch công tác")
    c.refresh_from_db(), d.refresh_from_db()
    assert (c.status, d.status) == (S.SUBMITTED, S.WAITLISTED)
    services.nomination_withdraw(actor=world.user("so.hanoi"), nomination=b, reason="Ốm")
    d.refresh_from_db()
    assert d.status == S.SUBMITTED and _held(quota) == 2
    assert AuditEvent.objects.filter(object_id=str(c.pk), reason=str(services.PROMOTED))


def test_substitution_keeps_the_seat_and_the_waitlist_waits(setup, world):
    course, quota = setup
    ministry, officer = world.user("cuc.ngcbqlgd"), world.user("so.hanoi")
    a = services.nomination_nominate(actor=officer, quota=quota, person=f.person())
    services.nomination_nominate(actor=officer, quota=quota, person=f.person())
    waiting = services.nomination_nominate(actor=officer, quota=quota, person=f.person())
    services.nomination_confirm(actor=ministry, nomination=a)
    newcomer = f.person(name="Trần Thị Thay")
    substitute = services.nomination_substitute(
        actor=officer, nomination=a, person=newcomer, reason="Nghỉ sinh"
    )
    a.refresh_from_db(), waiting.refresh_from_db()
    assert a.status == S.SUBSTITUTED and substitute.status == S.CONFIRMED
    assert substitute.substitute_for == a and substitute.quota == quota
    assert waiting.status == S.WAITLISTED and _held(quota) == 2


def test_an_ineligible_substitute_holds_the_seat_until_the_ministry_decides(setup, world):
    course, quota = setup
    ministry = world.user("cuc.ngcbqlgd")
    a = services.nomination_nominate(actor=None, quota=quota, person=f.person())
    services.nomination_confirm(actor=ministry, nomination=a)
    substitute = services.nomination_substitute(
        actor=None, nomination=a, person=f.person(result="khong_dat")
    )
    assert substitute.status == S.SUBMITTED and not substitute.is_eligible
    assert _held(quota) == 1


def test_confirming_an_ineligible_person_needs_an_exception_with_a_reason(setup, world):
    course, quota = setup
    ministry = world.user("cuc.ngcbqlgd")
    nomination = services.nomination_nominate(
        actor=None, quota=quota, person=f.person(result="khong_dat")
    )
    assert not nomination.is_eligible
    assert any(not note["ok"] for note in nomination.eligibility_notes)
    with pytest.raises(ValidationError):
        services.nomination_confirm(actor=ministry, nomination=nomination)
    with pytest.raises(ValidationError):
        services.nomination_override(actor=ministry, nomination=nomination, reason="  ")
    with pytest.raises(PermissionDenied):  # a department cannot grant itself an exception
        services.nomination_override(
            actor=world.user("so.hanoi"), nomination=nomination, reason="Xin ngoại lệ"
        )
    services.nomination_override(
        actor=ministry, nomination=nomination, reason="Chuyên gia đầu ngành của Sở"
    )
    services.nomination_confirm(actor=ministry, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == S.CONFIRMED and nomination.overridden_by == ministry
    event = AuditEvent.objects.filter(
        object_id=str(nomination.pk), reason__startswith="Chấp thuận ngoại lệ: "
    )
    assert event.get().actor == ministry


def test_a_person_is_nominated_once_per_course(setup, world):
    course, quota = setup
    person = f.person()
    services.nomination_nominate(actor=None, quota=quota, person=person)
    with pytest.raises(ValidationError, match="đã được cử|already nominated"):
        services.nomination_create(actor=None, quota=quota, person=person)


def test_a_department_nominates_only_its_own_people_on_its_own_quota(setup, world):
    course, quota = setup
    with pytest.raises(ValidationError):  # a Cà Mau teacher on Hà Nội's quota
        services.nomination_create(
            actor=None, quota=quota, person=f.person(department_code="SGD96-2025")
        )
    camau_quota = f.quota(course, "SGD96-2025", seats=2)
    with pytest.raises(PermissionDenied):
        services.nomination_create(
            actor=world.user("so.hanoi"),
            quota=camau_quota,
            person=f.person(department_code="SGD96-2025"),
        )


def test_the_2021_hanoi_quota_takes_people_filed_under_todays_department(world):
    mb = Course.objects.get(code="361-MB")
    assert Nomination.objects.filter(course=mb, department__code="SGD01").exists()
    quota = Quota.objects.get(course=mb, department__code="SGD01", audience="gv_cot_can")
    assert quota.seats_held == quota.seats == 4
    assert quota.nominations.filter(status=S.WAITLISTED).count() == 2


def test_confirmation_mails_the_person_and_the_department_on_commit(
    setup, world, django_capture_on_commit_callbacks
):
    officer = world.user("so.hanoi")
    officer.email = "so.hanoi@hanoi.edu.vn"
    officer.save()
    course, quota = setup
    nomination = services.nomination_nominate(
        actor=officer, quota=quota, person=f.person(email="co.giao@example.vn")
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.nomination_confirm(actor=world.user("cuc.ngcbqlgd"), nomination=nomination)
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"co.giao@example.vn", "so.hanoi@hanoi.edu.vn"}
    assert "Xác nhận tham dự" in mail.outbox[0].subject


def test_quota_and_capacity_cannot_drop_below_held_seats(setup, world):
    course, quota = setup
    services.nomination_nominate(actor=None, quota=quota, person=f.person())
    services.nomination_nominate(actor=None, quota=quota, person=f.person())
    with pytest.raises(ValidationError):
        services.quota_set(actor=None, quota=quota, seats=1)
    with pytest.raises(ValidationError):
        services.course_update(actor=None, course=course, capacity=1)


def test_the_database_itself_refuses_an_overbooked_counter(setup, world):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    course, quota = setup
    with pytest.raises(IntegrityError), transaction.atomic():
        Quota.objects.filter(pk=quota.pk).update(seats_held=F("seats") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(seats_held=F("capacity") + 1)


def test_counters_match_the_nominations_after_a_busy_day(setup, world):
    course, quota = setup
    ministry = world.user("cuc.ngcbqlgd")
    made = [
        services.nomination_nominate(actor=None, quota=quota, person=f.person()) for _ in "abcde"
    ]
    services.nomination_confirm(actor=ministry, nomination=made[0])
    services.nomination_withdraw(actor=None, nomination=made[0])
    services.nomination_reject(actor=ministry, nomination=made[3], reason="Không phù hợp")
    services.nomination_substitute(
        actor=None, nomination=_confirmed(made[1], ministry), person=f.person()
    )
    counts = services.seats_recount(course=course)
    course.refresh_from_db(), quota.refresh_from_db()
    assert counts["course"] == course.seats_held == quota.seats_held == counts[str(quota.pk)] == 2


def _confirmed(nomination, ministry):
    nomination.refresh_from_db()
    return services.nomination_confirm(actor=ministry, nomination=nomination)


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------

THREADS = 50
LAST_SEATS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_nominations_never_overbook_the_last_seats():
    """50 officers press "submit" at the same moment for the last 3 seats of a quota (and of
    the course): exactly 3 get a seat, the others are waitlisted, and neither the quota nor the
    course holds one seat more than it has. Each thread has its own database connection, opened
    before the barrier, so the race is the submission itself."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write transaction")
    f.reference_world()
    course = f.course(capacity=20)
    quota = f.quota(course, seats=10)
    other = f.quota(course, seats=10, audience=Audience.CORE_MANAGER)
    for _ in range(10 - LAST_SEATS):
        services.nomination_nominate(actor=None, quota=quota, person=f.person())
    for _ in range(10):
        services.nomination_nominate(
            actor=None, quota=other, person=f.person(core=Audience.CORE_MANAGER)
        )
    drafts = [
        services.nomination_create(actor=None, quota=quota, person=f.person())
        for _ in range(THREADS)
    ]
    course.refresh_from_db()
    assert course.seats_held == 17

    race = f.race(lambda d: services.nomination_submit(actor=None, nomination=d).status, drafts)
    outcomes = race.results
    assert not race.errors and not race.refusals, (race.errors + race.refusals)[:3]
    assert outcomes.count(S.SUBMITTED) == LAST_SEATS
    assert outcomes.count(S.WAITLISTED) == THREADS - LAST_SEATS
    quota.refresh_from_db(), course.refresh_from_db()
    assert quota.seats_held == quota.seats == 10
    assert course.seats_held == 20 == course.capacity
    assert (
        Nomination.objects.filter(quota=quota, status__in=[S.SUBMITTED, S.CONFIRMED]).count() == 10
    )
    assert services.seats_recount(course=course)["course"] == 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_overbook_attempts_on_the_course_capacity():
    """The course is the binding limit this time: 50 submissions spread over two quotas with
    room to spare race for the course's last 2 seats."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write transaction")
    f.reference_world()
    course = f.course(capacity=6)
    teachers = f.quota(course, seats=40)
    managers = f.quota(course, seats=40, audience=Audience.CORE_MANAGER)
    for _ in range(4):
        services.nomination_nominate(actor=None, quota=teachers, person=f.person())
    drafts = [
        services.nomination_create(
            actor=None,
            quota=teachers if i % 2 else managers,
            person=f.person(core=Audience.CORE_TEACHER if i % 2 else Audience.CORE_MANAGER),
        )
        for i in range(50)
    ]
    race = f.race(lambda d: services.nomination_submit(actor=None, nomination=d).status, drafts)
    assert not race.errors and not race.refusals, (race.errors + race.refusals)[:3]
    outcomes = race.results
    course.refresh_from_db()
    assert outcomes.count(S.SUBMITTED) == 2 and len(outcomes) == 50
    assert course.seats_held == course.capacity == 6
    teachers.refresh_from_db(), managers.refresh_from_db()
    assert teachers.seats_held + managers.seats_held == 6


def test_departments_of_the_region_only(world):
    mb = Course.objects.get(code="361-MB")
    assert not Quota.objects.filter(course=mb, department__code="SGD96").exists()
    assert OrgUnit.objects.get(code="SGD96").province.region.code == "mien-nam"


def test_saving_a_stale_copy_of_a_course_keeps_the_seat_counters(setup, world):
    course, quota = setup
    stale_course = Course.objects.get(pk=course.pk)
    stale_quota = Quota.objects.get(pk=quota.pk)
    services.nomination_nominate(actor=None, quota=quota, person=f.person())
    services.course_complete(actor=None, course=stale_course)  # saves the stale copy
    stale_quota.save()
    course.refresh_from_db(), quota.refresh_from_db()
    assert course.seats_held == quota.seats_held == 1
    assert course.status == "completed"


def test_the_demo_course_counters_match_its_nominations(world):
    mb = Course.objects.get(code="361-MB")
    counts = services.seats_recount(course=mb)
    assert mb.seats_held == counts["course"] > 0
    for quota in mb.quotas.all():
        assert quota.seats_held == counts.get(str(quota.pk), 0)


def test_no_phantom_counter_change_in_the_audit_trail(setup, world):
    course, quota = setup
    stale = Course.objects.get(pk=course.pk)
    services.nomination_nominate(actor=None, quota=quota, person=f.person())
    services.course_update(actor=None, course=stale, venue="Hội trường A")
    services.course_complete(actor=None, course=stale)
    updates = AuditEvent.objects.filter(
        object_id=str(course.pk), content_type__model="course", action="update"
    )
    assert updates.count() == 2
    assert not any("seats_held" in event.changes for event in updates)
