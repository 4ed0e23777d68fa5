"""Scoped reads of courses and everything hanging off them. Every queryset here has been
through `core.access.restrict`, so a row outside the user's scope is simply not there."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from boiduong.accounts.roles import Role
from boiduong.core import access
from boiduong.core.text import collation_key
from boiduong.orgs.choices import OrgUnitKind
from boiduong.orgs.models import OrgUnit
from boiduong.people.models import CoreStaffStatus, Person

from . import rules
from .choices import ACTIVE, CertificateStatus, FundedBy, Outcome, StaffRole
from .choices import NominationStatus as S
from .models import (
    Attendance,
    CallRecipient,
    Certificate,
    Course,
    Nomination,
    Quota,
    StaffMember,
)


def course_list(*, user, permission: str = "events.view") -> QuerySet[Course]:
    return access.restrict(
        Course.objects.select_related("region", "owner", "parent"), user, permission
    )


def course_get(*, user, pk, permission: str = "events.view") -> Course:
    return access.get_or_404(  # type: ignore[return-value]
        Course.objects.select_related("region", "owner", "parent", "certificate_template"),
        user,
        permission,
        pk=pk,
    )


def quota_list(*, user, course: Course, permission: str = "events.view") -> QuerySet[Quota]:
    return access.restrict(
        course.quotas.select_related("department__province").order_by(
            "department__province__code", "audience"
        ),
        user,
        permission,
    )


def quota_totals(course: Course) -> dict:
    """Seats and held seats of the whole course, against the capacity and the plan's figures."""
    totals = course.quotas.aggregate(seats=Sum("seats"), held=Sum("seats_held"))
    seats = totals["seats"] or 0
    staff = course.staff.count()
    return {
        "seats": seats,
        "held": totals["held"] or 0,
        "capacity": course.capacity,
        "over_capacity": seats > course.capacity,
        "participants": rules.stated_check(actual=seats, stated=course.stated_participants),
        "staff": rules.stated_check(actual=staff, stated=course.stated_staff),
        "departments": course.quotas.values("department").distinct().count(),
    }


def only_own(queryset: QuerySet, *, user, person: str = "person") -> QuerySet:
    """A teacher (whose only role is participant) sees her own records, not her colleagues':
    the participant role is granted on her school, and a school's nominations, results and
    certificates are its staff's personal data."""
    roles = access.roles_of(user)
    if roles and roles <= {Role.PARTICIPANT} and not user.is_superuser:
        return queryset.filter(**{f"{person}__user": user})
    return queryset


def nomination_list(*, user, permission: str = "events.view") -> QuerySet[Nomination]:
    queryset = access.restrict(
        Nomination.objects.select_related(
            "course", "department", "person__workplace", "quota", "result"
        ),
        user,
        permission,
    )
    return only_own(queryset, user=user)


def nomination_get(*, user, pk, permission: str = "events.view") -> Nomination:
    return access.get_or_404(  # type: ignore[return-value]
        only_own(Nomination.objects.all(), user=user).select_related(
            "course__owner",
            "department",
            "person__workplace",
            "quota",
            "substitute_for__person",
            "overridden_by",
            "decided_by",
        ),
        user,
        permission,
        pk=pk,
    )


def promotable_ids(*, user, course: Course) -> set[int]:
    """The waitlisted nominations of `course` that `user` may move onto a free seat now, for
    the lists' "off the waitlist" buttons — the rule of `services.nomination_promote`: the
    course open with a seat free, a seat free in the nomination's quota, and the user the
    ministry (events.confirm) or the sending department (events.nominate on it). One query
    whatever the rows, none when the course is closed or full."""
    if course.is_closed or course.seats_held >= course.capacity:
        return set()
    if access.has_perm(user, "events.confirm"):
        within = Q()
    else:
        nominate = access.scope(user, "events.nominate")
        if not nominate.allowed:
            return set()
        within = nominate.q("department__path")
    return set(
        Nomination.objects.filter(course=course, status=S.WAITLISTED)
        .filter(within)
        .filter(Q(quota__isnull=True) | Q(quota__seats_held__lt=F("quota__seats")))
        .values_list("pk", flat=True)
    )


def department_get(*, user, pk, permission: str = "events.nominate") -> OrgUnit:
    """A department the user acts for. (Departments are listed publicly in the unit directory,
    so the check is on the user's scope for `permission`, not on the unit's visibility.)"""
    from django.http import Http404

    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None or not access.scope(user, permission).covers(unit.path):
        raise Http404
    return unit


@dataclass
class InboxEntry:
    recipient: CallRecipient
    seats: int = 0
    held: int = 0
    drafts: int = 0
    waitlisted: int = 0

    @property
    def is_overdue(self) -> bool:
        return self.recipient.call.deadline < timezone.localdate()


def inbox(*, user) -> list[InboxEntry]:
    """Calls for nominations addressed to the user's departments, newest first, with how far
    each department has got against its quota."""
    recipients = list(
        access.restrict(
            CallRecipient.objects.select_related("call__course", "department"),
            user,
            "events.nominate",
        ).order_by("-call__issued_on", "department__path")
    )
    if not recipients:
        return []
    courses = {r.call.course_id for r in recipients}
    departments = {r.department_id for r in recipients}
    seats = {
        (row["course"], row["department"]): row
        for row in Quota.objects.filter(course__in=courses, department__in=departments)
        .values("course", "department")
        .annotate(seats=Sum("seats"), held=Sum("seats_held"))
    }
    states = Counter(
        Nomination.objects.filter(course__in=courses, department__in=departments)
        .filter(status__in=[S.DRAFT, S.WAITLISTED])
        .values_list("course", "department", "status")
    )
    entries = []
    for recipient in recipients:
        key = (recipient.call.course_id, recipient.department_id)
        row: Any = seats.get(key, {})
        entries.append(
            InboxEntry(
                recipient=recipient,
                seats=row.get("seats") or 0,
                held=row.get("held") or 0,
                drafts=states.get((*key, S.DRAFT), 0),
                waitlisted=states.get((*key, S.WAITLISTED), 0),
            )
        )
    return entries


def candidate_list(*, user, course: Course, department: OrgUnit, query: str = "") -> list:
    """Registry people of the department's lineage the user may nominate, with each one's
    eligibility explained (KH 361/KH-BGDĐT §III.1) and whether they are already nominated.
    Searching folds diacritics ("nguyen thi" finds "Nguyễn Thị"). At most 50 rows."""
    from boiduong.core.text import fold

    paths = rules.lineage_paths(department)
    people = access.restrict(Person.objects.all(), user, "events.nominate").filter(
        _path_q("workplace__path", paths)
    )
    year = course.eligibility_rule.get("core_staff_year") or course.eligibility_rule.get(
        "training_round_year"
    )
    words = fold(query).split()
    for word in words:
        people = people.filter(search_text__contains=word)
    if not words and year:  # without a search, show the core staff of the rule's year first
        people = people.filter(core_statuses__year=year, core_statuses__is_core=True)
    people = (
        people.select_related("workplace")
        .prefetch_related(
            Prefetch("core_statuses", queryset=CoreStaffStatus.objects.order_by("-year")),
            "training_results",
        )
        .distinct()[:50]
    )
    taken = dict(
        Nomination.objects.filter(course=course, status__in=ACTIVE).values_list(
            "person_id", "status"
        )
    )
    rows = []
    for person in people:
        audience = rules.suggested_audience(person, course.eligibility_rule)
        verdict = rules.eligibility(rule=course.eligibility_rule, person=person, audience=audience)
        rows.append(
            {
                "person": person,
                "audience": audience,
                "eligibility": verdict,
                "taken": taken.get(person.pk),
            }
        )
    return rows


@dataclass
class EligibilityAnswer:
    """Whether a person may be nominated to a course, as the department's page would say it:
    the rule's verdict with one line per condition, and what would stop a nomination now."""

    course: Course
    person: Person
    audience: str
    quota: Quota | None
    department: OrgUnit | None
    eligibility: rules.Eligibility
    refusals: list[str]
    nomination: Nomination | None
    seat_free: bool

    @property
    def may_nominate(self) -> bool:
        return not self.refusals


def person_department(person: Person) -> OrgUnit | None:
    """The provincial department the person works under (their workplace or above it)."""
    workplace = person.workplace
    step = OrgUnit.PATH_STEP + 1
    paths = [workplace.path[:end] for end in range(step, len(workplace.path) + 1, step)]
    return (
        OrgUnit.objects.filter(path__in=paths, kind=OrgUnitKind.PROVINCIAL_DEPARTMENT)
        .order_by("-depth")
        .first()
    )


def nomination_eligibility(
    *, user, course: Course, person: Person, audience: str | None = None
) -> EligibilityAnswer:
    """The nominate page's answer for one person, for the API: the course's rule applied to
    them (`services.check_person`, KH 361/KH-BGDĐT §III.1) for `audience` (by default the
    seat they fit, as the page suggests), on the quota of their department (across the 2025
    merger), and the refusals `services.nomination_create` would give `user` now. Scope is
    the caller's: `person` and `course` have been read through the access layer."""
    from . import services

    audience = audience or rules.suggested_audience(person, course.eligibility_rule)
    department = person_department(person)
    quota = None
    if department is not None:
        quota = (
            course.quotas.filter(
                department__in=[u.pk for u in rules.department_lineage(department)],
                audience=audience,
            )
            .select_related("course__owner", "department")
            .order_by("department__path")
            .first()
        )
    verdict = services.check_person(course=course, person=person, audience=audience)
    if quota is not None:
        refusals = services.nomination_refusals(actor=user, quota=quota, person=person)
    else:
        refusals = [_("The department has no quota for this audience.")]
    return EligibilityAnswer(
        course=course,
        person=person,
        audience=audience,
        quota=quota,
        department=quota.department if quota is not None else department,
        eligibility=verdict,
        refusals=refusals,
        nomination=Nomination.objects.filter(course=course, person=person, status__in=ACTIVE)
        .only("pk", "status")
        .first(),
        seat_free=quota is not None
        and quota.seats_free > 0
        and course.seats_held < course.capacity,
    )


def _path_q(lookup: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


# --- attendance and results ---------------------------------------------------------------------


def can_record_attendance(user, course: Course) -> bool:
    """Who records a course's attendance and results: trainers and the ministry
    (events.attendance) on any course; the department organising a cascade course
    (events.cascade on its unit) on that course."""
    if access.has_perm(user, "events.attendance"):
        return True
    return course.is_cascade and access.scope(user, "events.cascade").covers(course.owner.path)


def recordable_nominations(*, user) -> QuerySet[Nomination]:
    """Nominations whose attendance and result `user` may record (`can_record_attendance`),
    on the courses they see — the rows of the results page, for the API."""
    courses = access.restrict(Course.objects.all(), user, "events.view")
    if not access.has_perm(user, "events.attendance"):
        cascade = access.scope(user, "events.cascade")
        courses = courses.filter(parent__isnull=False).filter(cascade.q("owner__path"))
    return Nomination.objects.filter(course__in=courses).select_related(
        "course__owner", "person", "department"
    )


def participants(course: Course) -> QuerySet[Nomination]:
    """Confirmed participants in list order (department, then given name)."""
    return (
        course.nominations.filter(status=S.CONFIRMED)
        .select_related("person__workplace", "department")
        .order_by("department__path", "person__sort_key", "id")
    )


def attendance_sheet(course: Course) -> list[dict]:
    """One row per participant: the days present (set), the count and whether the course's
    attendance rule is met."""
    rows = list(participants(course).prefetch_related("attendance").select_related("result"))
    sheet = []
    for nomination in rows:
        present = {a.day for a in nomination.attendance.all() if a.is_present}
        recorded = {a.day: a for a in nomination.attendance.all()}
        sheet.append(
            {
                "nomination": nomination,
                "present": present,
                "recorded": recorded,
                "count": len(present),
                "meets_rule": len(present) >= course.days_required,
                "result": getattr(nomination, "result", None),
            }
        )
    return sheet


# --- certificates -------------------------------------------------------------------------------


def certificate_list(*, user, permission: str = "events.view") -> QuerySet[Certificate]:
    queryset = access.restrict(
        Certificate.objects.select_related("course", "nomination__department", "superseded_by"),
        user,
        permission,
    )
    return only_own(queryset, user=user, person="nomination__person")


def certificate_get(*, user, pk, permission: str = "events.view") -> Certificate:
    return access.get_or_404(  # type: ignore[return-value]
        only_own(Certificate.objects.all(), user=user, person="nomination__person").select_related(
            "course",
            "template",
            "nomination__person",
            "nomination__result",
            "superseded_by",
            "revoked_by",
        ),
        user,
        permission,
        pk=pk,
    )


def certificate_by_number(number: str) -> Certificate | None:
    """For the public verification page (no scope: anyone may check a certificate)."""
    return (
        Certificate.objects.select_related("course", "superseded_by", "nomination__department")
        .filter(number=number)
        .first()
    )


# --- the results report -------------------------------------------------------------------------


@dataclass
class Report:
    """Báo cáo kết quả tập huấn: figures per department and audience for one course or a
    region's courses."""

    title: str
    courses: list[Course]
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    attendance_by_day: list[int] = field(default_factory=list)
    days: int = 0
    participants_by_province: dict = field(default_factory=dict)  # Province -> confirmed


def report(courses: list[Course], *, title: str) -> Report:
    """Participants by department and audience, attendance, results and certificates."""
    result = Report(title=title, courses=courses)
    if not courses:
        return result
    ids = [c.pk for c in courses]
    nominations = Nomination.objects.filter(course__in=ids)
    by_department: defaultdict[int, dict[str, Any]] = defaultdict(
        lambda: {"seats": 0, "nominated": 0, "confirmed": 0, "gv": 0, "cbql": 0, "passed": 0,
                 "failed": 0, "certificates": 0, "revoked": 0, "full_attendance": 0,
                 "travel": 0}
    )  # fmt: skip
    names: dict[int, str] = {}
    row: Any
    for row in (
        Quota.objects.filter(course__in=ids)
        .values("department", "department__name")
        .annotate(seats=Sum("seats"))
    ):
        by_department[row["department"]]["seats"] += row["seats"] or 0
        names[row["department"]] = row["department__name"]
    for row in nominations.values("department", "department__name", "status", "audience").annotate(
        n=Count("id")
    ):
        entry = by_department[row["department"]]
        names[row["department"]] = row["department__name"]
        if row["status"] in (S.SUBMITTED, S.CONFIRMED, S.WAITLISTED):
            entry["nominated"] += row["n"]
        if row["status"] == S.CONFIRMED:
            entry["confirmed"] += row["n"]
            entry["gv" if row["audience"] == "gv_cot_can" else "cbql"] += row["n"]
    for row in (  # KH 361/KH-BGDĐT §V.5: the sending department pays its participants' travel
        nominations.filter(status=S.CONFIRMED, funded_by=FundedBy.DEPARTMENT)
        .values("department")
        .annotate(travel=Sum("travel_cost"))
    ):
        by_department[row["department"]]["travel"] += int(row["travel"] or 0)
    for row in (
        nominations.filter(result__isnull=False)
        .values("department", "result__outcome")
        .annotate(n=Count("id"))
    ):
        key = "passed" if row["result__outcome"] == Outcome.PASSED else "failed"
        by_department[row["department"]][key] += row["n"]
    for row in (
        Certificate.objects.filter(course__in=ids)
        .values("nomination__department", "status")
        .annotate(n=Count("id"))
    ):
        entry = by_department[row["nomination__department"]]
        if row["status"] == CertificateStatus.VALID:
            entry["certificates"] += row["n"]
        elif row["status"] == CertificateStatus.REVOKED:
            entry["revoked"] += row["n"]
    days = max(c.days for c in courses)
    per_day = Counter(
        Attendance.objects.filter(nomination__course__in=ids, is_present=True).values_list(
            "day", flat=True
        )
    )
    present_days = Counter(
        Attendance.objects.filter(nomination__course__in=ids, is_present=True).values_list(
            "nomination__department", "nomination"
        )
    )
    full = {c.pk: c.days_required for c in courses}
    required = min(full.values())
    for (department, _nomination), count in present_days.items():
        if count >= required:
            by_department[department]["full_attendance"] += 1
    result.days = days
    result.attendance_by_day = [per_day.get(day, 0) for day in range(1, days + 1)]
    ordered = sorted(by_department.items(), key=lambda item: collation_key(names.get(item[0], "")))
    result.rows = [{"department": names.get(pk, "—"), "pk": pk, **values} for pk, values in ordered]
    keys = ["seats", "nominated", "confirmed", "gv", "cbql", "passed", "failed", "certificates",
            "revoked", "full_attendance", "travel"]  # fmt: skip
    result.totals = {k: sum(r[k] for r in result.rows) for k in keys}
    result.participants_by_province = _by_province(
        {r["pk"]: r["confirmed"] for r in result.rows if r["confirmed"]}
    )
    return result


def _by_province(values_by_department: dict[int, int]) -> dict:
    """A figure per department as a figure per province (for the province map); units without
    a province (ministry units) are left out."""
    totals: dict = {}
    for unit in OrgUnit.objects.filter(
        pk__in=values_by_department, province__isnull=False
    ).select_related("province"):
        totals[unit.province] = totals.get(unit.province, 0) + values_by_department[unit.pk]
    return totals


# --- cascades and reach -------------------------------------------------------------------------


def cascade_reach(*, user) -> dict:
    """How far the national courses travelled: per department, the cascade courses it ran and
    the people they reached; per core teacher certified nationally, the people they trained.
    Core staff certified who have trained nobody are flagged (KH 361/KH-BGDĐT §V.5)."""
    cascades = list(
        course_list(user=user)
        .filter(parent__isnull=False)
        .select_related("owner", "parent")
        .annotate(
            reached=Count("nominations", filter=Q(nominations__status=S.CONFIRMED), distinct=True)
        )
    )
    per_department: dict[int, dict] = {}
    for course in cascades:
        entry = per_department.setdefault(
            course.owner_id, {"department": course.owner, "courses": 0, "reached": 0}
        )
        entry["courses"] += 1
        entry["reached"] += course.reached
    trainer_counts: Counter = Counter()
    for member in StaffMember.objects.filter(
        course__in=[c.pk for c in cascades], role=StaffRole.REPORTER, person__isnull=False
    ).select_related("course"):
        reached = next(c.reached for c in cascades if c.pk == member.course_id)
        trainer_counts[member.person_id] += reached
    certified = (
        certificate_list(user=user)
        .filter(status=CertificateStatus.VALID, course__parent__isnull=True)
        .select_related("nomination__person", "nomination__department", "course")
        .order_by("nomination__department__path", "nomination__person__sort_key")
    )
    teachers: list[dict] = [
        {
            "certificate": c,
            "person": c.nomination.person,
            "department": c.nomination.department,
            "reached": trainer_counts.get(c.nomination.person_id, 0),
        }
        for c in certified
    ]
    for teacher in teachers:  # departments with certified core staff but no cascade yet
        per_department.setdefault(
            teacher["department"].pk,
            {"department": teacher["department"], "courses": 0, "reached": 0},
        )
    return {
        "cascades": cascades,
        "reach_by_province": _by_province(
            {pk: e["reached"] for pk, e in per_department.items() if e["reached"]}
        ),
        "departments": sorted(
            per_department.values(), key=lambda e: collation_key(e["department"].name)
        ),
        "teachers": teachers,
        "idle": [t for t in teachers if t["reached"] == 0],
    }


def revoked_trainers(course: Course) -> list[dict]:
    """Trainers of a cascade course whose certificate of the national course it cascades has
    been revoked, with no valid one since: flagged on the course page, not removed (KH
    361/KH-BGDĐT §V.5: the trainers are core staff certified nationally)."""
    if not course.is_cascade:
        return []
    members = list(
        course.staff.filter(role=StaffRole.REPORTER, person__isnull=False).select_related("person")
    )
    certificates = (
        Certificate.objects.filter(
            course=course.parent_id, nomination__person__in=[m.person_id for m in members]
        )
        .select_related("nomination")
        .order_by("-revoked_at")
    )
    valid: set[int] = set()
    revoked: dict[int, Certificate] = {}
    for certificate in certificates:
        person = certificate.nomination.person_id
        if certificate.status == CertificateStatus.VALID:
            valid.add(person)
        elif certificate.status == CertificateStatus.REVOKED:
            revoked.setdefault(person, certificate)
    return [
        {"member": m, "certificate": revoked[m.person_id]}
        for m in members
        if m.person_id in revoked and m.person_id not in valid
    ]


def my_nominations(*, user) -> QuerySet[Nomination]:
    """The courses of the teacher logged in (her person record's nominations)."""
    return (
        Nomination.objects.filter(person__user=user)
        .select_related("course", "result")
        .prefetch_related(
            Prefetch(
                "certificates",
                queryset=Certificate.objects.order_by("-serial"),
            )
        )
        .order_by("-course__starts_on")
    )


def staff_of(course: Course) -> list[StaffMember]:
    """The organising committee first, then experts, then reporters; by name within each."""
    from boiduong.core.text import person_name_key

    order: list[str] = [StaffRole.ORGANISER, StaffRole.EXPERT, StaffRole.REPORTER]
    members = course.staff.select_related("person", "user")
    return sorted(members, key=lambda m: (order.index(m.role), person_name_key(m.full_name)))
