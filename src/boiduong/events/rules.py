"""The rules of a course, as functions of data: eligibility (explained per person), which
department a person belongs to across the 2025 merger, and how seats are split into quotas.

Nothing here writes; services call these and store what they return.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.utils.translation import gettext as _

from boiduong.orgs.models import OrgUnit

from .choices import Audience

#: Audiences a department nominates from its core staff (experts are invited, not nominated).
NOMINATED_AUDIENCES = (Audience.CORE_TEACHER, Audience.CORE_MANAGER)

#: KH 361/KH-BGDĐT §III.1: "giáo viên và cán bộ quản lý ... cốt cán ... được đánh giá đạt trong
#: đợt tập huấn, bồi dưỡng năm 2020".
KH361_RULE = {
    "core_staff": True,
    "core_staff_year": 2020,
    "training_round_year": 2020,
    "training_result": "dat",
    "audience_matches": True,
}


@dataclass(frozen=True)
class Check:
    ok: bool
    text: str


@dataclass
class Eligibility:
    """Whether a person may be nominated, with one line per condition of the rule."""

    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def reasons(self) -> list[str]:
        """Why not, in the user's language (empty when eligible)."""
        return [check.text for check in self.checks if not check.ok]

    def as_notes(self) -> list[dict]:
        return [{"ok": check.ok, "text": check.text} for check in self.checks]


def rule_summary(rule: Mapping) -> str:
    """The rule in one sentence, for the course page."""
    parts = []
    if rule.get("core_staff"):
        year = rule.get("core_staff_year") or rule.get("training_round_year")
        parts.append(_("core staff in %(year)s") % {"year": year} if year else _("core staff"))
    if rule.get("training_result") == "dat":
        year = rule.get("training_round_year")
        parts.append(
            _("rated “passed” in the %(year)s training round") % {"year": year}
            if year
            else _("rated “passed” in the previous training round")
        )
    if rule.get("audience_matches"):
        parts.append(_("nominated for the seats of their own kind (teacher or manager)"))
    return "; ".join(parts) if parts else _("no condition: anyone may be nominated")


def _kind_label(code: str) -> str:
    return str(dict(Audience.choices).get(code, code))


def eligibility(*, rule: Mapping, person, audience: str | None = None) -> Eligibility:
    """Check `person` against a course's eligibility rule and explain each condition.

    Reads the person's core-staff statuses and training results through `.all()`, so a list
    of candidates prefetched with `core_statuses` and `training_results` costs no query per
    person. KH 361/KH-BGDĐT §III.1 is the rule the demo courses carry (`KH361_RULE`).
    """
    result = Eligibility()
    statuses = list(person.core_statuses.all())
    trainings = list(person.training_results.all())
    core_year = rule.get("core_staff_year") or rule.get("training_round_year")
    core_kind = None
    if rule.get("core_staff"):
        core = [s for s in statuses if s.is_core and (core_year is None or s.year == core_year)]
        if core:
            core_kind = core[0].kind
            result.checks.append(
                Check(
                    True,
                    _("Core staff in %(year)s (%(kind)s).")
                    % {"year": core[0].year, "kind": _kind_label(core_kind)},
                )
            )
        else:
            result.checks.append(
                Check(
                    False,
                    _("Not on the core-staff list of %(year)s.") % {"year": core_year}
                    if core_year
                    else _("Not on any core-staff list."),
                )
            )
    wanted = rule.get("training_result")
    if wanted:
        year = rule.get("training_round_year")
        in_round = [t for t in trainings if year is None or t.year == year]
        if any(t.result == wanted for t in in_round):
            result.checks.append(
                Check(True, _("Rated “passed” in the %(year)s training round.") % {"year": year})
            )
        elif in_round:
            result.checks.append(
                Check(
                    False,
                    _("Rated “not passed” in the %(year)s training round.") % {"year": year},
                )
            )
        else:
            result.checks.append(
                Check(
                    False,
                    _("No result recorded for the %(year)s training round.") % {"year": year},
                )
            )
    if rule.get("audience_matches") and audience in NOMINATED_AUDIENCES and core_kind:
        if core_kind == audience:
            result.checks.append(
                Check(True, _("Nominated for a %(kind)s seat.") % {"kind": _kind_label(audience)})
            )
        else:
            result.checks.append(
                Check(
                    False,
                    _("Is a %(kind)s, not a %(seat)s: nominate for a %(kind)s seat instead.")
                    % {"kind": _kind_label(core_kind), "seat": _kind_label(audience)},
                )
            )
    return result


def suggested_audience(person, rule: Mapping) -> str:
    """The seat a person fits: their core-staff kind in the rule's year, else teacher."""
    year = rule.get("core_staff_year") or rule.get("training_round_year")
    for status in person.core_statuses.all():
        if status.is_core and (year is None or status.year == year) and status.kind:
            return status.kind
    return Audience.CORE_TEACHER


# --- departments across the 2025 merger ---------------------------------------------------------


def department_lineage(department: OrgUnit) -> list[OrgUnit]:
    """The department, the departments it merged into and those merged into it.

    A 2021 course's quota belongs to a 2021 department (Sở GDĐT Hà Nội until 30/06/2025) while
    today's registry files its people under today's department: both are the same lineage.
    """
    lineage = [department]
    current: OrgUnit | None = department
    while current is not None and current.successor_id and current.successor not in lineage:
        current = current.successor
        if current is not None:
            lineage.append(current)
    for unit in list(lineage):
        for older in unit.predecessor_tree():
            if older not in lineage:
                lineage.append(older)
    return lineage


def nomination_deadline(course, department: OrgUnit):
    """The day by which `department` sends its list for `course`: the latest deadline of the
    course's calls addressed to it (a later công văn may extend it); None without a call."""
    from django.db.models import Max

    return course.calls.filter(recipients__department=department).aggregate(
        deadline=Max("deadline")
    )["deadline"]


def lineage_paths(department: OrgUnit) -> list[str]:
    return [unit.path for unit in department_lineage(department)]


def works_in(person, paths: Sequence[str]) -> bool:
    workplace_path = person.workplace.path
    return any(workplace_path.startswith(path) for path in paths)


# --- quotas ---------------------------------------------------------------------------------------


def allocate(total: int, weights: Mapping[Hashable, float]) -> dict[Hashable, int]:
    """Split `total` seats in proportion to `weights` (largest remainder, Hamilton's method):
    the parts add up to `total` exactly; ties go to the earlier key. All-zero weights split
    equally."""
    keys = list(weights)
    if not keys:
        return {}
    if total <= 0:
        return dict.fromkeys(keys, 0)
    values = {k: Decimal(str(max(0.0, float(weights[k])))) for k in keys}
    weight_sum = sum(values.values())
    if weight_sum == 0:
        values = dict.fromkeys(keys, Decimal(1))
        weight_sum = Decimal(len(keys))
    exact = {k: Decimal(total) * values[k] / weight_sum for k in keys}
    floors = {k: int(exact[k].to_integral_value(rounding=ROUND_FLOOR)) for k in keys}
    left = total - sum(floors.values())
    order = sorted(keys, key=lambda k: (-(exact[k] - floors[k]), keys.index(k)))
    for key in order[:left]:
        floors[key] += 1
    return floors


def propose_quotas(
    *,
    capacity: int,
    departments: Iterable[OrgUnit],
    audiences: Sequence[str],
    core_counts: Mapping[tuple[int, str], float] | None = None,
) -> dict[tuple[int, str], int]:
    """Seats per (department id, audience) adding up to `capacity`.

    Equal split across departments, then across audiences, unless `core_counts` (core staff per
    department and kind) is given: then both splits follow those counts. KH 361/KH-BGDĐT §III.2:
    "khoảng 200 người/1 miền" shared by the region's departments.
    """
    departments = list(departments)
    audiences = [a for a in audiences if a in NOMINATED_AUDIENCES] or list(NOMINATED_AUDIENCES)
    if core_counts is None:
        per_department = allocate(capacity, {d.pk: 1 for d in departments})
    else:
        per_department = allocate(
            capacity,
            {d.pk: sum(core_counts.get((d.pk, a), 0) for a in audiences) for d in departments},
        )
    seats: dict[tuple[int, str], int] = {}
    for department in departments:
        if core_counts is None:
            split = allocate(per_department[department.pk], dict.fromkeys(audiences, 1))
        else:
            split = allocate(
                per_department[department.pk],
                {a: core_counts.get((department.pk, a), 0) for a in audiences},
            )
        for audience, count in split.items():
            seats[(department.pk, str(audience))] = count
    return seats


def stated_check(*, actual: int, stated: int | None, tolerance: float = 0.1) -> dict:
    """Compare a computed total with the figure a plan states ("khoảng 200"): equal, close
    (within the tolerance of an "about"), or a mismatch to flag."""
    if stated is None:
        return {"stated": None, "actual": actual, "difference": None, "level": "none"}
    difference = actual - stated
    if difference == 0:
        level = "ok"
    elif abs(difference) <= stated * tolerance:
        level = "close"
    else:
        level = "mismatch"
    return {"stated": stated, "actual": actual, "difference": difference, "level": level}
