"""The rules as data: eligibility explained per person, quota proposals, stated figures."""

import datetime as dt

import pytest
from django.utils import translation

from boiduong.events import rules, services
from boiduong.events.choices import Audience, QuotaMethod
from boiduong.events.models import Course, Quota
from boiduong.orgs.models import OrgUnit

from . import factories as f

pytestmark = pytest.mark.django_db


def _check(person, audience=Audience.CORE_TEACHER, rule=rules.KH361_RULE):
    with translation.override("vi"):
        return rules.eligibility(rule=rule, person=person, audience=audience)


def test_core_teacher_rated_passed_in_2020_is_eligible_and_told_why(world):
    verdict = _check(f.person())
    assert verdict.ok and verdict.reasons == []
    texts = " ".join(c.text for c in verdict.checks)
    assert "2020" in texts and "cốt cán" in texts.lower()


def test_not_passed_in_2020_is_refused_with_the_reason_in_vietnamese(world):
    verdict = _check(f.person(result="khong_dat"))
    assert not verdict.ok
    assert verdict.reasons == ["Được đánh giá “không đạt” trong đợt tập huấn năm 2020."]


def test_not_core_staff_and_no_result_give_two_reasons(world):
    verdict = _check(f.person(core=None, result=None))
    assert not verdict.ok
    assert verdict.reasons == [
        "Không có tên trong danh sách cốt cán năm 2020.",
        "Chưa có kết quả đợt tập huấn năm 2020.",
    ]


def test_core_staff_of_another_year_is_not_enough(world):
    verdict = _check(f.person(core_year=2019))
    assert not verdict.ok and len(verdict.reasons) == 2


def test_a_manager_on_a_teacher_seat_is_told_to_use_a_manager_seat(world):
    verdict = _check(f.person(core=Audience.CORE_MANAGER), audience=Audience.CORE_TEACHER)
    assert not verdict.ok
    assert "CBQL cốt cán" in verdict.reasons[0] and "GV cốt cán" in verdict.reasons[0]


def test_a_course_without_rule_takes_anyone(world):
    assert _check(f.person(core=None, result=None), rule={}).ok


def test_the_rule_is_summarised_for_the_course_page():
    with translation.override("vi"):
        summary = rules.rule_summary(rules.KH361_RULE)
    assert "cốt cán năm 2020" in summary and "đạt" in summary


def test_allocate_adds_up_exactly_and_favours_the_largest_remainders():
    assert rules.allocate(200, dict.fromkeys(range(19), 1)) == {
        i: 11 if i < 10 else 10 for i in range(19)
    }
    assert sum(rules.allocate(200, dict.fromkeys(range(25), 1)).values()) == 200
    assert rules.allocate(10, {"a": 3, "b": 1, "c": 0}) == {"a": 8, "b": 2, "c": 0}
    assert rules.allocate(5, {"a": 0, "b": 0}) == {"a": 3, "b": 2}
    assert rules.allocate(0, {"a": 1}) == {"a": 0}


def test_equal_proposal_covers_the_departments_valid_on_the_course_date(world):
    mb = Course.objects.get(code="361-MB")
    quotas = Quota.objects.filter(course=mb)
    departments = {q.department for q in quotas}
    assert len(departments) == 25  # Miền Bắc in 2021: 25 of the 63 departments
    assert all(d.valid_to is not None for d in departments)
    assert sum(q.seats for q in quotas) == 200
    assert {q.seats for q in quotas} == {4}

    after_merger = f.course(capacity=120)  # 2026: the 34 departments
    services.quota_propose(actor=None, course=after_merger)
    new = Quota.objects.filter(course=after_merger)
    assert sum(q.seats for q in new) == 120
    assert all(q.department.valid_from is not None for q in new)


def test_weighted_proposal_follows_the_core_staff(world):
    course = f.course(capacity=60)
    services.quota_propose(actor=None, course=course, method=QuotaMethod.CORE_STAFF)
    seats = {
        (q.department.code, q.audience): q.seats
        for q in Quota.objects.filter(course=course).select_related("department")
    }
    assert sum(seats.values()) == 60
    hanoi = seats[("SGD01-2025", "gv_cot_can")] + seats[("SGD01-2025", "cbql_cot_can")]
    assert hanoi > 0
    assert seats.get(("SGD02-2025", "gv_cot_can"), 0) == 0  # no core staff in the registry


def test_proposal_never_drops_a_quota_below_its_held_seats(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=4)
    for _ in range(3):
        services.nomination_nominate(actor=None, quota=quota, person=f.person())
    services.course_update(actor=None, course=course, capacity=4)
    services.quota_propose(actor=None, course=course)
    quota.refresh_from_db()
    assert quota.seats == 3 and quota.seats_held == 3


def test_lineage_joins_a_2021_department_and_todays(world):
    hanoi_2021 = OrgUnit.objects.get(code="SGD01")
    codes = {u.code for u in rules.department_lineage(hanoi_2021)}
    assert codes == {"SGD01", "SGD01-2025"}
    camau = {u.code for u in rules.department_lineage(OrgUnit.objects.get(code="SGD96-2025"))}
    assert camau == {"SGD96-2025", "SGD96", "SGD95"}  # Bạc Liêu merged into Cà Mau


@pytest.mark.parametrize(
    "actual,stated,level",
    [(200, 200, "ok"), (190, 200, "close"), (150, 200, "mismatch"), (5, None, "none")],
)
def test_stated_figures_are_compared(actual, stated, level):
    assert rules.stated_check(actual=actual, stated=stated)["level"] == level


def _core_staff_deltas(course, codes, add):
    departments = services.region_departments(course)
    by_code = {d.code: d for d in departments}
    before = services.core_staff_counts(course, departments)
    add()
    after = services.core_staff_counts(course, departments)
    keys = {code: (by_code[code].pk, Audience.CORE_TEACHER) for code in codes}
    return {code: round(after.get(k, 0) - before.get(k, 0), 3) for code, k in keys.items()}


def _people_around_tuyen_quang():
    for _ in range(2):
        f.person(department_code="SGD02")  # Hà Giang, filed under its 2021 department
    f.person(department_code="SGD08")  # Tuyên Quang (2021)
    f.person(department_code="SGD08-2025")  # today's Tuyên Quang = Hà Giang + Tuyên Quang


def test_weighted_proposal_before_the_merger_counts_each_person_once(world):
    course = f.course(capacity=200, starts_on=dt.date(2021, 7, 19))
    deltas = _core_staff_deltas(course, ["SGD02", "SGD08"], _people_around_tuyen_quang)
    # Hà Giang's two and Tuyên Quang's one stay theirs; the one filed under today's merged
    # department cannot be told apart, so it is shared — nobody counts for a neighbour.
    assert deltas == {"SGD02": 2.5, "SGD08": 1.5}
    services.quota_propose(actor=None, course=course, method=QuotaMethod.CORE_STAFF)
    quotas = Quota.objects.filter(course=course).select_related("department")
    assert {q.department.valid_to for q in quotas} == {dt.date(2025, 6, 30)}
    assert len({q.department_id for q in quotas}) == 25
    assert sum(q.seats for q in quotas) == 200


def test_weighted_proposal_after_the_merger_uses_the_34_and_gathers_their_lineage(world):
    course = f.course(capacity=60, starts_on=dt.date(2026, 3, 2))
    deltas = _core_staff_deltas(course, ["SGD08-2025"], _people_around_tuyen_quang)
    assert deltas == {"SGD08-2025": 4}
    services.quota_propose(actor=None, course=course, method=QuotaMethod.CORE_STAFF)
    quotas = Quota.objects.filter(course=course).select_related("department")
    assert {q.department.valid_from for q in quotas} == {dt.date(2025, 7, 1)}
    assert not any(q.department.code in {"SGD02", "SGD08"} for q in quotas)
    assert sum(q.seats for q in quotas) == 60


def test_a_course_on_the_merger_day_takes_the_new_departments(world):
    on_the_day = f.course(capacity=30, starts_on=dt.date(2025, 7, 1))
    before = f.course(capacity=30, starts_on=dt.date(2025, 6, 30))
    assert len(services.region_departments(on_the_day)) == 15
    assert len(services.region_departments(before)) == 25
