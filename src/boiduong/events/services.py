"""Every write of the course workflow: keyword-only, typed, one transaction, audited.

Seats: a nomination that is submitted or confirmed holds one seat of its quota and one of its
course. The counters (`Quota.seats_held`, `Course.seats_held`) change only here, under
`SELECT … FOR UPDATE` of the course row then the quota row (always in that order, so two
transactions never wait on each other in a cycle), and the database refuses a counter above
its limit. On SQLite, transactions are serialised (BEGIN IMMEDIATE) to the same effect. A seat
that frees up (a withdrawal, a rejection) or is added (a raised quota or capacity) goes to the
first submitted on the waitlist; an officer may also move one off it by hand
(`nomination_promote`) while a seat is free.

`actor=None` is the system (the demo builder, management commands); otherwise the services
check the actor's scope for the unit they write to, so a service called from a new view or
the API cannot reach across provinces even if the view forgets to.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from boiduong.core import access, audit
from boiduong.core.models import AuditEvent
from boiduong.core.text import fold
from boiduong.orgs.choices import OrgUnitKind
from boiduong.orgs.models import OrgUnit
from boiduong.people.models import CoreStaffStatus, Person, TrainingResult

from . import notify, rules
from .choices import (
    ACTIVE,
    AttendanceSource,
    Audience,
    CertificateStatus,
    CourseStatus,
    Mode,
    NominationStatus,
    Outcome,
    QuotaMethod,
    StaffRole,
)
from .models import (
    Attendance,
    CallRecipient,
    Certificate,
    CertificateTemplate,
    Course,
    CourseModule,
    Nomination,
    NominationCall,
    Quota,
    Result,
    StaffMember,
)

S = NominationStatus


def _ensure(actor, permission: str, path: str | None = None) -> None:
    """The actor holds `permission` (on the unit at `path`, when given); the system may all."""
    if actor is None:
        return
    found = access.scope(actor, permission)
    if not found.allowed or (path is not None and not found.covers(path)):
        raise PermissionDenied


def _course_closed_message(course: Course) -> str:
    return _("The course is %(status)s: nominations are closed.") % {
        "status": course.get_status_display()
    }


def _ensure_course_open(course: Course) -> None:
    if course.is_closed:
        raise ValidationError(_course_closed_message(course))


def nominations_closed_on(actor, course: Course, department: OrgUnit) -> dt.date | None:
    """The deadline that has passed for `department` on `course`, if it binds the actor; None
    while nominations are open to them. KH 361/KH-BGDĐT §V.1: departments send their lists by
    the call's deadline. After it a department can no longer add or submit nominations; the
    organising unit (events.confirm over the course's owner) still can, to accept a late list
    it agreed to, and the system (actor=None) is not bound. Withdrawing and substituting a
    confirmed participant stay open: they do not add anyone."""
    if actor is None:
        return None
    deadline = rules.nomination_deadline(course, department)
    if deadline is None or timezone.localdate() <= deadline:
        return None
    if access.scope(actor, "events.confirm").covers(course.owner.path):
        return None
    return deadline


def deadline_passed_message(course: Course, deadline: dt.date) -> str:
    return _(
        "The deadline for nominations was %(date)s: your department can no longer nominate "
        "anyone for this course. If a late nomination is needed, ask the organising unit "
        "(%(owner)s)."
    ) % {"date": deadline.strftime("%d/%m/%Y"), "owner": course.owner.name}


def _ensure_before_deadline(actor, course: Course, department: OrgUnit) -> None:
    deadline = nominations_closed_on(actor, course, department)
    if deadline is not None:
        raise ValidationError(deadline_passed_message(course, deadline))


# --- courses --------------------------------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    actor,
    code: str,
    title: str,
    owner: OrgUnit,
    starts_on: dt.date,
    capacity: int,
    region=None,
    ends_on: dt.date | None = None,
    is_tentative: bool = True,
    tentative_text: str = "",
    days: int = 5,
    days_required: int | None = None,
    mode: str = Mode.IN_PERSON,
    venue: str = "",
    audiences: Sequence[str] = (Audience.CORE_TEACHER, Audience.CORE_MANAGER),
    eligibility_rule: dict | None = None,
    modules: Sequence[str] = (),
    stated_participants: int | None = None,
    stated_staff: int | None = None,
    plan_task=None,
    parent: Course | None = None,
    kind: str = "training",
) -> Course:
    """Set up a course (KH 361/KH-BGDĐT §III: participants, place, dates, mode). A national
    course is set up by the ministry (events.manage); a cascade by `cascade_create`."""
    if parent is None:
        _ensure(actor, "events.manage")
    course = Course(
        kind=kind,
        code=code.strip().upper(),
        title=title.strip(),
        owner=owner,
        region=region,
        parent=parent,
        starts_on=starts_on,
        ends_on=ends_on,
        is_tentative=is_tentative,
        tentative_text=tentative_text,
        days=days,
        days_required=days if days_required is None else days_required,
        mode=mode,
        venue=venue,
        capacity=capacity,
        audiences=list(audiences),
        eligibility_rule=dict(eligibility_rule or {}),
        stated_participants=stated_participants,
        stated_staff=stated_staff,
    )
    course.plan_task = plan_task
    audit.save(actor=actor, instance=course)
    for order, text in enumerate(modules, start=1):
        audit.save(actor=actor, instance=CourseModule(course=course, order=order, title=text))
    return course


EDITABLE_COURSE_FIELDS = {
    "title",
    "venue",
    "starts_on",
    "ends_on",
    "is_tentative",
    "tentative_text",
    "days",
    "days_required",
    "capacity",
    "audiences",
    "eligibility_rule",
    "stated_participants",
    "stated_staff",
    "status",
    "certificate_template",
    "region",
    "plan_task",
}


@transaction.atomic
def course_update(*, actor, course: Course, reason: str = "", **fields) -> Course:
    """Change a course's details; the mode changes only through `course_change_mode` (its
    participants must hear of it). Capacity cannot drop below the seats already held; seats
    it gains go to the waitlist, first submitted first."""
    _ensure(actor, "events.cascade" if course.is_cascade else "events.manage", course.owner.path)
    unknown = set(fields) - EDITABLE_COURSE_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if "capacity" in fields and fields["capacity"] < locked.seats_held:
        raise ValidationError(
            {
                "capacity": _("%(held)s seats are already held: the capacity cannot be lower.")
                % {"held": locked.seats_held}
            }
        )
    for key, value in fields.items():
        setattr(locked, key, value)
    audit.save(actor=actor, instance=locked, reason=reason)
    # Seats added (a raised capacity) or a course reopened go to the waitlist, as a freed seat
    # does; with no seat free or nobody waiting this is one query.
    _promote_waitlist(actor=actor, course=locked)
    course.refresh_from_db()
    return locked


@transaction.atomic
def course_change_mode(*, actor, course: Course, mode: str, reason: str) -> Course:
    """Switch between in person, online and blended "tùy tình hình thực tế" (KH 361/KH-BGDĐT
    §III.4) and tell every participant by e-mail."""
    _ensure(actor, "events.cascade" if course.is_cascade else "events.manage", course.owner.path)
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Unknown mode.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the mode changes: participants are told.")})
    if course.mode == mode:
        return course
    course.mode = mode
    audit.save(actor=actor, instance=course, reason=reason)
    notify.mode_changed(course, reason=reason)
    return course


@transaction.atomic
def course_complete(*, actor, course: Course) -> Course:
    """Close a course once it has run: no more nominations or attendance changes."""
    _ensure(actor, "events.cascade" if course.is_cascade else "events.manage", course.owner.path)
    course.status = CourseStatus.COMPLETED
    return audit.save(actor=actor, instance=course, reason=_("Course completed"))


@transaction.atomic
def staff_member_add(
    *,
    actor,
    course: Course,
    role: str,
    full_name: str = "",
    unit_name: str = "",
    person: Person | None = None,
    user=None,
) -> StaffMember:
    """Name a member of the organising staff, an expert or a reporter (KH 361/KH-BGDĐT §V.1:
    the lead unit sets up the organising committee and the reporters)."""
    _ensure(actor, "events.cascade" if course.is_cascade else "events.manage", course.owner.path)
    if person is not None and course.nominations.filter(person=person, status__in=ACTIVE).exists():
        raise ValidationError(_("A participant cannot also be on the organising staff."))
    member = StaffMember(
        course=course,
        role=role,
        full_name=full_name or (person.full_name if person else ""),
        unit_name=unit_name or (person.workplace.name if person else ""),
        person=person,
        user=user,
    )
    return audit.save(actor=actor, instance=member)


@transaction.atomic
def staff_member_remove(*, actor, member: StaffMember, reason: str = "") -> None:
    course = member.course
    _ensure(actor, "events.cascade" if course.is_cascade else "events.manage", course.owner.path)
    audit.delete(actor=actor, instance=member, reason=reason)


# --- quotas ---------------------------------------------------------------------------------------


def region_departments(course: Course) -> list[OrgUnit]:
    """The provincial departments of the course's region that exist on its first day (63 in
    2021, 34 from 01/07/2025)."""
    units = OrgUnit.objects.valid_on(course.starts_on).filter(
        kind=OrgUnitKind.PROVINCIAL_DEPARTMENT
    )
    if course.region_id:
        units = units.filter(province__region_id=course.region_id)
    return list(units.select_related("province").order_by("province__code"))


def department_shares(departments: Iterable[OrgUnit]) -> dict[str, list[tuple[int, float]]]:
    """For the path of every provincial department of any period, which of `departments` (the
    ones valid on a course's date) its people count for, and with what share.

    A department in the list counts for itself. One absorbed since (a 2021 department, for a
    2026 course) counts for the department that absorbed it. One formed since (today's merged
    department, for a 2021 course — the registry files people under today's units) is shared
    equally among the listed departments it was formed from, since its people cannot be told
    apart. So each person counts once, never for a neighbour merged with their province.
    """
    listed = {d.pk for d in departments}
    units = {
        u.pk: u
        for u in OrgUnit.objects.filter(kind=OrgUnitKind.PROVINCIAL_DEPARTMENT).only(
            "pk", "path", "successor_id"
        )
    }
    formed_from: dict[int, list[int]] = {}
    for unit in units.values():
        if unit.successor_id:
            formed_from.setdefault(unit.successor_id, []).append(unit.pk)

    def forward(pk: int | None) -> int | None:
        seen = set()
        while pk is not None and pk not in listed and pk not in seen:
            seen.add(pk)
            pk = units[pk].successor_id if pk in units else None
        return pk if pk in listed else None

    def backward(pk: int) -> list[int]:
        found: list[int] = []
        for older in formed_from.get(pk, []):
            found.extend([older] if older in listed else backward(older))
        return found

    shares: dict[str, list[tuple[int, float]]] = {}
    for unit in units.values():
        target = forward(unit.pk)
        if target is not None:
            shares[unit.path] = [(target, 1.0)]
        elif older := backward(unit.pk):
            shares[unit.path] = [(pk, 1.0 / len(older)) for pk in older]
    return shares


def core_staff_counts(
    course: Course, departments: Iterable[OrgUnit]
) -> dict[tuple[int, str], float]:
    """Core staff per (department, kind) in the year of the course's rule, for the departments
    valid on the course's date; each person counts once (see `department_shares`)."""
    year = course.eligibility_rule.get("core_staff_year") or course.eligibility_rule.get(
        "training_round_year"
    )
    statuses = CoreStaffStatus.objects.filter(is_core=True)
    if year:
        statuses = statuses.filter(year=year)
    shares = department_shares(departments)
    counts: defaultdict[tuple[int, str], float] = defaultdict(float)
    for kind, workplace_path in statuses.values_list("kind", "person__workplace__path"):
        step = OrgUnit.PATH_STEP + 1
        for end in range(step, len(workplace_path) + 1, step):  # the department above it
            for department, share in shares.get(workplace_path[:end], []):
                counts[(department, kind)] += share
    return dict(counts)


@transaction.atomic
def quota_propose(*, actor, course: Course, method: str = QuotaMethod.EQUAL) -> list[Quota]:
    """Propose seats per department and audience that add up to the course's capacity: equal
    shares across the region's departments valid on the course date, or shares weighted by
    their core staff (KH 361/KH-BGDĐT §III.1-2: about 200 per region, from each department's
    core staff). Existing quotas are updated, never below the seats their nominations hold;
    seats added to a quota go to its waitlist."""
    _ensure(actor, "events.manage")
    course = Course.objects.select_for_update().get(pk=course.pk)  # course, then quotas
    departments = region_departments(course)
    counts = core_staff_counts(course, departments) if method == QuotaMethod.CORE_STAFF else None
    proposal = rules.propose_quotas(
        capacity=course.capacity,
        departments=departments,
        audiences=course.audiences,
        core_counts=counts,
    )
    existing = {(q.department_id, q.audience): q for q in course.quotas.select_for_update()}
    saved = []
    for (department_id, audience), seats in proposal.items():
        quota = existing.get((department_id, audience))
        if quota is None:
            quota = Quota(course=course, department_id=department_id, audience=audience)
        quota.seats = max(seats, quota.seats_held)
        saved.append(
            audit.save(
                actor=actor,
                instance=quota,
                reason=_("Proposed: %(method)s") % {"method": QuotaMethod(method).label},
            )
        )
    _promote_waitlist(actor=actor, course=course)
    return saved


@transaction.atomic
def quota_set(*, actor, quota: Quota, seats: int, reason: str = "") -> Quota:
    """Edit a proposed quota. It cannot drop below the seats its nominations already hold;
    seats added go to the quota's waitlist, first submitted first (as a freed seat does)."""
    _ensure(actor, "events.manage")
    course = Course.objects.select_for_update().get(pk=quota.course_id)  # course, then quota
    locked = Quota.objects.select_for_update().get(pk=quota.pk)
    if seats < locked.seats_held:
        raise ValidationError(
            _("%(held)s seats of this quota are already held: it cannot be lower.")
            % {"held": locked.seats_held}
        )
    raised = seats > locked.seats
    locked.seats = seats
    audit.save(actor=actor, instance=locked, reason=reason)
    if raised:
        _promote_waitlist(actor=actor, course=course)
        locked.refresh_from_db()
    return locked


# --- the call for nominations --------------------------------------------------------------------


@transaction.atomic
def call_issue(
    *,
    actor,
    course: Course,
    title: str,
    deadline: dt.date,
    number: str = "",
    issued_on: dt.date | None = None,
    body: str = "",
) -> NominationCall:
    """Issue the call for nominations (a công văn, KH 361/KH-BGDĐT §V.1) to every department
    that holds a quota: it lands in their inboxes and their officers are e-mailed. The course
    opens for nominations."""
    _ensure(actor, "events.manage")
    _ensure_course_open(course)
    departments = OrgUnit.objects.filter(
        pk__in=course.quotas.filter(seats__gt=0).values("department_id")
    )
    if not departments.exists():
        raise ValidationError(
            _("Set the quotas first: the call goes to the departments holding one.")
        )
    issued_on = issued_on or timezone.localdate()
    document = _call_document(
        actor=actor,
        course=course,
        number=number.strip(),
        title=title,
        issued_on=issued_on,
        body=body,
        departments=list(departments),
    )
    call = audit.save(
        actor=actor,
        instance=NominationCall(
            course=course,
            number=document.code if document is not None else number,
            title=title,
            issued_on=issued_on,
            deadline=deadline,
            body=body,
            issued_by=actor,
            document=document,
        ),
    )
    CallRecipient.objects.bulk_create([CallRecipient(call=call, department=d) for d in departments])
    if course.status == CourseStatus.PLANNED:
        course.status = CourseStatus.OPEN
        audit.save(actor=actor, instance=course, reason=_("Call for nominations issued"))
    notify.call_issued(call)
    return call


def _call_document(
    *,
    actor,
    course: Course,
    number: str,
    title: str,
    issued_on: dt.date,
    body: str,
    departments: list[OrgUnit],
):
    """The call as a công văn in the document register of the plans app: issued by the ministry,
    drafted by the organising unit ("5807/BGDĐT-CNTT" style), addressed to the departments.
    Without a number it is signed there and takes the next number of the ministry's register
    for the year (Nghị định 30/2020/NĐ-CP Điều 15); a number already registered that year
    links the call to that document."""
    import re

    from django.apps import apps

    if not apps.is_installed("boiduong.plans"):
        return None
    from boiduong.plans import services as plan_services
    from boiduong.plans.choices import DocumentType
    from boiduong.plans.models import Document, DocumentSection

    drafting = course.owner
    issuer = drafting.ancestors().first() or drafting
    if number:
        existing = Document.objects.filter(code=number, year=issued_on.year).first()
        if existing is not None:
            return existing
    document = Document(
        doc_type=DocumentType.DISPATCH,
        issuer=issuer,
        issuer_name=issuer.name,
        drafting_unit=drafting,
        drafting_unit_abbr=drafting.abbreviation,
        owner=drafting,
        place="Hà Nội",
        title=title,
        addressees=[d.name for d in departments],
        recipients=["- Như trên;", f"- Lưu: VT, {drafting.abbreviation}."],
    )
    parsed = re.match(r"^(\d+)/(\S+)$", number)
    if parsed:
        document.number = int(parsed.group(1))
        document.notation = parsed.group(2)
        document.code = number
        document.issued_on = issued_on
        document.year = issued_on.year
    elif number:
        raise ValidationError({"number": _("Write the number as 2786/BGDĐT-NGCBQLGD.")})
    audit.save(
        actor=actor,
        instance=document,
        reason=_("Call for nominations of %(code)s") % {"code": course.code},
    )
    if body.strip():
        DocumentSection.objects.create(document=document, position=1, level=1, text=body)
    if document.number is None:
        try:
            document = plan_services.document_sign(
                actor=actor, document=document, signed_on=issued_on
            )
        except ValueError as exc:  # plans.services.DocumentSignError
            raise ValidationError(str(exc)) from exc
    return document


@transaction.atomic
def call_mark_seen(*, actor, recipient: CallRecipient) -> CallRecipient:
    """A department opened the call in its inbox."""
    if recipient.seen_at is None:
        recipient.seen_at = timezone.now()
        audit.save(actor=actor, instance=recipient, validate=False)
    return recipient


def reminders_send(*, today: dt.date | None = None, days_before: int = 3) -> int:
    """E-mail the departments whose deadline is within `days_before` days and that have not
    filled their quota; once a day per department. Returns how many were reminded."""
    today = today or timezone.localdate()
    due = CallRecipient.objects.filter(
        call__deadline__gte=today,
        call__deadline__lte=today + dt.timedelta(days=days_before),
        call__course__status=CourseStatus.OPEN,
    ).filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
    sent = 0
    for recipient in due.select_related("call__course", "department"):
        quotas = Quota.objects.filter(course=recipient.call.course, department=recipient.department)
        seats = sum(q.seats for q in quotas)
        held = sum(q.seats_held for q in quotas)
        if held >= seats:
            continue
        with transaction.atomic():
            notify.deadline_reminder(recipient, nominated=held, seats=seats)
            CallRecipient.objects.filter(pk=recipient.pk).update(reminded_on=today)
        sent += 1
    return sent


# --- nominations ----------------------------------------------------------------------------------


def check_person(*, course: Course, person: Person, audience: str | None) -> rules.Eligibility:
    """The course's eligibility rule applied to one person (KH 361/KH-BGDĐT §III.1)."""
    return rules.eligibility(rule=course.eligibility_rule, person=person, audience=audience)


def nomination_refusals(*, actor, quota: Quota, person: Person) -> list[str]:
    """Why `nomination_create` would refuse to put `person` on `quota` now, most basic first
    (empty: it would accept). The course is open, the call's deadline has not passed for the
    actor (KH 361/KH-BGDĐT §V.1), the person works under the quota's department (across the
    2025 merger), is not on the organising staff and not nominated yet. The eligibility rule is
    not among them: an ineligible person may be nominated, flagged, for the ministry's
    exception. The permission is not either: `_ensure` checks it."""
    course = quota.course
    department = quota.department
    refusals = []
    if course.is_closed:
        refusals.append(_course_closed_message(course))
    deadline = nominations_closed_on(actor, course, department)
    if deadline is not None:
        refusals.append(deadline_passed_message(course, deadline))
    if not rules.works_in(person, rules.lineage_paths(department)):
        refusals.append(
            _("%(person)s does not work under %(department)s.")
            % {"person": person.full_name, "department": department.name}
        )
    if StaffMember.objects.filter(course=course, person=person).exists():
        refusals.append(
            _("%(person)s is on the course's organising staff.") % {"person": person.full_name}
        )
    if Nomination.objects.filter(course=course, person=person, status__in=ACTIVE).exists():
        refusals.append(
            _("%(person)s is already nominated for this course.") % {"person": person.full_name}
        )
    return refusals


@transaction.atomic
def nomination_create(
    *,
    actor,
    quota: Quota,
    person: Person,
    note: str = "",
    travel_cost: Decimal | None = None,
) -> Nomination:
    """A department puts a person of its own on its quota, as a draft. Eligibility is checked
    against the course's rule and kept with the reasons (KH 361/KH-BGDĐT §III.1: core staff
    rated đạt in the 2020 round); travel is the department's (§V.5)."""
    course = quota.course
    department = quota.department
    _ensure(actor, "events.nominate", department.path)
    refusals = nomination_refusals(actor=actor, quota=quota, person=person)
    if refusals:
        raise ValidationError(refusals[0])
    verdict = check_person(course=course, person=person, audience=quota.audience)
    nomination = Nomination(
        course=course,
        quota=quota,
        department=department,
        person=person,
        audience=quota.audience,
        status=S.DRAFT,
        is_eligible=verdict.ok,
        eligibility_notes=verdict.as_notes(),
        note=note,
        funded_by=quota.funded_by,
        travel_cost=travel_cost,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            return audit.save(actor=actor, instance=nomination)
    except IntegrityError as exc:  # a concurrent request nominated the same person
        raise ValidationError(
            _("%(person)s is already nominated for this course.") % {"person": person.full_name}
        ) from exc


@transaction.atomic
def travel_costs_set(
    *, actor, course: Course, department: OrgUnit, costs: dict[int, Decimal | None]
) -> int:
    """Record what the department pays for its participants' travel, per nomination (KH
    361/KH-BGDĐT §V.5: "chi phí đi lại do Sở chi trả"); the results report adds them up per
    department. Open after the nomination deadline and after the course: the cost is often
    known only then. Returns how many nominations changed."""
    _ensure(actor, "events.nominate", department.path)
    changed = 0
    nominations = Nomination.objects.select_for_update().filter(
        course=course, department=department, pk__in=list(costs)
    )
    for nomination in nominations:
        cost = costs[nomination.pk]
        if cost is not None and cost < 0:
            raise ValidationError(_("A travel cost cannot be negative."))
        if nomination.travel_cost != cost:
            nomination.travel_cost = cost
            audit.save(actor=actor, instance=nomination, reason=_("Travel cost"))
            changed += 1
    return changed


def _lock(nomination: Nomination) -> tuple[Course, Quota | None, Nomination]:
    """Lock course, quota, then the nomination (always in this order) and re-read them."""
    course = Course.objects.select_for_update().get(pk=nomination.course_id)
    quota = (
        Quota.objects.select_for_update().get(pk=nomination.quota_id)
        if nomination.quota_id
        else None
    )
    fresh = Nomination.objects.select_for_update().get(pk=nomination.pk)
    return course, quota, fresh


def _take_seat(course: Course, quota: Quota | None) -> bool:
    """Hold one seat of the (locked) course and quota if both have one."""
    if course.seats_held >= course.capacity:
        return False
    if quota is not None and quota.seats_held >= quota.seats:
        return False
    Course.objects.filter(pk=course.pk).update(seats_held=F("seats_held") + 1)
    course.seats_held += 1
    if quota is not None:
        Quota.objects.filter(pk=quota.pk).update(seats_held=F("seats_held") + 1)
        quota.seats_held += 1
    return True


def _free_seat(course: Course, quota: Quota | None) -> None:
    Course.objects.filter(pk=course.pk).update(seats_held=F("seats_held") - 1)
    course.seats_held -= 1
    if quota is not None:
        Quota.objects.filter(pk=quota.pk).update(seats_held=F("seats_held") - 1)
        quota.seats_held -= 1


PROMOTED = gettext_lazy("Promoted from the waitlist")  # the reason of every promotion


def _no_seat_message(course: Course, quota: Quota | None) -> str:
    if quota is not None and quota.seats_held >= quota.seats:
        return _(
            "No seat is free: the quota of %(department)s holds %(held)s of its %(seats)s seats."
        ) % {"department": quota.department.name, "held": quota.seats_held, "seats": quota.seats}
    return _("No seat is free: the course holds %(held)s of its %(capacity)s seats.") % {
        "held": course.seats_held,
        "capacity": course.capacity,
    }


def _promote_waitlist(*, actor, course: Course) -> list[Nomination]:
    """Give free seats to the waitlist, first submitted first, within each quota (DESIGN §4):
    called whenever a seat frees up (a withdrawal, a rejection) or seats are added (a raised
    quota or capacity). The course row is locked by the caller; each quota is locked in turn,
    after it. The sending department's officers are told. A completed or cancelled course
    promotes no one."""
    if course.status in (CourseStatus.COMPLETED, CourseStatus.CANCELLED):
        return []
    if course.seats_held >= course.capacity:
        return []
    promoted = []
    waiting = (
        Nomination.objects.filter(course=course, status=S.WAITLISTED)
        .order_by("submitted_at", "id")
        .values_list("pk", "quota_id")
    )
    for pk, quota_id in waiting:
        if course.seats_held >= course.capacity:
            break
        quota = Quota.objects.select_for_update().get(pk=quota_id) if quota_id else None
        if not _take_seat(course, quota):
            continue
        nomination = Nomination.objects.select_for_update().get(pk=pk)
        nomination.status = S.SUBMITTED
        audit.save(actor=actor, instance=nomination, reason=str(PROMOTED))
        notify.nomination_promoted(nomination)
        promoted.append(nomination)
    return promoted


@transaction.atomic
def nomination_submit(*, actor, nomination: Nomination) -> Nomination:
    """Send a draft to the ministry. It takes a seat of the quota and of the course if one is
    free, else it joins the waitlist — never more seats than the quota or the course has, even
    with many departments submitting at once (DESIGN §4: quotas are never overbooked)."""
    _ensure(actor, "events.nominate", nomination.department.path)
    course, quota, fresh = _lock(nomination)
    _ensure_course_open(course)
    _ensure_before_deadline(actor, course, nomination.department)
    if fresh.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    fresh.submitted_at = timezone.now()
    fresh.status = S.SUBMITTED if _take_seat(course, quota) else S.WAITLISTED
    audit.save(actor=actor, instance=fresh)
    return fresh


@transaction.atomic
def nomination_promote(*, actor, nomination: Nomination) -> Nomination:
    """Move a waitlisted nomination onto a free seat of its quota and course, by hand: the
    ministry (events.confirm) or the sending department (events.nominate on it). A seat that
    frees up goes to the first on the waitlist by itself (`_promote_waitlist`); this is for the
    officer who picks whom the seat goes to. It takes the seat under the same locks as
    `nomination_submit` (course, quota, nomination), so two officers promoting for the last
    seat at once never overbook it (DESIGN §4); with no seat free it is refused and the
    nomination stays waitlisted. Open after the call's deadline (the nomination was submitted
    in time), closed with the course."""
    if actor is not None and not access.scope(actor, "events.confirm").allowed:
        _ensure(actor, "events.nominate", nomination.department.path)
    course, quota, fresh = _lock(nomination)
    _ensure_course_open(course)
    if fresh.status != S.WAITLISTED:
        raise ValidationError(_("Only a waitlisted nomination can be moved off the waitlist."))
    if not _take_seat(course, quota):
        raise ValidationError(_no_seat_message(course, quota))
    fresh.status = S.SUBMITTED
    audit.save(actor=actor, instance=fresh, reason=str(PROMOTED))
    notify.nomination_promoted(fresh)
    return fresh


def nomination_nominate(
    *, actor, quota: Quota, person: Person, note: str = "", travel_cost: Decimal | None = None
) -> Nomination:
    """Create and submit in one step (the API and the bulk upload)."""
    with transaction.atomic():
        nomination = nomination_create(
            actor=actor, quota=quota, person=person, note=note, travel_cost=travel_cost
        )
        return nomination_submit(actor=actor, nomination=nomination)


#: The most nominations one bulk request may carry: a region's course is about 200 seats (KH
#: 361/KH-BGDĐT §III.2), so a department's whole list fits many times over.
BULK_LIMIT = 500


@dataclass(frozen=True)
class NominationRow:
    """One nomination of a bulk request; `person` is None when the caller named no one it may
    nominate (an unknown ID or someone of another province: the same refusal for both)."""

    quota: Quota
    person: Person | None
    note: str = ""
    travel_cost: Decimal | None = None
    submit: bool = True


@transaction.atomic
def nominations_nominate_all(*, actor, rows: Sequence[NominationRow]) -> list[Nomination]:
    """Nominate a department's list in one go, all or nothing: each row is created (and
    submitted, unless `submit` is false) by `nomination_create` and `nomination_submit`, in
    order, so a row takes a seat or joins the waitlist as it would alone, and the rows see
    each other (the same person twice is refused). If any row is refused nothing is saved:
    the ValidationError maps each refused row's index to its messages. The courses, then the
    quotas, of all rows are locked first, in id order — the services' order, course before
    quota — so two bulk requests never wait on each other in a cycle and never overbook
    (DESIGN §4)."""
    if not rows:
        raise ValidationError(_("The list has no row."))
    if len(rows) > BULK_LIMIT:
        raise ValidationError(
            _("At most %(limit)s nominations at once: this list has %(count)s.")
            % {"limit": BULK_LIMIT, "count": len(rows)}
        )
    departments = {row.quota.department.path for row in rows}
    for path in sorted(departments):
        _ensure(actor, "events.nominate", path)
    courses = sorted({row.quota.course_id for row in rows})
    list(Course.objects.select_for_update().filter(pk__in=courses).order_by("pk"))
    quotas = sorted({row.quota.pk for row in rows})
    list(Quota.objects.select_for_update().filter(pk__in=quotas).order_by("pk"))
    created: list[Nomination] = []
    refused: dict[str, list[str]] = {}  # the row's index (a string, as ValidationError keys)
    for index, row in enumerate(rows):
        if row.person is None:
            refused[str(index)] = [_("No one with this ID works under the department.")]
            continue
        make = nomination_nominate if row.submit else nomination_create
        try:
            with transaction.atomic():
                created.append(
                    make(
                        actor=actor,
                        quota=row.quota,
                        person=row.person,
                        note=row.note,
                        travel_cost=row.travel_cost,
                    )
                )
        except ValidationError as exc:
            refused[str(index)] = exc.messages
    if refused:
        raise ValidationError(refused)  # leaving the transaction undoes every row
    return created


@transaction.atomic
def nomination_override(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Accept a person the rule turns away, with a reason kept in the audit trail (DESIGN §4:
    "an override needs a reason and is audited"). Ministry only (events.confirm)."""
    _ensure(actor, "events.confirm")
    if not reason.strip():
        raise ValidationError({"override_reason": _("An exception needs a reason.")})
    nomination.override_reason = reason.strip()
    nomination.overridden_by = actor
    nomination.overridden_at = timezone.now()
    return audit.save(
        actor=actor,
        instance=nomination,
        reason=_("Exception: %(reason)s") % {"reason": reason.strip()},
    )


@transaction.atomic
def nomination_confirm(*, actor, nomination: Nomination) -> Nomination:
    """The ministry confirms a submitted nomination (KH 361/KH-BGDĐT §V.1); an ineligible
    person needs an exception first. The person and the department are e-mailed."""
    _ensure(actor, "events.confirm")
    _course, _quota, fresh = _lock(nomination)
    if fresh.status != S.SUBMITTED:
        raise ValidationError(_("Only a submitted nomination can be confirmed."))
    if not fresh.is_eligible and not fresh.is_overridden:
        raise ValidationError(
            _("%(person)s does not meet the course's rule: record an exception first.")
            % {"person": fresh.person.full_name}
        )
    fresh.status = S.CONFIRMED
    fresh.decided_by = actor
    fresh.decided_at = timezone.now()
    audit.save(actor=actor, instance=fresh)
    notify.nomination_confirmed(fresh)
    return fresh


@transaction.atomic
def nomination_reject(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """The ministry turns a nomination down, with a reason; a held seat goes to the waitlist."""
    _ensure(actor, "events.confirm")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the nomination is rejected.")})
    course, quota, fresh = _lock(nomination)
    if fresh.status not in (S.SUBMITTED, S.WAITLISTED):
        raise ValidationError(_("Only a submitted or waitlisted nomination can be rejected."))
    held = fresh.holds_seat
    fresh.status = S.REJECTED
    fresh.decision_reason = reason.strip()
    fresh.decided_by = actor
    fresh.decided_at = timezone.now()
    audit.save(actor=actor, instance=fresh, reason=reason)
    if held:
        _free_seat(course, quota)
        _promote_waitlist(actor=actor, course=course)
    return fresh


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The department (or the ministry) withdraws a nomination; its seat goes to the first on
    the waitlist."""
    if actor is not None and not access.scope(actor, "events.confirm").allowed:
        _ensure(actor, "events.nominate", nomination.department.path)
    course, quota, fresh = _lock(nomination)
    if fresh.status not in (S.DRAFT, S.SUBMITTED, S.CONFIRMED, S.WAITLISTED):
        raise ValidationError(_("This nomination is no longer in play."))
    held = fresh.holds_seat
    fresh.status = S.WITHDRAWN
    fresh.decision_reason = reason
    audit.save(actor=actor, instance=fresh, reason=reason)
    if held:
        _free_seat(course, quota)
        _promote_waitlist(actor=actor, course=course)
    return fresh


@transaction.atomic
def nomination_substitute(
    *, actor, nomination: Nomination, person: Person, reason: str = ""
) -> Nomination:
    """Replace a confirmed participant who cannot come; the substitute keeps the seat (no seat
    is freed, so the waitlist does not move). An eligible substitute is confirmed at once, an
    ineligible one waits, seat held, for the ministry's exception."""
    _ensure(actor, "events.nominate", nomination.department.path)
    course, quota, fresh = _lock(nomination)
    _ensure_course_open(course)
    if fresh.status != S.CONFIRMED:
        raise ValidationError(_("Only a confirmed participant can be substituted."))
    if not rules.works_in(person, rules.lineage_paths(fresh.department)):
        raise ValidationError(
            _("%(person)s does not work under %(department)s.")
            % {"person": person.full_name, "department": fresh.department.name}
        )
    if Nomination.objects.filter(course=course, person=person, status__in=ACTIVE).exists():
        raise ValidationError(
            _("%(person)s is already nominated for this course.") % {"person": person.full_name}
        )
    fresh.status = S.SUBSTITUTED
    fresh.decision_reason = reason
    audit.save(
        actor=actor,
        instance=fresh,
        reason=reason or _("Substituted by %(person)s") % {"person": person},
    )
    verdict = check_person(course=course, person=person, audience=fresh.audience)
    substitute = Nomination(
        course=course,
        quota=quota,
        department=fresh.department,
        person=person,
        audience=fresh.audience,
        status=S.CONFIRMED if verdict.ok else S.SUBMITTED,
        is_eligible=verdict.ok,
        eligibility_notes=verdict.as_notes(),
        substitute_for=fresh,
        submitted_at=timezone.now(),
        funded_by=fresh.funded_by,
        created_by=actor,
        note=reason,
    )
    audit.save(
        actor=actor,
        instance=substitute,
        reason=_("Substitute for %(person)s") % {"person": fresh.person},
    )
    if verdict.ok:
        notify.nomination_confirmed(substitute)
    return substitute


def seats_recount(*, course: Course) -> dict[str, int]:
    """What the counters should be, from the nominations (for checks and repairs)."""
    holding = Nomination.objects.filter(course=course, status__in=[S.SUBMITTED, S.CONFIRMED])
    per_quota = Counter(holding.values_list("quota_id", flat=True))
    return {"course": holding.count(), **{str(k): v for k, v in per_quota.items()}}


# --- cascades -------------------------------------------------------------------------------------


@transaction.atomic
def cascade_create(
    *,
    actor,
    parent: Course,
    department: OrgUnit,
    code: str,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    capacity: int = 100,
    venue: str = "",
    days: int = 2,
    mode: str = Mode.IN_PERSON,
) -> Course:
    """A department's own course after a national one: "xây dựng Kế hoạch và triển khai tổ
    chức tập huấn ở đơn vị" (KH 361/KH-BGDĐT §V.5). It carries the national course's modules."""
    _ensure(actor, "events.cascade", department.path)
    if parent.is_cascade:
        raise ValidationError(_("A cascade follows a national course, not another cascade."))
    if department.kind != OrgUnitKind.PROVINCIAL_DEPARTMENT:
        raise ValidationError(_("A cascade course is organised by a provincial department."))
    course = course_create(
        actor=actor,
        code=code,
        title=title,
        owner=department,
        region=parent.region,
        parent=parent,
        starts_on=starts_on,
        ends_on=ends_on,
        is_tentative=ends_on is None,
        days=days,
        mode=mode,
        venue=venue,
        capacity=capacity,
        audiences=[Audience.CORE_TEACHER, Audience.CORE_MANAGER],
        eligibility_rule={},
        modules=list(parent.modules.values_list("title", flat=True)),
    )
    course.status = CourseStatus.OPEN
    return audit.save(actor=actor, instance=course)


def trained_nationally(*, parent: Course, person: Person) -> bool:
    return Certificate.objects.filter(
        course=parent, nomination__person=person, status=CertificateStatus.VALID
    ).exists()


@transaction.atomic
def cascade_trainer_add(*, actor, course: Course, person: Person) -> StaffMember:
    """Name a core teacher trained nationally (holding a valid certificate of the parent
    course) as a trainer of the cascade (KH 361/KH-BGDĐT §V.5)."""
    _ensure(actor, "events.cascade", course.owner.path)
    if course.parent is None:
        raise ValidationError(_("Trainers are named this way on cascade courses only."))
    if not trained_nationally(parent=course.parent, person=person):
        raise ValidationError(
            _("%(person)s holds no valid certificate of %(course)s.")
            % {"person": person.full_name, "course": course.parent.code}
        )
    return staff_member_add(actor=actor, course=course, role=StaffRole.REPORTER, person=person)


@transaction.atomic
def cascade_participant_add(
    *, actor, course: Course, person: Person, audience: str = Audience.CORE_TEACHER
) -> Nomination:
    """Record a participant of a department's cascade course (no quota: the department runs it).
    The course's capacity still holds."""
    _ensure(actor, "events.cascade", course.owner.path)
    if not course.is_cascade:
        raise ValidationError(_("Participants are recorded this way on cascade courses only."))
    _ensure_course_open(course)
    if not rules.works_in(person, rules.lineage_paths(course.owner)):
        raise ValidationError(
            _("%(person)s does not work under %(department)s.")
            % {"person": person.full_name, "department": course.owner.name}
        )
    if StaffMember.objects.filter(course=course, person=person).exists():
        raise ValidationError(
            _("%(person)s is on the course's organising staff.") % {"person": person.full_name}
        )
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if Nomination.objects.filter(course=course, person=person, status__in=ACTIVE).exists():
        raise ValidationError(
            _("%(person)s is already recorded on this course.") % {"person": person.full_name}
        )
    if not _take_seat(locked, None):
        raise ValidationError(_("The course has no seat left."))
    return audit.save(
        actor=actor,
        instance=Nomination(
            course=course,
            department=course.owner,
            person=person,
            audience=audience,
            status=S.CONFIRMED,
            is_eligible=True,
            submitted_at=timezone.now(),
            decided_at=timezone.now(),
            decided_by=actor,
            created_by=actor,
        ),
    )


# --- attendance -----------------------------------------------------------------------------------


def _ensure_attendance(actor, course: Course) -> None:
    _ensure(
        actor,
        "events.cascade" if course.is_cascade else "events.attendance",
        course.owner.path if course.is_cascade else None,
    )


@transaction.atomic
def attendance_set(
    *,
    actor,
    nomination: Nomination,
    day: int,
    is_present: bool,
    source: str = AttendanceSource.LIST,
    minutes_online: int | None = None,
) -> Attendance:
    """Record whether a confirmed participant attended day `day` of the course."""
    course = nomination.course
    _ensure_attendance(actor, course)
    if nomination.status != S.CONFIRMED:
        raise ValidationError(_("Only confirmed participants have attendance."))
    if not 1 <= day <= course.days:
        raise ValidationError(
            _("Day %(day)s is outside the course's %(days)s days.")
            % {"day": day, "days": course.days}
        )
    record = Attendance.objects.filter(nomination=nomination, day=day).first() or Attendance(
        nomination=nomination, day=day
    )
    if not record._state.adding and record.is_present == is_present and record.source == source:
        return record
    record.is_present = is_present
    record.source = source
    record.minutes_online = minutes_online
    record.recorded_by = actor
    return audit.save(actor=actor, instance=record)


@transaction.atomic
def attendance_scan(*, actor, course: Course, code: str, day: int) -> Attendance:
    """Mark a participant present by the code on their badge (typed or read by a scanner)."""
    from .badges import nomination_id_from_badge

    nomination_id = nomination_id_from_badge(code)
    nomination = (
        Nomination.objects.filter(pk=nomination_id, course=course).select_related("person").first()
        if nomination_id
        else None
    )
    if nomination is None:
        raise ValidationError(_("This badge is not one of this course's."))
    return attendance_set(
        actor=actor, nomination=nomination, day=day, is_present=True, source=AttendanceSource.BADGE
    )


def days_attended(nomination: Nomination) -> int:
    return nomination.attendance.filter(is_present=True).count()


# --- results --------------------------------------------------------------------------------------


@transaction.atomic
def result_record(
    *,
    actor,
    nomination: Nomination,
    outcome: str,
    score: Decimal | None = None,
    remarks: str = "",
) -> Result:
    """Record a participant's result. "Đạt" needs the days of attendance the course requires
    (its attendance rule; KH 361/KH-BGDĐT §III.3: 05 days). The result also enters the
    person's training history in the registry, where the next course's rule will read it."""
    course = nomination.course
    _ensure_attendance(actor, course)
    if nomination.status != S.CONFIRMED:
        raise ValidationError(_("Only confirmed participants get a result."))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Unknown result.")})
    attended = days_attended(nomination)
    if outcome == Outcome.PASSED and attended < course.days_required:
        raise ValidationError(
            _("%(person)s attended %(attended)s of the %(required)s days required: not “passed”.")
            % {
                "person": nomination.person.full_name,
                "attended": attended,
                "required": course.days_required,
            }
        )
    result = Result.objects.filter(nomination=nomination).first() or Result(nomination=nomination)
    result.outcome = outcome
    result.score = score
    result.remarks = remarks
    result.recorded_by = actor
    audit.save(actor=actor, instance=result)
    history, _created = TrainingResult.objects.get_or_create(
        person=nomination.person,
        year=course.year,
        course_title=course.title[:255],
        defaults={"result": outcome},
    )
    if history.result != outcome:
        history.result = outcome
        audit.save(
            actor=actor, instance=history, reason=_("Result of %(code)s") % {"code": course.code}
        )
    return result


# --- certificates ---------------------------------------------------------------------------------


@transaction.atomic
def certificate_template_save(
    *, actor, template: CertificateTemplate, reason: str = ""
) -> CertificateTemplate:
    """Save the wording of certificates (certificates.manage). Only known placeholders pass."""
    _ensure(actor, "certificates.manage")
    if template.is_default:
        CertificateTemplate.objects.filter(is_default=True).exclude(pk=template.pk).update(
            is_default=False
        )
    return audit.save(actor=actor, instance=template, reason=reason)


def _next_serial(course: Course) -> int:
    last = (
        Certificate.objects.filter(course=course)
        .order_by("-serial")
        .values_list("serial", flat=True)
        .first()
    )
    return (last or 0) + 1


def _new_certificate(
    *,
    actor,
    course: Course,
    nomination: Nomination,
    serial: int,
    issued_on: dt.date | None = None,
) -> Certificate:
    person = nomination.person
    template = (
        course.certificate_template or CertificateTemplate.objects.filter(is_default=True).first()
    )
    return Certificate(
        course=course,
        nomination=nomination,
        serial=serial,
        number=f"{course.code}-{serial:04d}",
        holder_name=person.full_name,
        holder_birth_date=person.birth_date,
        holder_workplace=person.workplace.name,
        outcome=Outcome.PASSED,
        issued_on=issued_on or timezone.localdate(),
        issued_by=actor,
        template=template,
    )


@transaction.atomic
def certificates_issue(
    *, actor, course: Course, issued_on: dt.date | None = None
) -> list[Certificate]:
    """Number and issue a certificate to every participant rated "đạt" who holds none yet.
    Numbers run per course from 0001 ("361-MB-0001") with no gaps, under the course's lock.
    One audit record covers the batch (with the numbers)."""
    _ensure(
        actor,
        "certificates.manage" if not course.is_cascade else "events.cascade",
        course.owner.path if course.is_cascade else None,
    )
    locked = Course.objects.select_for_update().get(pk=course.pk)
    waiting = list(
        Nomination.objects.filter(course=locked, status=S.CONFIRMED, result__outcome=Outcome.PASSED)
        .exclude(certificates__status=CertificateStatus.VALID)
        .select_related("person__workplace")
        .order_by("department__path", "person__sort_key", "id")
    )
    serial = _next_serial(locked)
    issued = []
    for nomination in waiting:
        issued.append(
            _new_certificate(
                actor=actor,
                course=locked,
                nomination=nomination,
                serial=serial,
                issued_on=issued_on,
            )
        )
        serial += 1
    for certificate in issued:
        certificate.full_clean(validate_unique=False, validate_constraints=False)
    Certificate.objects.bulk_create(issued)
    if issued:
        audit.record(
            actor=actor,
            instance=locked,
            action=AuditEvent.Action.OTHER,
            changes={"certificates": [None, f"{issued[0].number} … {issued[-1].number}"]},
            reason=ngettext(
                "%(count)s certificate issued", "%(count)s certificates issued", len(issued)
            )
            % {"count": len(issued)},
        )
    return issued


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate: a state with its reason and date, never a deletion; the public
    verification page shows it as revoked from now on."""
    _ensure(actor, "certificates.manage")
    if not reason.strip():
        raise ValidationError({"reason": _("A revocation needs a reason.")})
    fresh = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if fresh.status != CertificateStatus.VALID:
        raise ValidationError(_("Only a valid certificate can be revoked."))
    fresh.status = CertificateStatus.REVOKED
    fresh.revoked_at = timezone.now()
    fresh.revoked_by = actor
    fresh.revoke_reason = reason.strip()
    audit.save(actor=actor, instance=fresh, reason=reason)
    _flag_cascades_of(actor=actor, certificate=fresh)
    return fresh


def cascades_trained_by(certificate: Certificate) -> list[StaffMember]:
    """The cascade courses (of the certificate's course) its holder trains on."""
    return list(
        StaffMember.objects.filter(
            course__parent=certificate.course_id,
            role=StaffRole.REPORTER,
            person=certificate.nomination.person_id,
        ).select_related("course__owner")
    )


def _flag_cascades_of(*, actor, certificate: Certificate) -> None:
    """A trainer of a cascade course must hold a valid national certificate (KH 361/KH-BGDĐT
    §V.5). When it is revoked the trainer is not removed — the course may have run already,
    and the department decides — but each such course records it in its history, shows a
    warning (selectors.revoked_trainers) and its department's officers are told."""
    for member in cascades_trained_by(certificate):
        audit.record(
            actor=actor,
            instance=member.course,
            action=AuditEvent.Action.OTHER,
            reason=(
                f"Thu hồi giấy chứng nhận {certificate.number} của báo cáo viên "
                f"{member.full_name}: {certificate.revoke_reason}"
            ),
        )
        notify.trainer_certificate_revoked(member=member, certificate=certificate)


@transaction.atomic
def certificate_replace(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Issue a corrected certificate (a misspelt name, say): the old one becomes "superseded"
    and points to the new number; both stay verifiable."""
    _ensure(actor, "certificates.manage")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is replaced.")})
    course = Course.objects.select_for_update().get(pk=certificate.course_id)
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != CertificateStatus.VALID:
        raise ValidationError(_("Only a valid certificate can be replaced."))
    old.status = CertificateStatus.SUPERSEDED
    audit.save(actor=actor, instance=old, reason=reason)
    new = _new_certificate(
        actor=actor, course=course, nomination=old.nomination, serial=_next_serial(course)
    )
    audit.save(actor=actor, instance=new, reason=reason)
    old.superseded_by = new
    audit.save(actor=actor, instance=old, reason=reason)
    return new


# --- files: bulk nomination and online attendance ------------------------------------------------


def nominations_import(*, actor, course: Course, department: OrgUnit, upload) -> dict:
    """Nominate from a department's filled template, all or nothing: every row is checked
    (the person exists, works under the department, is not nominated yet, the seat kind is
    valid) before any is saved; then each row is created and submitted like a single
    nomination (seats or waitlist, KH 361/KH-BGDĐT §III.1)."""
    from .importing import read_nomination_rows

    _ensure(actor, "events.nominate", department.path)
    _ensure_course_open(course)
    closed = nominations_closed_on(actor, course, department)
    if closed is not None:
        return {"ok": False, "file_error": deadline_passed_message(course, closed), "rows": []}
    try:
        rows = read_nomination_rows(upload)
    except ValueError as exc:
        return {"ok": False, "file_error": str(exc), "rows": []}
    paths = rules.lineage_paths(department)
    people = {
        p.national_id: p
        for p in Person.objects.filter(
            national_id__in=[r.national_id for r in rows]
        ).select_related("workplace")
    }
    taken = set(
        Nomination.objects.filter(course=course, status__in=ACTIVE).values_list(
            "person__national_id", flat=True
        )
    )
    quotas = {q.audience: q for q in course.quotas.filter(department=department)}
    seen = set()
    for row in rows:
        person = people.get(row.national_id)
        if row.errors:
            continue
        if person is None or not rules.works_in(person, paths):
            row.errors.append(_("No one with this ID works under the department."))
            continue
        if row.full_name and fold(row.full_name) != fold(person.full_name):
            row.errors.append(
                _("The name does not match the registry (%(name)s).") % {"name": person.full_name}
            )
        if row.national_id in taken or row.national_id in seen:
            row.errors.append(_("Already nominated for this course."))
        if row.audience not in quotas:
            row.errors.append(_("The department has no quota for this audience."))
        seen.add(row.national_id)
        row.person = person
    if not rows or any(r.errors for r in rows):
        return {"ok": False, "file_error": "" if rows else _("The list has no row."), "rows": rows}
    with transaction.atomic():
        for row in rows:
            assert isinstance(row.person, Person)
            nomination = nomination_nominate(
                actor=actor, quota=quotas[row.audience], person=row.person, note=row.note
            )
            row.outcome = nomination.status
    return {"ok": True, "file_error": "", "rows": rows}


@transaction.atomic
def attendance_import_online(*, actor, course: Course, data: bytes, min_minutes: int = 120) -> dict:
    """Read a video-conference export and mark each matched participant present on each day
    they were online at least `min_minutes` (absent otherwise, when they appear at all)."""
    from .importing import match_online, read_online_attendance

    _ensure_attendance(actor, course)
    records, problems = read_online_attendance(data)
    nominations = list(course.nominations.filter(status=S.CONFIRMED).select_related("person"))
    matched = match_online(records, course=course, nominations=nominations)
    by_pk = {n.pk: n for n in nominations}
    present = absent = 0
    for (nomination_id, day), minutes in sorted(matched["minutes"].items()):
        ok = minutes >= min_minutes
        attendance_set(
            actor=actor,
            nomination=by_pk[nomination_id],
            day=day,
            is_present=ok,
            source=AttendanceSource.ONLINE,
            minutes_online=minutes,
        )
        present += ok
        absent += not ok
    return {
        "rows": len(records),
        "present": present,
        "absent": absent,
        "unmatched": [f"{r.line}: {r.name or r.email}" for r in matched["unmatched"]],
        "outside": [
            f"{r.line}: {r.name or r.email} ({r.joined:%d/%m/%Y})" for r in matched["outside"]
        ],
        "problems": problems,
    }
