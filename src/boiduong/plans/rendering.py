"""A document record (with its plan and tasks) laid out as an official document, to DOCX and PDF.

The mapping follows Nghị định 30/2020/NĐ-CP Phụ lục I: the header keeps the parent body and
issuer as written; a decision's legal basis is a list of "Căn cứ …;" lines under the
issuing authority and above "QUYẾT ĐỊNH:"; other documents open with their citing sentence; the
signature uses the stored authority ("KT. BỘ TRƯỞNG"); a plan's task table becomes its appendix
on a landscape page, with the periods and units as the plan wrote them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext as _

from boiduong.core.fonts import find_serif_fonts
from boiduong.core.officialdoc import (
    Appendix,
    BodyBlock,
    OfficialDocument,
    TaskRow,
    render_docx,
    render_pdf,
    task_appendix,
)
from boiduong.core.text import fold, table_date
from boiduong.orgs.choices import OrgUnitKind

from .choices import DECISION_TYPES, TYPE_NAMES
from .importing import classify
from .models import Document, DocumentSection, PlanTask

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
_BULLET = re.compile(r"^[-+•–]\s*")
_OPERATIVE_WORD = {"QD": "QUYẾT ĐỊNH:", "NQ": "QUYẾT NGHỊ:"}


class NotRenderable(ValueError):
    """The document has no text to lay out (it is known only from a citation)."""


def _parent_body(document: Document) -> str:
    if document.parent_issuer_name:
        return document.parent_issuer_name
    issuer = document.issuer
    if issuer is None:
        return ""
    if issuer.kind == OrgUnitKind.PROVINCIAL_DEPARTMENT and issuer.province is not None:
        return f"UBND {issuer.province.full_name}"
    if issuer.kind == OrgUnitKind.MINISTRY_DEPARTMENT and issuer.parent is not None:
        return issuer.parent.name
    return ""


def is_label(heading: str) -> bool:
    """A heading printed as a heading ("1. Mục đích", "1. Xây dựng các văn bản chỉ đạo, hội
    thảo góp ý kế hoạch") rather than a numbered sentence ("2. Bồi dưỡng cập nhật … mầm non.")."""
    heading = heading.strip()
    if classify(heading):
        return True
    return len(heading.split()) <= 30 and not heading.endswith((".", ";", ":"))


def _text_blocks(text: str) -> list[BodyBlock]:
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        blocks.append(BodyBlock("bullet" if _BULLET.match(line) else "paragraph", line))
    return blocks


def body_blocks(document: Document, sections: list[DocumentSection]) -> list[BodyBlock]:
    blocks: list[BodyBlock] = []
    if document.doc_type in DECISION_TYPES:
        head = document.signer_principal or document.signer_title
        if head:
            blocks.append(BodyBlock("center", f"{head} {document.issuer_name}".upper()))
        blocks += [
            BodyBlock("basis", line.strip())
            for line in document.preamble.splitlines()
            if line.strip()
        ]
        if document.doc_type in _OPERATIVE_WORD:
            blocks.append(BodyBlock("center", _OPERATIVE_WORD[document.doc_type]))
    elif document.preamble.strip():
        blocks.append(BodyBlock("paragraph", document.preamble.strip()))
    for section in sections:
        heading = section.heading.strip()
        if heading:
            if section.level <= 1:
                blocks.append(BodyBlock("heading1", heading))
            elif section.level == 2 and is_label(heading):
                blocks.append(BodyBlock("heading2", heading))
            else:
                blocks.append(BodyBlock("paragraph", heading))
        blocks += _text_blocks(section.text)
    return blocks


def _task_rows(tasks: list[PlanTask]) -> list[TaskRow]:
    rows = []
    for task in tasks:
        lead = task.lead_unit_text or (
            (task.lead_unit.short_name or task.lead_unit.name) if task.lead_unit else ""
        )
        rows.append(
            TaskRow(
                ordinal=task.ordinal,
                content=task.content,
                period=task.period_text or task.period_label,
                product=task.product,
                lead_unit=lead,
                cooperating_units=task.cooperating_text,
            )
        )
    return rows


def _attached_note(document: Document) -> str:
    kind = (document.type_name or "văn bản").capitalize()
    when = f" ngày {table_date(document.issued_on)}" if document.issued_on else ""
    issuer = f" của {document.issuer_name}" if document.issuer_name else ""
    return f"(Kèm theo {kind} số {document.code or '…'}{when}{issuer})"


def official_document(document: Document) -> OfficialDocument:
    """The record as the parts of an official document (Phụ lục I mục II)."""
    if document.is_placeholder:
        raise NotRenderable(
            _("%(code)s is known only from a citation: its text is not in the system.")
            % {"code": document.code}
        )
    sections = list(document.sections.all())
    plan = getattr(document, "plan", None)
    tasks = list(plan.tasks.select_related("lead_unit").order_by("position")) if plan else []
    appendices: list[Appendix] = []
    table_placed = False
    for item in document.appendices.all():
        if item.has_task_table and tasks and not table_placed:
            appendices.append(
                task_appendix(
                    subtitle=item.subtitle,
                    note=item.note or _attached_note(document),
                    tasks=_task_rows(tasks),
                    heading=item.heading or "PHỤ LỤC",
                )
            )
            table_placed = True
    if tasks and not table_placed:
        appendices.append(
            task_appendix(
                subtitle="NỘI DUNG CÔNG VIỆC",
                note=_attached_note(document),
                tasks=_task_rows(tasks),
            )
        )
    return OfficialDocument(
        parent_body=_parent_body(document),
        issuer=document.issuer_name or (document.issuer.name if document.issuer else ""),
        code=document.code,
        notation=document.notation,
        place=document.place,
        issued_on=document.issued_on,
        type_name=TYPE_NAMES.get(document.doc_type, ""),
        title=document.title,
        recipients_salutation="\n".join(document.addressees),
        body=body_blocks(document, sections),
        signer_authority=document.authority_line,
        signer_title=document.signer_title,
        signer_name=document.signer_name,
        recipients=list(document.recipients),
        drafting_unit_abbr=document.drafting_unit_abbr,
        appendices=appendices,
    )


def document_docx(document: Document) -> bytes:
    """The document as a Word file in the national format."""
    return render_docx(official_document(document))


def serif_fonts():
    """Times New Roman, else a metric-compatible serif with Vietnamese glyphs (Phụ lục I I.2)."""
    return find_serif_fonts(
        build_dir=settings.VAR_DIR / "fonts", node_modules=settings.PROJECT_DIR / "node_modules"
    )


def document_pdf(document: Document) -> bytes:
    """The document as a PDF with its font embedded."""
    return render_pdf(official_document(document), fonts=serif_fonts())


def file_name(document: Document, extension: str) -> str:
    """ "361-kh-bgddt-2021.docx": ASCII, safe in a Content-Disposition header."""
    stem = re.sub(r"[^a-z0-9]+", "-", fold(document.code or document.title[:40])).strip("-")
    year = f"-{document.year}" if document.year and str(document.year) not in stem else ""
    return f"{stem or 'van-ban'}{year}.{extension}"
