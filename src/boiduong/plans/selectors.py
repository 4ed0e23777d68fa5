"""Reads of programmes, documents, plans and tasks, always through the access layer."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from boiduong.core import access
from boiduong.core.models import AuditEvent
from boiduong.orgs.models import OrgUnit

from .choices import CLOSED_STATUSES, DUE_SOON_DAYS, DueState, TaskStatus
from .models import Document, LegalBasis, Plan, PlanTask, Programme


def with_due_state(queryset: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Tasks annotated with `due` — the rule of `PlanTask.due_state`, in SQL, so lists can be
    filtered and counted by it."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return queryset.annotate(
        due=Case(
            When(status=TaskStatus.DONE, then=Value(DueState.DONE.value)),
            When(status=TaskStatus.CANCELLED, then=Value(DueState.CANCELLED.value)),
            When(ends_on__isnull=True, then=Value(DueState.ON_TIME.value)),
            When(ends_on__lt=today, then=Value(DueState.OVERDUE.value)),
            When(ends_on__lte=soon, then=Value(DueState.DUE_SOON.value)),
            default=Value(DueState.ON_TIME.value),
            output_field=CharField(),
        )
    )


# --- programmes ---------------------------------------------------------------------------------


def programme_list(*, user) -> QuerySet:
    access.require(user, "plans.view")
    return (
        Programme.objects.select_related("deciding_document")
        .annotate(n_plans=Count("plans", distinct=True))
        .order_by("-start_year", "name")
    )


@dataclass
class PlanNode:
    """A plan in a programme's tree, with its visible sub-plans and task counts."""

    plan: Plan
    depth: int = 0
    children: list[PlanNode] = field(default_factory=list)

    @property
    def done_share(self) -> int:
        total = getattr(self.plan, "n_tasks", 0)
        return round(100 * getattr(self.plan, "n_done", 0) / total) if total else 0


def plan_tree(*, user, programme: Programme) -> list[PlanNode]:
    """The programme's plans the user may see, as a forest (annual → thematic → provincial).

    A plan whose parent the user cannot see is shown at the top level rather than lost."""
    plans = list(
        plan_list(user=user)
        .filter(programme=programme)
        .annotate(
            n_tasks=Count("tasks", distinct=True),
            n_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
        )
        .order_by("year", "document__issued_on", "id")
    )
    nodes = {plan.pk: PlanNode(plan=plan) for plan in plans}
    roots: list[PlanNode] = []
    for plan in plans:
        parent = nodes.get(plan.parent_id) if plan.parent_id else None
        (parent.children if parent else roots).append(nodes[plan.pk])

    def flatten(items: list[PlanNode], depth: int) -> list[PlanNode]:
        out = []
        for node in items:
            node.depth = depth
            out.append(node)
            out.extend(flatten(node.children, depth + 1))
        return out

    return flatten(roots, 0)


# --- documents ----------------------------------------------------------------------------------


def document_list(*, user) -> QuerySet:
    return access.restrict(
        Document.objects.select_related("issuer", "owner"), user, "documents.view"
    )


def document_get(*, user, pk, permission: str = "documents.view") -> Document:
    return access.get_or_404(  # type: ignore[return-value]
        Document.objects.select_related(
            "issuer__parent", "issuer__province", "drafting_unit", "owner", "plan", "register"
        ),
        user,
        permission,
        pk=pk,
    )


def document_citations(*, user, document: Document) -> tuple[QuerySet, QuerySet]:
    """(what the document cites, what cites it), each link with the other document visible to
    the user."""
    visible = document_list(user=user).values("pk")
    cites = (
        LegalBasis.objects.filter(document=document, cited__in=visible)
        .select_related("cited")
        .order_by("position")
    )
    cited_by = (
        LegalBasis.objects.filter(cited=document, document__in=visible)
        .select_related("document")
        .order_by("document__issued_on")
    )
    return cites, cited_by


def evidence_choices(*, user) -> QuerySet:
    """Documents a task's progress can point to: visible, and more than a bare citation."""
    return document_list(user=user).filter(is_placeholder=False).order_by("-issued_on", "code")


# --- plans and tasks ----------------------------------------------------------------------------


def plan_list(*, user) -> QuerySet:
    return access.restrict(
        Plan.objects.select_related("document", "owner", "programme"), user, "plans.view"
    )


def plan_get(*, user, pk, permission: str = "plans.view") -> Plan:
    return access.get_or_404(  # type: ignore[return-value]
        Plan.objects.select_related("document__issuer", "owner", "programme", "parent__document"),
        user,
        permission,
        pk=pk,
    )


def programme_get(*, user, pk, permission: str = "plans.view") -> Programme:
    return access.get_or_404(  # type: ignore[return-value]
        Programme.objects.select_related("deciding_document"), user, permission, pk=pk
    )


def can_manage_plan(user, plan: Plan) -> bool:
    """plans.manage within the scope that holds the plan (national plans: any scope)."""
    return access.has_perm(user, "plans.manage") and (
        access.restrict(Plan.objects.filter(pk=plan.pk), user, "plans.manage").exists()
    )


def can_manage_document(user, document: Document) -> bool:
    return access.has_perm(user, "documents.manage") and (
        access.restrict(Document.objects.filter(pk=document.pk), user, "documents.manage").exists()
    )


def plan_children(*, user, plan: Plan) -> QuerySet:
    return plan_list(user=user).filter(parent=plan).order_by("document__issued_on", "id")


def task_list(*, user, today: dt.date | None = None) -> QuerySet:
    """Tasks the user may see, with their due state, units and evidence loaded."""
    tasks = access.restrict(
        PlanTask.objects.select_related("plan__document", "lead_unit"), user, "plans.view"
    )
    return with_due_state(tasks, today).prefetch_related(
        Prefetch("cooperating_units", queryset=OrgUnit.objects.only("id", "name", "short_name")),
        Prefetch("evidence", queryset=Document.objects.only("id", "code", "title", "doc_type")),
    )


def plan_tasks(*, user, plan: Plan, today: dt.date | None = None) -> list[PlanTask]:
    return list(task_list(user=user, today=today).filter(plan=plan).order_by("position"))


def due_counts(tasks: list[PlanTask]) -> dict[str, int]:
    """How many tasks are in each due state (tasks annotated by `with_due_state`)."""
    counts = Counter(getattr(task, "due", None) or task.due_state() for task in tasks)
    return {state: counts.get(state, 0) for state in DueState.values}


def unit_paths(unit: OrgUnit) -> list[str]:
    """The unit and the units it absorbed in mergers: their staff inherit their tasks."""
    return [unit.path] + [u.path for u in unit.predecessor_tree()]


def my_unit_tasks(*, user, today: dt.date | None = None) -> QuerySet:
    """Tasks the user's workplace — or a unit within it, or a unit it absorbed — leads or
    cooperates on, among the tasks the user may see."""
    unit = getattr(user, "workplace", None)
    tasks = task_list(user=user, today=today)
    if unit is None:
        return tasks.none()
    within = Q()
    cooperating = Q()
    for path in unit_paths(unit):
        within |= Q(lead_unit__path__startswith=path)
        cooperating |= Q(orgunit__path__startswith=path)
    through = PlanTask.cooperating_units.through.objects.filter(cooperating)
    return tasks.filter(within | Q(pk__in=through.values("plantask_id")))


def can_update_task(user, task: PlanTask) -> bool:
    """The plan's owner's scope, or the lead unit's, with plans.update_task: a department
    updates its own plans' tasks and the national tasks it leads."""
    scope = access.scope(user, "plans.update_task")
    if not scope.allowed:
        return False
    if scope.everything:
        return True
    owner = task.plan.owner
    if owner is not None and scope.covers(owner.path):
        return True
    return task.lead_unit is not None and scope.covers(task.lead_unit.path)


def plan_history(*, plan: Plan) -> QuerySet:
    """Audit events of the plan, its document and its tasks, newest first."""
    types = ContentType.objects.get_for_models(Plan, Document, PlanTask)
    task_ids = [str(pk) for pk in plan.tasks.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(content_type=types[Plan], object_id=str(plan.pk))
        | Q(content_type=types[Document], object_id=str(plan.document_id))
        | Q(content_type=types[PlanTask], object_id__in=task_ids)
    ).select_related("actor", "content_type")


def open_statuses() -> list[str]:
    return [status for status in TaskStatus.values if status not in CLOSED_STATUSES]


# --- stated figures against live ones (DESIGN §4) -----------------------------------------------


@dataclass
class LiveFigure:
    """One live count set against a stated figure."""

    label: str
    value: int
    stated: int
    formula: str = ""
    is_approximate: bool = False
    note: str = ""

    @property
    def difference(self) -> int:
        return self.value - self.stated

    @property
    def gap(self) -> int:
        return abs(self.difference)

    @property
    def level(self) -> str:
        """ok (equal), close (within the 10% an "about" allows), or mismatch."""
        if self.difference == 0:
            return "ok"
        if self.is_approximate and abs(self.difference) <= self.stated * 0.1:
            return "close"
        return "mismatch"


@dataclass
class FigureCheck:
    """A figure the plan states and the live counts it is checked against."""

    label: str
    text: str
    stated: int
    rows: list[LiveFigure] = field(default_factory=list)
    courses: list = field(default_factory=list)

    @property
    def level(self) -> str:
        levels = {row.level for row in self.rows}
        for level in ("mismatch", "close", "ok"):
            if level in levels:
                return level
        return "none"


def _unit_counts(on: dt.date) -> dict[str, int]:
    """Provincial departments and training institutions valid on `on`, in one query."""
    from boiduong.orgs.choices import OrgUnitKind

    from .figures import PER_DEPARTMENT, PER_INSTITUTION

    kinds = {
        OrgUnitKind.PROVINCIAL_DEPARTMENT: PER_DEPARTMENT,
        OrgUnitKind.TRAINING_INSTITUTION: PER_INSTITUTION,
    }
    counts = dict.fromkeys(kinds.values(), 0)
    rows = (
        OrgUnit.objects.valid_on(on)
        .filter(kind__in=kinds)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    for kind, n in rows:
        counts[kinds[kind]] = n
    return counts


def _rule_figure(figure, *, counts: dict[str, int], label: str) -> LiveFigure:
    from django.utils.translation import gettext

    from .figures import FIXED, PER_DEPARTMENT

    names = {
        PER_DEPARTMENT: gettext("provincial departments"),
        "institution": gettext("training institutions"),
    }
    total, parts = 0, []
    for term in figure.terms:
        if term.per == FIXED:
            total += term.count
            parts.append(str(term.count))
        else:
            total += term.count * counts[term.per]
            parts.append(f"{term.count} × {counts[term.per]} {names[term.per]}")
    return LiveFigure(
        label=label,
        value=total,
        stated=figure.stated,
        formula=" + ".join(parts) + f" = {total}",
        is_approximate=figure.is_approximate,
    )


def _plan_courses(*, user, plan: Plan) -> list:
    """The national courses (not cascades) delivering the plan's tasks, with their seats."""
    from django.db.models import Sum

    # Read through the reverse relation: plans sits below events and does not import it.
    course_model: Any = PlanTask._meta.get_field("courses").related_model
    courses = access.restrict(
        course_model._default_manager.select_related("region"), user, "events.view"
    )
    return list(
        courses.filter(plan_task__plan=plan, parent__isnull=True)
        .annotate(quota_seats=Sum("quotas__seats"), quota_held=Sum("quotas__seats_held"))
        .order_by("region__order", "code")
    )


def plan_figures(*, user, plan: Plan, today: dt.date | None = None) -> list[FigureCheck]:
    """Each figure the plan states next to the live ones, mismatches flagged (DESIGN §4).

    A composition ("20 + mỗi sở 02 + mỗi cơ sở 02 = khoảng 150") is computed from the registry
    of units valid on the plan's date — and today, when the map has changed since (63 → 34
    provinces). A per-region figure ("khoảng 200 người/1 miền") is set against the seats
    allotted to each regional course delivering the plan's tasks, and the regions' total.
    """
    from django.utils.translation import gettext

    from boiduong.core.text import table_date

    from .figures import stated_figures

    labels = {
        name: str(getattr(Plan._meta.get_field(name), "verbose_name", name))
        for name in Plan.FIELDS_TEXT
    }
    parts = [(labels[name], getattr(plan, name)) for name in Plan.FIELDS_TEXT]
    today = today or timezone.localdate()
    issued = plan.document.issued_on or today
    checks: list[FigureCheck] = []
    courses = None
    units: dict[dt.date, dict[str, int]] = {}
    for figure in stated_figures(parts):
        check = FigureCheck(
            label=figure.label,
            text=figure.text,
            stated=figure.stated,
        )
        if figure.per_region:
            if courses is None:
                courses = _plan_courses(user=user, plan=plan)
            check.courses = courses
            for course in courses:
                check.rows.append(
                    LiveFigure(
                        label=f"{course.code} · {course.region or ''}".strip(" ·"),
                        value=course.quota_seats or 0,
                        stated=figure.stated,
                        formula=gettext("%(seats)s seats allotted, %(held)s nominated")
                        % {"seats": course.quota_seats or 0, "held": course.quota_held or 0},
                        is_approximate=figure.is_approximate,
                    )
                )
            if figure.regions:
                seats = sum(course.quota_seats or 0 for course in courses)
                check.rows.append(
                    LiveFigure(
                        label=gettext("All %(n)s regions") % {"n": figure.regions},
                        value=seats,
                        stated=figure.stated * figure.regions,
                        formula=gettext("%(n)s regional courses in the system")
                        % {"n": len(courses)},
                        is_approximate=figure.is_approximate,
                    )
                )
        elif figure.has_rule:
            for day in (issued, today):
                if day not in units:
                    units[day] = _unit_counts(day)
            check.rows.append(
                _rule_figure(
                    figure,
                    counts=units[issued],
                    label=gettext("Registry on the plan's date (%(date)s)")
                    % {"date": table_date(issued)},
                )
            )
            if units[today] != units[issued]:
                check.rows.append(
                    _rule_figure(
                        figure,
                        counts=units[today],
                        label=gettext("Registry today (%(date)s)") % {"date": table_date(today)},
                    )
                )
        else:
            total = sum(term.count for term in figure.terms)
            if figure.terms:
                check.rows.append(
                    LiveFigure(
                        label=gettext("Sum of the lines above"),
                        value=total,
                        stated=figure.stated,
                        formula=" + ".join(str(t.count) for t in figure.terms) + f" = {total}",
                        is_approximate=figure.is_approximate,
                    )
                )
        checks.append(check)
    return checks


def programme_history(*, programme: Programme) -> QuerySet:
    """Audit events of the programme and of its indicators (removed ones included), newest
    first."""
    from .models import Indicator

    types = ContentType.objects.get_for_models(Programme, Indicator)
    indicator_events = AuditEvent.objects.filter(content_type=types[Indicator])
    removed = indicator_events.filter(
        action=AuditEvent.Action.DELETE, changes__programme__0=programme.pk
    ).values_list("object_id", flat=True)
    ids = [str(pk) for pk in programme.indicators.values_list("pk", flat=True)] + list(removed)
    return AuditEvent.objects.filter(
        Q(content_type=types[Programme], object_id=str(programme.pk))
        | Q(content_type=types[Indicator], object_id__in=ids)
    ).select_related("actor", "content_type")
