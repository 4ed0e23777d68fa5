"""Plans built by the real importer from the test documents in `documents/` (written for these
tests in layouts the seeds do not use)."""

from __future__ import annotations

from pathlib import Path

from boiduong.plans import services
from boiduong.plans.importing import find_document
from boiduong.plans.models import ImportDraft, Plan, PlanTask
from boiduong.plans.parsing import parse_document

DOCUMENTS = Path(__file__).resolve().parent / "documents"
HANOI = "kh_hanoi_2021_nhan_rong.txt"  # Sở GDĐT Hà Nội, a provincial plan under KH 361
CAMAU = "kh_camau_2022_kiem_tra.txt"  # Sở GDĐT Cà Mau, header columns side by side
DRAFT = "kh_ngcbqlgd_du_thao.txt"  # Cục NGCBQLGD, no number or date yet


def text(name: str) -> str:
    return (DOCUMENTS / name).read_text(encoding="utf-8")


def import_plan(name: str, *, actor=None, **kwargs) -> Plan:
    """The plan of a test document, imported once."""
    data = (DOCUMENTS / name).read_bytes()
    parsed = parse_document(data.decode("utf-8"))
    year = parsed.issued_on.year if parsed.issued_on else None
    found = find_document(parsed.code, year) if parsed.number else None
    if found is not None and not found.is_placeholder:
        return found.plan
    return services.plan_import(
        actor=actor, parsed=parsed, source_name=name, source_data=data, **kwargs
    )


def hanoi_plan() -> Plan:
    return import_plan(HANOI)


def camau_plan() -> Plan:
    return import_plan(CAMAU)


def seed_plan(code: str) -> Plan:
    return Plan.objects.select_related("document").get(document__code=code)


def first_task(plan: Plan) -> PlanTask:
    return plan.tasks.order_by("position")[0]


def draft_for(user, name: str = HANOI) -> ImportDraft:
    return services.plan_import_draft_create(actor=user, text=text(name), filename=name)
