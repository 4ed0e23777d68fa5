"""Writes to programmes, documents, plans and tasks. Every one validates, runs in one
transaction and leaves an audit record (`core.audit`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from boiduong.core import audit
from boiduong.core.models import AuditEvent
from boiduong.core.text import table_date
from boiduong.orgs.models import OrgUnit

from .choices import CLOSED_STATUSES, NOTATION_ABBREVIATIONS, DocumentType, PlanKind, TaskStatus
from .importing import (
    PlanImportPreview,
    notation_of,
    placeholder_owner,
    plan_import_preview,
)
from .models import (
    Attachment,
    Document,
    DocumentAppendix,
    DocumentSection,
    ImportDraft,
    Indicator,
    LegalBasis,
    NumberCounter,
    NumberRegister,
    Plan,
    PlanTask,
    Programme,
    Responsibility,
)
from .parsing import LegalRef, ParsedDocument
from .units import UnitResolver

DRAFT_LIFETIME = dt.timedelta(days=2)


class PlanImportError(ValueError):
    """The document cannot be imported as a plan; ``str(e)`` is a message for the user."""

    def __init__(self, message: str, *, preview: PlanImportPreview | None = None):
        super().__init__(message)
        self.preview = preview


class DocumentSignError(ValueError):
    """The document cannot be numbered; ``str(e)`` is a message for the user."""


class TaskUpdateError(ValueError):
    """The task update breaks a rule; ``str(e)`` is a message for the user."""


# --- documents ----------------------------------------------------------------------------------


def document_placeholder_get_or_create(
    *, actor, ref: LegalRef, resolver: UnitResolver, citing_owner: OrgUnit | None
) -> tuple[Document, bool]:
    """The document `ref` cites: the one already in the system, or a new placeholder holding
    what the citation tells (number and notation, type, date, issuer when the notation names
    one). A placeholder is filled in when its own text is imported."""
    from .importing import find_document

    year = ref.issued_on.year if ref.issued_on else None
    found = find_document(ref.code, year)
    if found is not None:
        if found.is_placeholder and found.issued_on is None and ref.issued_on is not None:
            found.issued_on, found.year = ref.issued_on, year
            audit.save(actor=actor, instance=found, reason=_("date learnt from a citation"))
        return found, False
    issuer, owner = placeholder_owner(ref=ref, resolver=resolver, citing_owner=citing_owner)
    doc_type = ref.doc_type if ref.doc_type in DocumentType.values else DocumentType.DISPATCH
    document = Document(
        doc_type=doc_type,
        number=ref.number,
        year=year,
        notation=notation_of(ref.code),
        code=ref.code,
        issued_on=ref.issued_on,
        issuer=issuer,
        issuer_name=issuer.name if issuer else "",
        owner=owner,
        is_placeholder=True,
    )
    audit.save(actor=actor, instance=document, reason=_("cited as legal basis"))
    return document, True


def _fill_document(document: Document, preview: PlanImportPreview) -> None:
    parsed = preview.parsed
    document.doc_type = parsed.doc_type
    document.number = parsed.number
    document.year = preview.year
    document.notation = parsed.notation
    document.code = parsed.code
    document.issuer = preview.issuer
    document.issuer_name = parsed.issuer
    document.parent_issuer_name = parsed.parent_issuer
    document.drafting_unit = preview.drafting_unit
    document.drafting_unit_abbr = parsed.drafting_unit_abbr
    document.owner = preview.owner
    document.place = parsed.place
    document.issued_on = parsed.issued_on
    document.signer_name = parsed.signer_name
    document.signer_title = parsed.signer_title
    document.signer_authority = preview.signer_authority
    document.signer_principal = preview.signer_principal
    document.title = parsed.title
    document.preamble = preview.preamble
    document.recipients = list(parsed.recipients)
    document.addressees = list(parsed.addressees)
    document.is_placeholder = False
    document.import_warnings = list(parsed.warnings)


def _write_body(document: Document, preview: PlanImportPreview) -> None:
    document.sections.all().delete()
    document.appendices.all().delete()
    DocumentSection.objects.bulk_create(
        DocumentSection(
            document=document,
            position=index,
            level=max(1, min(section.level, 4)),
            heading=section.heading,
            text=section.text,
        )
        for index, section in enumerate(preview.body_sections, start=1)
    )
    DocumentAppendix.objects.bulk_create(
        DocumentAppendix(
            document=document,
            position=index,
            heading=item.heading[:100],
            subtitle=item.subtitle,
            note=item.note,
            has_task_table=item.has_task_table,
        )
        for index, item in enumerate(preview.appendices, start=1)
    )


def _write_basis(*, actor, document: Document, preview: PlanImportPreview) -> list[Document]:
    document.basis_links.all().delete()
    resolver = UnitResolver(on=preview.parsed.issued_on)
    created = []
    for position, item in enumerate(preview.basis, start=1):
        cited, new = document_placeholder_get_or_create(
            actor=actor, ref=item.ref, resolver=resolver, citing_owner=preview.owner
        )
        if new:
            created.append(cited)
        LegalBasis.objects.get_or_create(
            document=document,
            cited=cited,
            defaults={"position": position, "sentence": item.ref.text},
        )
    return created


# --- plans --------------------------------------------------------------------------------------


def _write_tasks(*, actor, plan: Plan, preview: PlanImportPreview) -> None:
    if plan.pk:
        plan.tasks.all().delete()
    for position, item in enumerate(preview.tasks, start=1):
        parsed = item.parsed
        cooperating = [link.unit for link in item.cooperating if link.unit is not None]
        separator = "; " if any("," in text for text in parsed.cooperating_units) else ", "
        task = PlanTask(
            plan=plan,
            position=position,
            ordinal=parsed.ordinal[:16],
            content=parsed.content,
            period_text=parsed.period_text[:200],
            starts_on=parsed.starts_on,
            ends_on=parsed.ends_on,
            product=parsed.product,
            lead_unit=item.lead.unit,
            lead_unit_text=parsed.lead_unit[:400],
            cooperating_text=separator.join(parsed.cooperating_units),
        )
        audit.save(actor=actor, instance=task, reason=_("imported from the plan's task table"))
        if cooperating:
            task.cooperating_units.set({unit.pk for unit in cooperating})


def _write_responsibilities(plan: Plan, preview: PlanImportPreview) -> None:
    plan.responsibilities.all().delete()
    Responsibility.objects.bulk_create(
        Responsibility(
            plan=plan,
            position=index,
            unit=item.unit,
            unit_text=item.unit_text[:400],
            duties=item.duties,
        )
        for index, item in enumerate(preview.responsibilities, start=1)
    )


def _import_atomically(write, *, busy: str, invalid: str):
    """Run `write()` in one transaction; database refusals become a :class:`PlanImportError`
    (`busy` for a concurrent import, `invalid` with "%(errors)s" for a validation error)."""
    try:
        with transaction.atomic():
            return write()
    except IntegrityError as exc:  # a concurrent import of the same document won the race
        raise PlanImportError(busy) from exc
    except ValidationError as exc:
        raise PlanImportError(invalid % {"errors": "; ".join(exc.messages)}) from exc


def plan_import(
    *,
    actor,
    parsed: ParsedDocument,
    programme: Programme | None = None,
    parent: Plan | None = None,
    kind: str | None = None,
    replace: bool = False,
    source_name: str = "",
    source_data: bytes | None = None,
) -> Plan:
    """Turn a parsed plan (Kế hoạch) into records, all or nothing.

    Creates (or fills in, when it was a placeholder; or, with `replace`, rewrites) the document
    with its sections, appendices and recipients; the plan with its texts, responsibilities
    and task rows (units linked where they resolve, the text as written always kept); and links
    each document cited in the preamble, creating placeholders for those not in the system yet.
    The plan hangs under `parent` — by default the plan of a document it cites ("Triển khai
    thực hiện Kế hoạch số 51/KH-BGDĐT") — and `programme` (by default its parent's).
    Raises :class:`PlanImportError` with a Vietnamese message when nothing can be imported.
    """
    return _import_atomically(
        lambda: _plan_import(
            actor=actor,
            parsed=parsed,
            programme=programme,
            parent=parent,
            kind=kind,
            replace=replace,
            source_name=source_name,
            source_data=source_data,
        ),
        busy=_("The plan could not be saved because another import changed it at the same time."),
        invalid=_("The plan could not be saved: %(errors)s"),
    )


def document_import(
    *,
    actor,
    parsed: ParsedDocument,
    programme: Programme | None = None,
    parent: Plan | None = None,
    kind: str | None = None,
    replace: bool = False,
    source_name: str = "",
    source_data: bytes | None = None,
) -> Document:
    """Turn a parsed official document that is not a plan (a decision, a công văn …) into a
    document record, all or nothing: header, sections, recipients, legal basis (placeholders
    for the documents cited that are not in the system yet) and the source file. A placeholder
    of the same number is filled in, keeping what points at it; a document already in the
    system is refused unless `replace`. A plan goes through :func:`plan_import`.

    Place in the plan tree (`importing.document_plan_links`): a decision imported under a
    `programme` or a `parent` plan is recorded as a plan without a task table (the way
    QĐ 296/QĐ-BGDĐT approves the 2020 implementation plan); the plan a decision already
    carries is kept — with `replace` too — and placed again only when asked; for a công văn,
    a report … the options are not applied and the preview says so (`not_applied`). A parent
    that is the decision's own plan or one of its sub-plans is refused.
    """
    if parsed.doc_type == DocumentType.PLAN:
        raise PlanImportError(_("This document is a plan: import it as a plan."))

    def write() -> Document:
        preview = plan_import_preview(
            parsed=parsed, programme=programme, parent=parent, kind=kind, replace=replace
        )
        if not preview.ok:
            raise PlanImportError(preview.errors[0], preview=preview)
        document = _write_document(
            actor=actor, preview=preview, source_name=source_name, source_data=source_data
        )
        _write_document_plan(actor=actor, document=document, preview=preview)
        return document

    return _import_atomically(
        write,
        busy=_(
            "The document could not be saved because another import changed it at the same time."
        ),
        invalid=_("The document could not be saved: %(errors)s"),
    )


IMPORT_REASONS = {
    "create": _lazy("imported"),
    "fill_placeholder": _lazy("imported: the text of a document cited before"),
    "replace": _lazy("imported again, replacing the earlier import"),
}


def _write_document(
    *, actor, preview: PlanImportPreview, source_name: str, source_data: bytes | None
) -> Document:
    """The document of `preview` with its body, legal basis and source file (in a transaction)."""
    document = preview.existing or Document()
    if preview.existing is not None:
        document = Document.objects.select_for_update().get(pk=preview.existing.pk)
    _fill_document(document, preview)
    audit.save(actor=actor, instance=document, reason=str(IMPORT_REASONS[preview.action]))
    _write_body(document, preview)
    _write_basis(actor=actor, document=document, preview=preview)
    if source_data is not None:
        attachment = Attachment(
            document=document,
            name=source_name or f"{document.code or 'van-ban'}.txt",
            is_source=True,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(attachment.name, ContentFile(source_data), save=False)
        attachment.save()
    return document


DOCUMENT_PLAN_REASONS = {
    "create": _lazy("decision recorded as a plan at its import"),
    "update": _lazy("placed again in the plan tree at the import of its decision"),
}


def _write_document_plan(*, actor, document: Document, preview: PlanImportPreview) -> None:
    """Record the decision as a plan, or place its plan again, as the preview says; a plan
    that is kept is not touched."""
    if preview.plan_action not in DOCUMENT_PLAN_REASONS:
        return
    plan = Plan.objects.select_for_update().filter(document=document).first()
    if plan is None:
        plan = Plan(document=document, owner=document.owner, year=document.year)
    plan.programme = preview.programme
    plan.parent = preview.parent
    plan.kind = preview.kind
    audit.save(actor=actor, instance=plan, reason=str(DOCUMENT_PLAN_REASONS[preview.plan_action]))


def _plan_import(
    *,
    actor,
    parsed: ParsedDocument,
    programme: Programme | None,
    parent: Plan | None,
    kind: str | None,
    replace: bool,
    source_name: str,
    source_data: bytes | None,
) -> Plan:
    preview = plan_import_preview(
        parsed=parsed, programme=programme, parent=parent, kind=kind, replace=replace
    )
    if not preview.is_plan:
        type_name = parsed.type_name.capitalize() or _("official letter")
        raise PlanImportError(
            _(
                "%(code)s is a document of type “%(type)s”, not a plan: only plans (Kế hoạch) "
                "can be imported here."
            )
            % {"code": parsed.code or parsed.title[:60] or "?", "type": type_name},
            preview=preview,
        )
    if not preview.ok:
        raise PlanImportError(preview.errors[0], preview=preview)

    document = _write_document(
        actor=actor, preview=preview, source_name=source_name, source_data=source_data
    )
    plan = Plan.objects.filter(document=document).first() or Plan(document=document)
    plan.programme = preview.programme
    plan.parent = preview.parent
    plan.kind = preview.kind
    plan.owner = preview.owner
    plan.year = preview.year
    for name in Plan.FIELDS_TEXT:
        setattr(plan, name, preview.fields.get(name, ""))
    audit.save(actor=actor, instance=plan, reason=str(IMPORT_REASONS[preview.action]))
    _write_responsibilities(plan, preview)
    _write_tasks(actor=actor, plan=plan, preview=preview)
    return plan


def plan_import_draft_create(
    *, actor, text: str, filename: str = "", data: bytes | None = None
) -> ImportDraft:
    """Keep a text to import on the server until its preview is confirmed. Drafts of the same
    user older than two days are cleared on the way."""
    ImportDraft.objects.filter(
        created_by=actor, created_at__lt=timezone.now() - DRAFT_LIFETIME
    ).delete()
    draft = ImportDraft(created_by=actor, text=text, filename=filename[:255])
    if data is not None and filename:
        draft.source.save(filename, ContentFile(data), save=False)
    draft.save()
    return draft


def plan_import_draft_confirm(
    *,
    actor,
    draft: ImportDraft,
    programme: Programme | None = None,
    parent: Plan | None = None,
    kind: str | None = None,
    replace: bool = False,
) -> Plan:
    """Import the text kept in `draft` (parsed again: exactly what the preview showed)."""
    from .parsing import parse_document

    if draft.plan_id is not None:
        raise PlanImportError(_("This text has already been imported."))
    parsed = parse_document(draft.text)
    name, data = _draft_source(draft)
    with transaction.atomic():
        plan = plan_import(
            actor=actor,
            parsed=parsed,
            programme=programme,
            parent=parent,
            kind=kind,
            replace=replace,
            source_name=name,
            source_data=data,
        )
        draft.plan = plan
        draft.save(update_fields=["plan"])
    return plan


def _draft_source(draft: ImportDraft) -> tuple[str, bytes]:
    """The file kept with `draft` (name, bytes), or its pasted text as a .txt file."""
    name = draft.filename or "noi-dung-dan.txt"
    if draft.source:
        with draft.source.open("rb") as handle:
            return name, handle.read()
    if not name.endswith(".txt"):
        name = f"{name}.txt"
    return name, draft.text.encode("utf-8")


def document_import_draft_confirm(
    *,
    actor,
    draft: ImportDraft,
    programme: Programme | None = None,
    parent: Plan | None = None,
    kind: str | None = None,
    replace: bool = False,
) -> Document:
    """Import the document (not a plan) kept in `draft`, placed as :func:`document_import`
    says; the draft is used up (deleted)."""
    from .parsing import parse_document

    parsed = parse_document(draft.text)
    name, data = _draft_source(draft)
    with transaction.atomic():
        document = document_import(
            actor=actor,
            parsed=parsed,
            programme=programme,
            parent=parent,
            kind=kind,
            replace=replace,
            source_name=name,
            source_data=data,
        )
        draft.delete()
    return document


@transaction.atomic
def plan_create(
    *,
    actor,
    document: Document,
    programme: Programme | None = None,
    parent: Plan | None = None,
    kind: str = PlanKind.ANNUAL,
    year: int | None = None,
) -> Plan:
    """A plan record for a document already in the system (an annual plan known only as a
    placeholder, such as QĐ 296/QĐ-BGDĐT approving the 2020 implementation plan)."""
    plan = Plan(
        document=document,
        programme=programme,
        parent=parent,
        kind=kind,
        owner=document.owner,
        year=year or document.year,
    )
    return audit.save(actor=actor, instance=plan, reason=_("plan recorded"))


@transaction.atomic
def programme_create(
    *,
    actor,
    code: str,
    name: str,
    start_year: int,
    end_year: int,
    deciding_document: Document | None = None,
    objectives: str = "",
) -> Programme:
    """A programme (Đề án) and the document deciding it."""
    programme = Programme(
        code=code,
        name=name,
        start_year=start_year,
        end_year=end_year,
        deciding_document=deciding_document,
        objectives=objectives,
    )
    return audit.save(actor=actor, instance=programme, reason=_("programme recorded"))


# --- numbering ----------------------------------------------------------------------------------


def build_notation(*, doc_type: str, issuer: OrgUnit, drafting_unit_abbr: str = "") -> str:
    """Notation of a new document (Phụ lục I mục II.3.b): "KH-BGDĐT"; a công văn carries the
    issuer and the drafting unit instead of a type: "BGDĐT-NGCBQLGD"."""
    issuer_abbr = issuer.abbreviation or issuer.code
    if doc_type == DocumentType.DISPATCH:
        return f"{issuer_abbr}-{drafting_unit_abbr}" if drafting_unit_abbr else issuer_abbr
    abbreviation = NOTATION_ABBREVIATIONS.get(doc_type) or doc_type
    return f"{abbreviation}-{issuer_abbr}"


def _counter_for_update(*, issuer: OrgUnit, year: int) -> NumberCounter:
    """The issuer's register counter for `year`, locked until the transaction ends.

    The first number of a year starts after the highest number the issuer's documents already
    carry that year (documents imported from before the register was kept)."""
    counter = NumberCounter.objects.select_for_update().filter(issuer=issuer, year=year).first()
    if counter is not None:
        return counter
    known = (
        Document.objects.filter(issuer=issuer, year=year, number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    try:
        with transaction.atomic():  # a savepoint: losing the race to create it is recoverable
            NumberCounter.objects.create(issuer=issuer, year=year, last_number=known or 0)
    except IntegrityError:
        pass
    return NumberCounter.objects.select_for_update().get(issuer=issuer, year=year)


@transaction.atomic
def document_sign(*, actor, document: Document, signed_on: dt.date | None = None) -> Document:
    """Sign a draft: give it the next number of its issuer's register for the year and date it.

    Numbers run per issuing body per calendar year from 01, consecutively, never twice
    (Nghị định 30/2020/NĐ-CP Điều 15.1; numbers under 10 written with a leading zero, Phụ lục I
    mục II.3.a). The counter row is locked (SELECT … FOR UPDATE), so documents signed at the
    same moment get different numbers; the register's unique (issuer, year, number) constraint
    backs this up in the database.
    """
    draft = Document.objects.select_for_update().get(pk=document.pk)
    if draft.is_placeholder:
        raise DocumentSignError(_("A document known only from a citation cannot be signed."))
    if draft.number is not None:
        raise DocumentSignError(
            _("%(code)s already has its number.") % {"code": draft.code or draft.pk}
        )
    if draft.issuer is None:
        raise DocumentSignError(
            _("The issuing unit of this document is not known, so it has no register.")
        )
    day = signed_on or timezone.localdate()
    counter = _counter_for_update(issuer=draft.issuer, year=day.year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    number = counter.last_number
    NumberRegister.objects.create(
        issuer=draft.issuer,
        year=day.year,
        number=number,
        document=draft,
        assigned_by=actor if getattr(actor, "pk", None) else None,
    )
    notation = draft.notation.strip().lstrip("/") or build_notation(
        doc_type=draft.doc_type, issuer=draft.issuer, drafting_unit_abbr=draft.drafting_unit_abbr
    )
    draft.number = number
    draft.year = day.year
    draft.issued_on = day
    draft.notation = notation
    draft.code = f"{number:02d}/{notation}"
    draft.signed_at = timezone.now()
    draft.signed_by = actor if getattr(actor, "pk", None) else None
    return audit.save(
        actor=actor,
        instance=draft,
        reason=_("signed: number %(code)s of %(date)s")
        % {"code": draft.code, "date": table_date(day)},
    )


# --- tasks --------------------------------------------------------------------------------------


def task_update(
    *,
    actor,
    task: PlanTask,
    status: str,
    progress: int,
    note: str | None = None,
    evidence: Iterable[Document] | None = None,
) -> PlanTask:
    """Record how far a task has got: status, progress, a note and the documents proving it.

    Rules: a task marked done is 100% complete (the database refuses anything else); a task
    reported at 100% is done; progress on a task not started yet means it has started;
    evidence is an issued or drafted document, not a bare citation. The note (None: unchanged)
    is kept on the task and, with every change (evidence included), in its history.
    """
    if status not in TaskStatus.values:
        raise TaskUpdateError(_("Unknown status."))
    if not 0 <= progress <= 100:
        raise TaskUpdateError(_("Progress is a percentage from 0 to 100."))
    if status == TaskStatus.DONE:
        progress = 100
    elif progress == 100 and status not in CLOSED_STATUSES:
        status = TaskStatus.DONE
    elif progress > 0 and status == TaskStatus.NOT_STARTED:
        status = TaskStatus.IN_PROGRESS
    with transaction.atomic():
        documents = list(evidence) if evidence is not None else None
        if documents and any(d.is_placeholder for d in documents):
            raise TaskUpdateError(_("A document known only from a citation cannot prove a task."))
        task = PlanTask.objects.select_for_update().get(pk=task.pk)
        before = audit.snapshot(task)
        old_evidence = sorted(str(d) for d in task.evidence.all())
        task.status = status
        task.progress = progress
        if note is not None:
            task.notes = note.strip()
        task.full_clean()
        task.save()
        if documents is not None:
            task.evidence.set(documents)
        changes = audit.diff(before, audit.snapshot(task))
        new_evidence = sorted(str(d) for d in task.evidence.all())
        if new_evidence != old_evidence:
            changes["evidence"] = [", ".join(old_evidence), ", ".join(new_evidence)]
        reason = (note or "").strip()
        if changes or reason:
            audit.record(
                actor=actor,
                instance=task,
                action=AuditEvent.Action.UPDATE,
                changes=changes,
                reason=reason,
            )
    return task


# --- editing ------------------------------------------------------------------------------------

#: Metadata of a document that can be corrected in the UI; the issuer and owner cannot (they
#: decide who sees the document and which register numbers it).
DOCUMENT_EDITABLE_FIELDS = frozenset(
    {
        "number",
        "notation",
        "issued_on",
        "place",
        "signer_name",
        "signer_title",
        "signer_authority",
        "signer_principal",
        "title",
        "recipients",
    }
)
INDICATOR_FIELDS = frozenset({"name", "unit", "baseline", "target", "year", "source", "position"})
#: Changing these figures of an indicator changes what the programme is measured against.
INDICATOR_FIGURES = ("baseline", "target", "year")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
#: Accepted attachment types, by extension, with the first bytes their content must start with
#: (a renamed executable is refused). Office Open XML and OpenDocument files are ZIP archives.
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": (),
    ".csv": (),
}


def _needs_reason(document: Document) -> bool:
    """An issued document is a legal record: what the system keeps of it changes only with a
    reason (the register of outgoing documents, Nghị định 30/2020/NĐ-CP Điều 26, is kept as
    issued; corrections are explained)."""
    return document.state == "issued"


def _require_reason(reason: str, message: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": message})


def _basis_lines(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split()).strip(" ;")
        if line and line not in lines:
            lines.append(line)
    return lines


def document_basis_text(document: Document) -> str:
    """The citing sentences of a document's legal basis, one per line, as an editor shows them."""
    sentences = [link.sentence or str(link.cited) for link in document.basis_links.all()]
    return "\n".join(dict.fromkeys(sentences))


def _set_basis(*, actor, document: Document, text: str) -> tuple[list[str], list[str]]:
    """Rewrite the document's legal basis from citing sentences (one per line); documents not in
    the system yet become placeholders, as on import. Returns (before, after) codes."""
    from .parsing import legal_refs

    before = [str(link.cited) for link in document.basis_links.select_related("cited")]
    resolver = UnitResolver(on=document.issued_on)
    wanted: list[tuple[Document, str]] = []
    unreadable = []
    for line in _basis_lines(text):
        refs = legal_refs(line, own_code=document.code)
        if not refs:
            unreadable.append(line)
        for ref in refs:
            cited, _created = document_placeholder_get_or_create(
                actor=actor, ref=ref, resolver=resolver, citing_owner=document.owner
            )
            if cited.pk != document.pk and all(cited.pk != c.pk for c, _s in wanted):
                wanted.append((cited, line))
    if unreadable:
        raise ValidationError(
            {
                "basis": _("No document number and notation was found in: %(lines)s")
                % {"lines": "; ".join(f"“{line[:80]}”" for line in unreadable)}
            }
        )
    current = {link.cited_id: link for link in document.basis_links.all()}
    keep = {cited.pk for cited, _s in wanted}
    document.basis_links.exclude(cited_id__in=keep).delete()
    for position, (cited, sentence) in enumerate(wanted, start=1):
        link = current.get(cited.pk)
        if link is None:
            LegalBasis.objects.create(
                document=document, cited=cited, position=position, sentence=sentence
            )
        elif (link.position, link.sentence) != (position, sentence):
            link.position, link.sentence = position, sentence
            link.save(update_fields=["position", "sentence"])
    return before, [str(cited) for cited, _s in wanted]


@transaction.atomic
def document_update(
    *, actor, document: Document, reason: str = "", basis: str | None = None, **fields
) -> Document:
    """Correct a document's metadata: number and notation, date and place, signer and signing
    authority (KT./TL./TM.), summary, recipients (Nơi nhận) and legal basis (`basis`: citing
    sentences, one per line, read as the importer reads a preamble).

    Rules: a number given by the register of outgoing documents cannot be changed, nor its year
    (Nghị định 30/2020/NĐ-CP Điều 15.1: never given twice); a draft gets its number only by
    being signed (`document_sign`); a number is unique per notation and year (the database
    refuses a second "361/KH-BGDĐT" in 2021); changing an issued document needs a reason. One
    audit record lists every change, the legal basis included.
    """
    unknown = set(fields) - DOCUMENT_EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = Document.objects.select_for_update().get(pk=document.pk)
    before = audit.snapshot(locked)
    was_draft, was_issued = locked.state == "draft", _needs_reason(locked)
    registered = NumberRegister.objects.filter(document=locked).first()
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.notation = (locked.notation or "").strip().strip("/")
    if locked.issued_on:
        locked.year = locked.issued_on.year
    if registered is not None and (
        locked.number != registered.number or locked.year != registered.year
    ):
        raise ValidationError(
            {
                "number": _(
                    "Number %(number)02d of %(year)s was given by the register of outgoing "
                    "documents: the number and its year cannot be changed."
                )
                % {"number": registered.number, "year": registered.year}
            }
        )
    if was_draft and locked.number is not None:
        raise ValidationError(
            {"number": _("A draft gets its number from the register when it is signed.")}
        )
    if locked.number is not None and not locked.notation:
        raise ValidationError({"notation": _("A numbered document needs its notation.")})
    if locked.number is not None and (
        (locked.number, locked.notation) != (before["number"], before["notation"])
    ):
        # As the register writes it ("05/KH-NGCBQLGD", Phụ lục I mục II.3.a) for a number it
        # gave; as citations are matched ("5/KH-SGDĐT") for a number read from the paper.
        number = f"{locked.number:02d}" if registered is not None else str(locked.number)
        locked.code = f"{number}/{locked.notation}"
    if (
        registered is None
        and locked.number is not None
        and locked.issuer_id is not None
        and locked.year is not None
    ):
        # A number read from the paper was used by the issuer's register: the next number the
        # system gives that year comes after it (Điều 15.1: never given twice).
        NumberCounter.objects.filter(
            issuer_id=locked.issuer_id, year=locked.year, last_number__lt=locked.number
        ).update(last_number=locked.number)
    if locked.signer_authority == "" and locked.signer_principal:
        locked.signer_principal = ""
    locked.full_clean()
    changes = audit.diff(before, audit.snapshot(locked))
    if basis is not None:
        old_basis, new_basis = _set_basis(actor=actor, document=locked, text=basis)
        if old_basis != new_basis:
            changes["legal_basis"] = ["; ".join(old_basis), "; ".join(new_basis)]
    if not changes:
        return locked
    if was_issued:
        _require_reason(reason, _("Say why an issued document's record is corrected."))
    locked.save()
    audit.record(
        actor=actor,
        instance=locked,
        action=AuditEvent.Action.UPDATE,
        changes=changes,
        reason=reason.strip(),
    )
    return locked


def _responsibility_text(item: Responsibility | None) -> str | None:
    if item is None:
        return None
    return f"{item.unit_text}: {item.duties}"[:300]


@transaction.atomic
def plan_update(
    *,
    actor,
    plan: Plan,
    reason: str = "",
    responsibilities: list[dict] | None = None,
    **fields,
) -> Plan:
    """Correct the plan's reading of its document: purpose, requirements, content,
    participants, locations, time, mode, funding, and the duties of each unit ("Tổ chức thực
    hiện"). `responsibilities` lists rows as dicts (`id` for an existing row, `unit_text`,
    `duties`, `delete`); each unit as written is linked to the unit it names where it resolves.

    A plan of an issued document changes only with a reason: the paper says otherwise. One audit
    record lists every change.
    """
    unknown = set(fields) - set(Plan.FIELDS_TEXT)
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    locked = Plan.objects.select_for_update().select_related("document").get(pk=plan.pk)
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, (value or "").strip())
    locked.full_clean()
    changes = audit.diff(before, audit.snapshot(locked))
    if responsibilities is not None:
        changes.update(_set_responsibilities(plan=locked, rows=responsibilities))
    if not changes:
        return locked
    if _needs_reason(locked.document):
        _require_reason(reason, _("Say why the plan of an issued document is changed."))
    locked.save()
    audit.record(
        actor=actor,
        instance=locked,
        action=AuditEvent.Action.UPDATE,
        changes=changes,
        reason=reason.strip(),
    )
    return locked


def _set_responsibilities(*, plan: Plan, rows: list[dict]) -> dict[str, list]:
    document = plan.document
    resolver = UnitResolver(on=document.issued_on, issuer=document.issuer)
    existing = {item.pk: item for item in plan.responsibilities.all()}
    changes: dict[str, list] = {}
    kept: list[Responsibility] = []
    for row in rows:
        item = existing.get(int(row["id"])) if row.get("id") else None
        unit_text = " ".join((row.get("unit_text") or "").split())[:400]
        duties = (row.get("duties") or "").strip()
        if row.get("delete") or not (unit_text or duties):
            if item is not None:
                changes[f"responsibility: {item.unit_text[:60]}"] = [
                    _responsibility_text(item),
                    None,
                ]
                item.delete()
            continue
        if not unit_text:
            raise ValidationError({"responsibilities": _("Name the unit of every duty.")})
        old = _responsibility_text(item)
        if item is None:
            item = Responsibility(plan=plan)
        item.unit_text, item.duties = unit_text, duties
        item.unit = resolver.resolve(unit_text)
        kept.append(item)
        new = _responsibility_text(item)
        if old != new:
            changes[f"responsibility: {unit_text[:60]}"] = [old, new]
    for position, item in enumerate(kept, start=1):
        item.position = position
        item.full_clean(exclude=["plan"])
        item.save()
    return changes


def _two_places(fields: dict) -> None:
    """Figures as stored (two decimals), so 95 and 95.00 are not seen as a change."""
    for name in ("baseline", "target"):
        value = fields.get(name)
        if value is not None:
            fields[name] = Decimal(value).quantize(Decimal("0.01"))


@transaction.atomic
def indicator_create(*, actor, programme: Programme, **fields) -> Indicator:
    """A programme objective measured by a number (baseline, target, the year it is due)."""
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _two_places(fields)
    if "position" not in fields:
        last = programme.indicators.order_by("-position").values_list("position", flat=True)
        fields["position"] = (last.first() or 0) + 1
    indicator = Indicator(programme=programme, **fields)
    return audit.save(actor=actor, instance=indicator, reason=_("indicator added"))


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, reason: str = "", **fields) -> Indicator:
    """Change an indicator. Moving its baseline, target or year changes what the programme is
    measured against, so it needs a reason (kept in the audit trail)."""
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    _two_places(fields)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = audit.snapshot(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    changes = audit.diff(before, audit.snapshot(locked))
    if any(name in changes for name in INDICATOR_FIGURES):
        _require_reason(reason, _("Say why the baseline, target or year changes."))
    return audit.save(actor=actor, instance=locked, reason=reason.strip())


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator, reason: str) -> None:
    """Remove an indicator from its programme, with a reason; its last values stay in the
    audit trail."""
    _require_reason(reason, _("Say why the indicator is removed."))
    audit.delete(actor=actor, instance=indicator, reason=reason.strip())


def _attachment_name(name: str) -> str:
    from pathlib import PurePath

    from django.utils.text import get_valid_filename

    base = PurePath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation on "", "..", "."
        cleaned = ""
    return cleaned[-120:] or "tep-dinh-kem"


@transaction.atomic
def attachment_add(*, actor, document: Document, name: str, data: bytes) -> Attachment:
    """Keep a file with a document (a signed scan, a Word draft, a spreadsheet annex).

    Accepted: PDF, Word, Excel, PowerPoint, OpenDocument, images, text and CSV, at most 20 MB;
    the content must be what the extension says (a renamed program is refused). Recorded in the
    document's history.
    """
    from pathlib import PurePath

    extension = PurePath(name).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached. Accepted: %(types)s.")
                % {"types": ", ".join(sorted(ATTACHMENT_TYPES))}
            }
        )
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    signatures = ATTACHMENT_TYPES[extension]
    if signatures and not any(data.startswith(sig) for sig in signatures):
        raise ValidationError(
            {"file": _("The content of the file is not a %(type)s file.") % {"type": extension}}
        )
    attachment = Attachment(
        document=document,
        name=_attachment_name(name),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    attachment.file.save(attachment.name, ContentFile(data), save=False)
    stored = attachment.file.name or ""
    try:
        attachment.full_clean()
        attachment.save()
        audit.record(
            actor=actor,
            instance=document,
            action=AuditEvent.Action.UPDATE,
            changes={"attachment": [None, attachment.name]},
            reason=_("file attached"),
        )
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


class AttachmentDeleteError(ValueError):
    """The attachment cannot be removed; ``str(e)`` is a message for the user."""


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment, reason: str) -> None:
    """Remove a file from a document, with a reason. The file the document was imported from is
    kept: it is what the import read. The stored file is deleted once the transaction commits."""
    if attachment.is_source:
        raise AttachmentDeleteError(
            _("The file the document was imported from is kept with it and cannot be removed.")
        )
    _require_reason(reason, _("Say why the file is removed."))
    document = attachment.document
    storage, stored = attachment.file.storage, attachment.file.name or ""
    audit.record(
        actor=actor,
        instance=document,
        action=AuditEvent.Action.UPDATE,
        changes={"attachment": [attachment.name, None]},
        reason=reason.strip(),
    )
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
