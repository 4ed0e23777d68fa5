"""The demo programme: Đề án QĐ 33/QĐ-TTg, its annual plans and the two seed plans.

The programme and the annual plans (QĐ 296/QĐ-BGDĐT for 2020, KH 51/KH-BGDĐT for 2021) are
known only from the seeds' citations, so they are placeholders; KH 451/KH-BGDĐT and
KH 361/KH-BGDĐT are imported from their text (`seeds/`) by the real importer. Idempotent: a
second run finds everything in place and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from boiduong.core import audit
from boiduong.orgs.models import OrgUnit

from . import services
from .choices import DocumentType, PlanKind, TaskStatus
from .importing import find_document
from .models import Document, Indicator, Plan, Programme
from .parsing import parse_document

SEEDS = Path(__file__).resolve().parent / "seeds"
PROGRAMME_CODE = "gdmn-2018-2025"
PROGRAMME_NAME = (
    "Đào tạo, bồi dưỡng nhà giáo và cán bộ quản lý giáo dục mầm non giai đoạn 2018-2025"
)
DEMO_REASON = "Dữ liệu mẫu (setup_demo)"

# (code, type, date, title as the seeds cite it, year of the plan)
ANNUAL_PLANS = [
    (
        "296/QĐ-BGDĐT",
        DocumentType.DECISION,
        dt.date(2020, 2, 7),
        f"Về việc phê duyệt Kế hoạch thực hiện “Đề án {PROGRAMME_NAME}” năm 2020",
        2020,
    ),
    (
        "51/KH-BGDĐT",
        DocumentType.PLAN,
        dt.date(2021, 1, 19),
        f"Thực hiện Đề án “{PROGRAMME_NAME}” năm 2021",
        2021,
    ),
]
# (seed file, code, year, the annual plan it carries out)
SEED_PLANS = [
    ("kh451_bgddt_2020.txt", "451/KH-BGDĐT", 2020, "296/QĐ-BGDĐT"),
    ("kh361_bgddt_2021.txt", "361/KH-BGDĐT", 2021, "51/KH-BGDĐT"),
]
# Targets the seed plans state (the Đề án's own indicators are entered by its managers).
INDICATORS = [
    (
        "Giáo viên, cán bộ quản lý mầm non cốt cán được Bộ tập huấn trực tiếp",
        "người",
        Decimal(600),
        2021,
        "KH 361/KH-BGDĐT mục III: 03 miền, khoảng 200 người/1 miền",
    ),
    (
        "Sở GDĐT và cơ sở đào tạo được Ban Chỉ đạo kiểm tra, giám sát",
        "đơn vị",
        Decimal(8),
        2020,
        "KH 451/KH-BGDĐT mục II.2: 05 đơn vị miền Bắc, miền Trung; 03 đơn vị miền Nam",
    ),
    (
        "Đại biểu hội thảo rà soát, đánh giá một năm thực hiện Đề án",
        "người",
        Decimal(150),
        2020,
        "KH 451/KH-BGDĐT mục II.3: khoảng 150 người",
    ),
]
# KH 361's tasks as they went: the 2021 training took place; the final report is still open.
TASK_PROGRESS = {
    1: (TaskStatus.DONE, 100, "Kế hoạch 361/KH-BGDĐT ban hành ngày 07/04/2021."),
    2: (TaskStatus.DONE, 100, "Tài liệu tập huấn đã được Hội đồng thẩm định."),
    3: (TaskStatus.DONE, 100, "Công văn triệu tập đã gửi các Sở GDĐT."),
    4: (TaskStatus.DONE, 100, "Đã tổ chức tập huấn miền Bắc."),
    5: (TaskStatus.DONE, 100, "Đã tổ chức tập huấn miền Trung và Tây Nguyên."),
    6: (TaskStatus.DONE, 100, "Đã tổ chức tập huấn miền Nam."),
    7: (TaskStatus.IN_PROGRESS, 80, "Đang tổng hợp báo cáo của ba miền."),
}


def _placeholder(
    *, code: str, doc_type: str, issued_on: dt.date, title: str, issuer: OrgUnit | None, name=""
) -> Document:
    found = find_document(code, issued_on.year)
    if found is not None:
        return found
    document = Document(
        doc_type=doc_type,
        number=int(code.split("/")[0]),
        year=issued_on.year,
        notation=code.split("/", 1)[1],
        code=code,
        issued_on=issued_on,
        issuer=issuer,
        issuer_name=name or (issuer.name if issuer else ""),
        owner=issuer,
        title=title,
        is_placeholder=True,
    )
    return audit.save(actor=None, instance=document, reason=DEMO_REASON)


def build(*, log) -> None:
    ministry = OrgUnit.objects.get(code="BGDDT")
    decision = _placeholder(
        code="33/QĐ-TTg",
        doc_type=DocumentType.DECISION,
        issued_on=dt.date(2019, 1, 8),
        title=f"Phê duyệt Đề án “{PROGRAMME_NAME}”",
        issuer=None,
        name="Thủ tướng Chính phủ",
    )
    programme = Programme.objects.filter(code=PROGRAMME_CODE).first()
    if programme is None:
        programme = services.programme_create(
            actor=None,
            code=PROGRAMME_CODE,
            name=PROGRAMME_NAME,
            start_year=2018,
            end_year=2025,
            deciding_document=decision,
            objectives=(
                "Đào tạo, bồi dưỡng đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non "
                "đáp ứng yêu cầu đổi mới công tác chăm sóc, giáo dục trẻ; xây dựng đội ngũ giáo "
                "viên, cán bộ quản lý cốt cán và chuyên gia đầu ngành."
            ),
        )
        for position, (name, unit, target, year, source) in enumerate(INDICATORS, start=1):
            indicator = Indicator(
                programme=programme,
                position=position,
                name=name,
                unit=unit,
                target=target,
                year=year,
                source=source,
            )
            audit.save(actor=None, instance=indicator, reason=DEMO_REASON)

    annual: dict[str, Plan] = {}
    for code, doc_type, issued_on, title, year in ANNUAL_PLANS:
        document = _placeholder(
            code=code, doc_type=doc_type, issued_on=issued_on, title=title, issuer=ministry
        )
        plan = Plan.objects.filter(document=document).first()
        if plan is None:
            plan = services.plan_create(
                actor=None,
                document=document,
                programme=programme,
                kind=PlanKind.ANNUAL,
                year=year,
            )
        annual[code] = plan

    imported = 0
    for filename, code, year, parent_code in SEED_PLANS:
        found = find_document(code, year)
        if found is not None and not found.is_placeholder:
            continue
        data = (SEEDS / filename).read_bytes()
        services.plan_import(
            actor=None,
            parsed=parse_document(data.decode("utf-8")),
            programme=programme,
            parent=annual[parent_code],
            source_name=filename,
            source_data=data,
        )
        imported += 1

    plan_361 = Plan.objects.get(document__code="361/KH-BGDĐT", document__year=2021)
    tasks = list(plan_361.tasks.order_by("position"))
    if all(t.status == TaskStatus.NOT_STARTED and t.progress == 0 for t in tasks):
        for task in tasks:
            status, progress, note = TASK_PROGRESS.get(task.position, (task.status, 0, ""))
            evidence = [plan_361.document] if task.position == 1 else None
            services.task_update(
                actor=None,
                task=task,
                status=status,
                progress=progress,
                note=note,
                evidence=evidence,
            )
    log(f"Plans: programme {programme.code}, {imported} seed plan(s) imported")
