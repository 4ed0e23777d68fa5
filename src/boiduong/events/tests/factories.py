"""Small builders for tests: a fresh course with quotas, and registry people with the facts the
eligibility rule reads. Everything goes through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, connections

from boiduong.orgs.models import OrgUnit, Region
from boiduong.people.models import CoreStaffStatus, Person, TrainingResult

from .. import rules, services
from ..choices import Audience
from ..models import Course, Quota

_numbers = itertools.count(1)


def course(
    *,
    code: str | None = None,
    capacity: int = 200,
    region: str = "mien-bac",
    starts_on: dt.date = dt.date(2026, 3, 2),
    days: int = 5,
    days_required: int = 4,
    rule: dict | None = None,
) -> Course:
    number = next(_numbers)
    return services.course_create(
        actor=None,
        code=code or f"T{number}-MB",
        title=f"Lớp thử nghiệm {number}",
        owner=OrgUnit.objects.get(code="NGCBQLGD"),
        region=Region.objects.get(code=region),
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=days - 1),
        is_tentative=False,
        days=days,
        days_required=days_required,
        capacity=capacity,
        audiences=[Audience.CORE_TEACHER, Audience.CORE_MANAGER],
        eligibility_rule=dict(rules.KH361_RULE if rule is None else rule),
        modules=["Học phần 1", "Học phần 2"],
        stated_participants=capacity,
    )


def quota(course: Course, department_code: str = "SGD01-2025", *, seats: int = 4,
          audience: str = Audience.CORE_TEACHER) -> Quota:  # fmt: skip
    department = OrgUnit.objects.get(code=department_code)
    found = Quota.objects.filter(course=course, department=department, audience=audience).first()
    if found is None:
        from boiduong.core import audit

        found = audit.save(
            actor=None,
            instance=Quota(course=course, department=department, audience=audience, seats=seats),
        )
    else:
        services.quota_set(actor=None, quota=found, seats=seats)
    return found


def school(department_code: str = "SGD01-2025") -> OrgUnit:
    found = OrgUnit.objects.filter(parent__code=department_code, kind="school").order_by("path")
    if found:
        return found[0]
    department = OrgUnit.objects.get(code=department_code)
    unit = OrgUnit(
        kind="school",
        name="Trường Mầm non Thử Nghiệm",
        code=f"{department_code}-MN999",
        parent=department,
        province=department.province,
    )
    unit.save()
    return unit


def reference_world() -> None:
    """Just the provinces, regions and units (for transactional tests, which start empty)."""
    from boiduong.orgs.services import load_reference_data

    load_reference_data()


def person(
    *,
    name: str | None = None,
    department_code: str = "SGD01-2025",
    core: str | None = Audience.CORE_TEACHER,
    core_year: int = 2020,
    result: str | None = "dat",
    email: str = "",
) -> Person:
    number = next(_numbers)
    found = Person.objects.create(
        national_id=f"09{number:010d}",
        full_name=name or f"Nguyễn Thị Thử {number}",
        workplace=school(department_code),
        email=email or f"thu{number}@example.vn",
    )
    if core:
        CoreStaffStatus.objects.create(person=found, year=core_year, kind=core, is_core=True)
    if result:
        TrainingResult.objects.create(
            person=found, year=core_year, course_title="Bồi dưỡng cốt cán", result=result
        )
    return found


@dataclass
class Race:
    """What `race` saw: each call's result, the refusals (ValidationError) and anything else."""

    results: list = field(default_factory=list)
    refusals: list[ValidationError] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)


def race(work: Callable, items: Iterable) -> Race:
    """Call `work(item)` for every item at the same moment (PostgreSQL concurrency tests): one
    thread each, with its own database connection opened before a barrier, so the race is the
    call itself."""
    items = list(items)
    barrier = threading.Barrier(len(items))
    seen = Race()

    def run(item):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            seen.results.append(work(item))
        except ValidationError as exc:
            seen.refusals.append(exc)
        except Exception as exc:  # collected for the test to report
            seen.errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen
