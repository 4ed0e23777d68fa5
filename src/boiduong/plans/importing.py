"""What importing a parsed plan (or another official document) would do, worked out without
writing anything.

`plan_import_preview` reads the database (existing documents, org units) and returns a
:class:`PlanImportPreview`: the document's fields, the plan's texts sorted into purpose,
requirements, content, participants, locations, time, mode and funding, the units responsible,
the tasks with their units resolved, the documents cited (existing or to be created as
placeholders) and anything that blocks the import. The import services (`services.plan_import`
for a Kế hoạch, `services.document_import` for a decision, a công văn …, kept as a document;
a decision placed under a programme or a plan is also recorded as a plan, see
`document_plan_links`) apply exactly this preview inside one transaction; the preview page and
`boiduong import_plan --dry-run` show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from boiduong.core.text import fold, table_date
from boiduong.orgs.choices import OrgUnitKind
from boiduong.orgs.models import OrgUnit

from .choices import (
    DECISION_TYPES,
    PLAN_DOCUMENT_TYPES,
    DocumentType,
    PlanKind,
    SignerAuthority,
)
from .models import NATIONAL_OWNER_KINDS, Document, Plan, Programme
from .parsing import LegalRef, ParsedDocument, ParsedTask, Section
from .units import UnitResolver

# Issuers of normative and central documents: their documents are national even when the
# issuer is not an org unit of boiduong (Thủ tướng, Chính phủ, Quốc hội, other ministries).
CENTRAL_ABBREVIATIONS = {"TTg", "CP", "QH", "UBTVQH", "VPCP", "BTC", "BNV", "BLĐTBXH", "BKHĐT"}

# Plan texts and the words that announce them in a heading ("III. Thành phần, địa điểm …").
FIELD_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("purpose", ("muc dich", "muc tieu")),
    ("requirements", ("yeu cau",)),
    ("content", ("noi dung",)),
    ("participants", ("thanh phan", "doi tuong", "dai bieu", "hoc vien")),
    ("locations", ("dia diem",)),
    ("timing", ("thoi gian",)),
    ("mode", ("phuong thuc", "hinh thuc")),
    ("funding", ("kinh phi",)),
    ("responsibilities", ("to chuc thuc hien", "trach nhiem", "phan cong")),
)
_NUMBERING = re.compile(
    r"^\s*(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]|Điều\s+\d+[.:]?|Phần\s+\S+|Chương\s+\S+)\s*",
    re.I,
)
_DUTY_VERB = re.compile(
    r"\s(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|tham mưu|cử\s|xây dựng|thực hiện|"
    r"tổ chức|hướng dẫn|triển khai|theo dõi|bố trí|tổng hợp)",
    re.I,
)
_AUTHORITY = re.compile(r"^(?P<code>KT|TL|TM|Q|TUQ|K/T|T/L|T/M)\.?\s+(?P<rest>.+)$", re.I)
_UNIT_SPLIT = re.compile(r",\s*|\s+và\s+", re.I)
MAX_LABEL_WORDS = 14


@dataclass
class UnitLink:
    """A unit as written, and the org unit it names (None when it does not resolve)."""

    text: str
    unit: OrgUnit | None

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "unit": self.unit.name if self.unit else None,
            "unit_id": self.unit.pk if self.unit else None,
        }


@dataclass
class TaskPreview:
    parsed: ParsedTask
    lead: UnitLink
    cooperating: list[UnitLink]

    def to_json(self) -> dict:
        return {
            **self.parsed.to_json(),
            "lead_unit_link": self.lead.to_json(),
            "cooperating_unit_links": [link.to_json() for link in self.cooperating],
        }


@dataclass
class ResponsibilityPreview:
    unit_text: str
    unit: OrgUnit | None
    duties: str

    def to_json(self) -> dict:
        return {
            "unit_text": self.unit_text,
            "unit": self.unit.name if self.unit else None,
            "duties": self.duties,
        }


@dataclass
class BasisPreview:
    """A document cited as legal basis: found in the system, or to become a placeholder."""

    ref: LegalRef
    existing: Document | None

    @property
    def year(self) -> int | None:
        return self.ref.issued_on.year if self.ref.issued_on else None

    def to_json(self) -> dict:
        return {
            "code": self.ref.code,
            "issued_on": self.ref.issued_on.isoformat() if self.ref.issued_on else None,
            "doc_type": self.ref.doc_type,
            "action": "link" if self.existing else "create_placeholder",
            "document_id": self.existing.pk if self.existing else None,
            "has_plan": bool(self.existing and hasattr(self.existing, "plan")),
        }


@dataclass
class AppendixPreview:
    heading: str
    subtitle: str
    note: str
    has_task_table: bool


@dataclass
class PlanImportPreview:
    """Everything `services.plan_import` will write for one parsed plan."""

    parsed: ParsedDocument
    action: str  # "create", "fill_placeholder", "replace"
    existing: Document | None
    issuer: OrgUnit | None
    drafting_unit: OrgUnit | None
    owner: OrgUnit | None
    kind: str
    programme: Programme | None
    parent: Plan | None
    year: int | None
    signer_authority: str
    signer_principal: str
    preamble: str
    fields: dict[str, str]
    responsibilities: list[ResponsibilityPreview]
    tasks: list[TaskPreview]
    basis: list[BasisPreview]
    body_sections: list[Section]
    appendices: list[AppendixPreview]
    errors: list[str] = field(default_factory=list)
    #: For a document that is not a Kế hoạch: what happens to the plan recorded on it ("" none,
    #: "create" the decision is recorded as a plan, "update" its plan is placed again, "keep").
    plan_action: str = ""
    existing_plan: Plan | None = None
    #: What the import does beyond the document's text, for the user (Vietnamese).
    notices: list[str] = field(default_factory=list)
    #: Options (`programme`, `parent`) given but not applied, and why (Vietnamese).
    not_applied: list[str] = field(default_factory=list)
    not_applied_reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_plan(self) -> bool:
        """A Kế hoạch becomes a plan; any other document is kept as a document only."""
        return self.parsed.doc_type == DocumentType.PLAN

    @property
    def can_carry_plan(self) -> bool:
        """A Kế hoạch, or a decision that can be recorded as a plan (QĐ 296/QĐ-BGDĐT approving
        the 2020 implementation plan); a công văn, a report … cannot."""
        return self.parsed.doc_type in PLAN_DOCUMENT_TYPES

    @property
    def placeholders(self) -> list[BasisPreview]:
        return [item for item in self.basis if item.existing is None]

    def to_json(self) -> dict:
        """What would be (or was) created, for `import_plan --format json`."""
        return {
            "action": self.action,
            "is_plan": self.is_plan,
            "errors": list(self.errors),
            "existing_document_id": self.existing.pk if self.existing else None,
            "document": {
                "code": self.parsed.code,
                "year": self.year,
                "issuer": self.issuer.name if self.issuer else None,
                "drafting_unit": self.drafting_unit.name if self.drafting_unit else None,
                "owner": self.owner.name if self.owner else None,
                "signer_authority": self.signer_authority,
                "signer_principal": self.signer_principal,
                "sections": len(self.body_sections),
                "appendices": len(self.appendices),
            },
            "plan": self._plan_json(),
            "options_not_applied": list(self.not_applied),
            "notices": [*self.notices, *([self.not_applied_reason] if self.not_applied else [])],
            "legal_basis": [item.to_json() for item in self.basis],
            "placeholders_to_create": [item.ref.code for item in self.placeholders],
        }

    def _plan_json(self) -> dict | None:
        place = {
            "kind": self.kind,
            "programme": self.programme.code if self.programme else None,
            "parent": str(self.parent) if self.parent else None,
        }
        if self.is_plan:
            return {
                **place,
                "fields": {name: value for name, value in self.fields.items() if value},
                "responsibilities": [item.to_json() for item in self.responsibilities],
                "tasks": [task.to_json() for task in self.tasks],
            }
        if not self.plan_action:
            return None
        plan = self.existing_plan
        return {
            "action": self.plan_action,
            "plan_id": plan.pk if plan else None,
            **place,
            "children": plan.children.count() if plan else 0,
            "task_count": plan.tasks.count() if plan else 0,
        }


# --- document lookups ---------------------------------------------------------------------------


def find_document(code: str, year: int | None) -> Document | None:
    """The document with this number and notation in this year; else a placeholder of that code
    whose year is not known yet; with no year, the only document of that code."""
    if not code:
        return None
    same_code = Document.objects.filter(code=code).select_related("plan")
    if year is not None:
        found = same_code.filter(year=year).first()
        if found:
            return found
        return same_code.filter(year__isnull=True, is_placeholder=True).first()
    candidates = list(same_code[:2])
    return candidates[0] if len(candidates) == 1 else None


def notation_of(code: str) -> str:
    """ "361/KH-BGDĐT" -> "KH-BGDĐT"; "86/2022/NĐ-CP" -> "2022/NĐ-CP"."""
    return code.split("/", 1)[1] if "/" in code else ""


def issuer_abbreviation(doc_type: str, notation: str) -> str:
    """The issuer's abbreviation in a notation: last part of "KH-BGDĐT", first of a công văn's
    "BGDĐT-CNTT" (Phụ lục I mục II.3.b)."""
    parts = [part for part in notation.split("/")[-1].split("-") if part]
    if not parts:
        return ""
    if doc_type == DocumentType.DISPATCH:
        return parts[0]
    return parts[1] if len(parts) > 1 else parts[0]


def is_national(unit: OrgUnit | None) -> bool:
    return unit is None or unit.kind in NATIONAL_OWNER_KINDS


def split_authority(text: str) -> tuple[str, str]:
    """ "KT. BỘ TRƯỞNG" -> ("KT", "BỘ TRƯỞNG"); "" -> ("", "")."""
    match = _AUTHORITY.match((text or "").strip())
    if not match:
        return SignerAuthority.NONE, ""
    code = match["code"].upper().replace("/", "")
    return code, match["rest"].strip()


# --- the body -----------------------------------------------------------------------------------


def _label(heading: str) -> tuple[str, str]:
    """Heading without its numbering, split at the first colon: ("Thời gian", "Tháng 9/2021")."""
    bare = _NUMBERING.sub("", heading, count=1).strip()
    if ":" in bare:
        label, rest = bare.split(":", 1)
        return label.strip(), rest.strip()
    return bare, ""


def classify(heading: str) -> list[str]:
    """Plan texts a heading announces, in the order it names them; none for a sentence."""
    label, rest = _label(heading)
    if len(label.split()) > MAX_LABEL_WORDS or (not rest and label.endswith((".", ";"))):
        return []  # a numbered sentence, not a heading
    folded = fold(label)
    found = []
    for name, keywords in FIELD_KEYWORDS:
        positions = [folded.find(word) for word in keywords if word in folded]
        if positions:
            found.append((min(positions), name))
    return [name for _position, name in sorted(found)]


def is_appendix(section: Section) -> bool:
    return fold(section.heading).startswith("phu luc")


def _join(*parts: str) -> str:
    return "\n".join(part.strip() for part in parts if part and part.strip())


def plan_texts(
    sections: list[Section],
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Sort the body into the plan's texts and the "Tổ chức thực hiện" items.

    A heading naming one text ("2. Yêu cầu", "IV. Kinh phí thực hiện") gives it its text; a
    heading naming several ("III. Thành phần, địa điểm, thời gian và phương thức") lets its
    sub-sections decide, and what they do not claim goes to the first one named. Sections under
    "Tổ chức thực hiện" become (unit heading, duties) items.
    """
    texts: dict[str, list[str]] = {name: [] for name, _words in FIELD_KEYWORDS}
    duties: list[tuple[str, str]] = []
    top: list[str] = []
    for section in sections:
        if is_appendix(section):
            break
        own = classify(section.heading)
        _label_text, inline = _label(section.heading)
        if section.level <= 1:
            top = own
            if not own:
                continue
            target = own[0]
            if target == "responsibilities":
                continue  # the items below name the units
            texts[target].append(_join(inline, section.text))
            continue
        if top == ["responsibilities"] or (top and top[0] == "responsibilities" and not own):
            if section.level == 2 or not duties:
                duties.append((section.heading, section.text))
            else:
                heading, text = duties[-1]
                duties[-1] = (heading, _join(text, section.heading, section.text))
            continue
        if len(own) == 1 and own[0] != "responsibilities":
            texts[own[0]].append(_join(inline, section.text))
        elif top:
            texts[top[0]].append(_join(section.heading, section.text))
    return {name: _join(*parts) for name, parts in texts.items() if name != "responsibilities"}, (
        duties
    )


def responsibility_items(
    duties: list[tuple[str, str]], resolver: UnitResolver
) -> list[ResponsibilityPreview]:
    """One row per unit named in a "Tổ chức thực hiện" item; a heading naming two units that
    both resolve ("Trường ĐHSP Hà Nội, trường CĐSP Trung ương") gives two rows."""
    rows: list[ResponsibilityPreview] = []
    for heading, text in duties:
        label, inline = _label(heading)
        unit_text, body = label, _join(inline, text)
        if not inline and (len(label.split()) > 12 or label.endswith(".")):
            verb = _DUTY_VERB.search(label)
            if verb:
                unit_text = label[: verb.start()].strip()
                body = _join(label, text)
        unit_text = unit_text.rstrip(" .:;")
        parts = [part.strip() for part in _UNIT_SPLIT.split(unit_text) if part.strip()]
        resolved = [resolver.resolve(part) for part in parts]
        if len(parts) > 1 and all(resolved):
            rows.extend(
                ResponsibilityPreview(unit_text=part, unit=unit, duties=body)
                for part, unit in zip(parts, resolved, strict=True)
            )
        else:
            rows.append(
                ResponsibilityPreview(
                    unit_text=unit_text, unit=resolver.resolve(unit_text), duties=body
                )
            )
    return rows


def appendices_of(sections: list[Section], has_tasks: bool) -> list[AppendixPreview]:
    items: list[AppendixPreview] = []
    for section in sections:
        if not is_appendix(section) or section.level > 1:
            continue
        lines = [line.strip() for line in section.text.splitlines() if line.strip()]
        note = " ".join(line for line in lines if line.startswith("("))
        subtitle = " ".join(line for line in lines if not line.startswith("("))
        items.append(
            AppendixPreview(
                heading=section.heading.strip() or "PHỤ LỤC",
                subtitle=subtitle,
                note=note,
                has_task_table=has_tasks and not items,
            )
        )
    return items


def body_sections(sections: list[Section]) -> list[Section]:
    body = []
    for section in sections:
        if is_appendix(section):
            break
        body.append(section)
    return body


def preamble_of(parsed: ParsedDocument) -> str:
    """The opening paragraph as far as the parser kept it: the citing clauses.

    A decision has one "Căn cứ …;" line per document; other documents cite in one sentence
    whose clauses were split at ";" ("Thực hiện Kế hoạch số 361/KH-BGDĐT …; Công văn số …").
    """
    clauses: list[str] = []
    for ref in parsed.legal_basis:
        text = ref.text.strip().rstrip(";")
        if text and text not in clauses:
            clauses.append(text)
    if not clauses:
        return ""
    if parsed.doc_type in DECISION_TYPES:
        lines = [f"{clause.rstrip('.;')};" for clause in clauses]
        lines[-1] = lines[-1].rstrip(";") + "."
        return "\n".join(lines)
    return "; ".join(clauses)


# --- the preview --------------------------------------------------------------------------------


def _default_kind(owner: OrgUnit | None) -> str:
    if owner is not None and owner.kind in (
        OrgUnitKind.PROVINCIAL_DEPARTMENT,
        OrgUnitKind.SCHOOL,
        OrgUnitKind.COMMUNE_OFFICE,
    ):
        return PlanKind.PROVINCIAL
    return PlanKind.THEMATIC


@dataclass
class PlanLinks:
    """Where a document goes in the plan tree: the options asked for, then what applies."""

    programme: Programme | None = None
    parent: Plan | None = None
    kind: str | None = None
    action: str = ""
    notices: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)
    not_applied_reason: str = ""


def carries_out_itself(*, plan: Plan | None, parent: Plan, document: Document | None) -> bool:
    """True when `parent` is `plan` (the plan of `document`) or one of its sub-plans."""
    node: Plan | None = parent
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        if (plan is not None and node.pk == plan.pk) or (
            document is not None and node.document_id == document.pk
        ):
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def _where(links: PlanLinks) -> dict[str, str]:
    return {
        "programme": links.programme.code if links.programme else "—",
        "parent": str(links.parent) if links.parent else "—",
        "kind": str(PlanKind(links.kind).label) if links.kind else "—",
    }


def document_plan_links(
    *, parsed: ParsedDocument, existing_plan: Plan | None, links: PlanLinks, owner: OrgUnit | None
) -> PlanLinks:
    """What a document that is not a Kế hoạch does with the programme, parent plan and kind
    asked for (`links`), and with the plan already recorded on it.

    Documents hang in the programme only through the plan tree, and a plan is issued as a
    Kế hoạch or as a decision approving one (`Plan.clean`; QĐ 296/QĐ-BGDĐT approves the 2020
    implementation plan of the Đề án). So a decision imported under a programme or a parent
    plan is recorded as a plan without a task table — the annual plan when it hangs directly
    under the programme — and the plan a decision already carries is kept, with its place in
    the tree, its sub-plans and its tasks: the import rewrites only the document's text. A
    công văn, a report … cannot be a plan: the options are not applied, and the user is told.
    """
    asked = links.programme is not None or links.parent is not None
    if parsed.doc_type not in PLAN_DOCUMENT_TYPES:
        given: list[tuple[str, str]] = []
        if links.programme is not None:
            given.append(("programme", _("programme %(code)s") % {"code": links.programme.code}))
        if links.parent is not None:
            given.append(("parent", _("parent plan %(code)s") % {"code": links.parent}))
        result = PlanLinks(kind=links.kind)
        if given:
            result.not_applied = [name for name, _text in given]
            result.not_applied_reason = _(
                "Not applied: %(options)s. A %(type)s is not a plan, so it is not placed in a "
                "programme or under a plan; only plans (KH) and decisions (QĐ) are."
            ) % {
                "options": ", ".join(text for _name, text in given),
                "type": parsed.type_name.lower() or _("official letter").lower(),
            }
        return result
    if existing_plan is not None:
        result = PlanLinks(
            programme=links.programme or existing_plan.programme,
            parent=links.parent or existing_plan.parent,
            kind=links.kind or existing_plan.kind,
        )
        if result.programme is None and result.parent is not None:
            result.programme = result.parent.programme
        unchanged = (
            result.programme == existing_plan.programme
            and result.parent == existing_plan.parent
            and result.kind == existing_plan.kind
        )
        values = {
            "plan": existing_plan,
            "children": existing_plan.children.count(),
            "tasks": existing_plan.tasks.count(),
            **_where(result),
        }
        if unchanged:
            result.action = "keep"
            result.notices.append(
                _(
                    "The plan %(plan)s recorded on this document is kept as it is (programme "
                    "%(programme)s, carries out %(parent)s, sub-plans: %(children)s, tasks: "
                    "%(tasks)s): the import rewrites only the document's text."
                )
                % values
            )
        else:
            result.action = "update"
            result.notices.append(
                _(
                    "The plan %(plan)s recorded on this document is kept (sub-plans: "
                    "%(children)s, tasks: %(tasks)s) and placed again: programme %(programme)s, "
                    "carries out %(parent)s, kind: %(kind)s."
                )
                % values
            )
        return result
    if not asked:
        return PlanLinks(kind=links.kind or PlanKind.ANNUAL)
    parent = links.parent
    result = PlanLinks(
        programme=links.programme or (parent.programme if parent else None),
        parent=parent,
        kind=links.kind or (PlanKind.ANNUAL if parent is None else _default_kind(owner)),
        action="create",
    )
    result.notices.append(
        _(
            "The decision is recorded as a plan without a task table: programme %(programme)s, "
            "carries out %(parent)s, kind: %(kind)s."
        )
        % _where(result)
    )
    return result


def plan_import_preview(
    *,
    parsed: ParsedDocument,
    programme: Programme | None = None,
    parent: Plan | None = None,
    kind: str | None = None,
    replace: bool = False,
) -> PlanImportPreview:
    """Work out what importing `parsed` as a plan would create (reads only).

    A document of another type (a decision, a công văn …) is previewed the same way and is
    imported as a document (`is_plan` is false); `document_plan_links` says what becomes of
    `programme`, `parent` and `kind` for it and of a plan already recorded on it
    (`plan_action`, `notices`, `not_applied`). Blocking problems are listed in `errors`
    (Vietnamese): a document already in the system (unless `replace`), a parent plan that is
    the plan itself or one of its sub-plans. A placeholder of the same number is filled in,
    keeping everything that already points at it.
    """
    errors: list[str] = []
    year = parsed.issued_on.year if parsed.issued_on else None
    existing = find_document(parsed.code, year) if parsed.number is not None else None
    action = "create"
    if existing is not None:
        if existing.is_placeholder:
            action = "fill_placeholder"
        elif replace:
            action = "replace"
        else:
            values = {"code": existing.code, "date": table_date(existing.issued_on) or year}
            if parsed.doc_type == DocumentType.PLAN:
                errors.append(
                    _(
                        "Plan %(code)s of %(date)s is already in the system. Choose “replace” "
                        "to import it again (the progress recorded on its tasks will be lost)."
                    )
                    % values
                )
            else:
                errors.append(
                    _(
                        "Document %(code)s of %(date)s is already in the system. Choose "
                        "“replace” to import it again."
                    )
                    % values
                )

    resolver = UnitResolver(on=parsed.issued_on)
    issuer = resolver.resolve_issuer(
        parsed.issuer,
        parent=parsed.parent_issuer,
        place=parsed.place,
        abbreviation=parsed.issuer_abbr,
    )
    resolver.issuer = issuer
    drafting_unit = resolver.resolve_drafting_unit(parsed.drafting_unit_abbr)
    owner = issuer

    existing_plan = getattr(existing, "plan", None) if existing else None
    basis = []
    for ref in parsed.legal_basis:
        cited_year = ref.issued_on.year if ref.issued_on else None
        found = find_document(ref.code, cited_year)
        if found is not None and existing is not None and found.pk == existing.pk:
            continue
        basis.append(BasisPreview(ref=ref, existing=found))
    if parsed.doc_type == DocumentType.PLAN:
        if parent is None and existing_plan is not None:
            parent = existing_plan.parent
        if parent is None:
            for item in basis:
                cited_plan = getattr(item.existing, "plan", None) if item.existing else None
                if cited_plan is not None:
                    parent = cited_plan
                    break
        if programme is None:
            programme = (existing_plan.programme if existing_plan else None) or (
                parent.programme if parent else None
            )
        if kind is None:
            kind = existing_plan.kind if existing_plan else _default_kind(owner)
        links = PlanLinks(programme=programme, parent=parent, kind=kind)
    else:
        links = document_plan_links(
            parsed=parsed,
            existing_plan=existing_plan,
            links=PlanLinks(programme=programme, parent=parent, kind=kind),
            owner=owner,
        )
    if links.parent is not None and carries_out_itself(
        plan=existing_plan, parent=links.parent, document=existing
    ):
        errors.append(
            _(
                "%(plan)s cannot carry out %(parent)s: %(parent)s is that plan itself or one "
                "of its sub-plans."
            )
            % {
                "plan": existing_plan or parsed.code or parsed.title[:60],
                "parent": links.parent,
            }
        )

    texts, duty_items = plan_texts(parsed.sections)
    tasks = [
        TaskPreview(
            parsed=task,
            lead=UnitLink(task.lead_unit, resolver.resolve(task.lead_unit)),
            cooperating=[UnitLink(text, resolver.resolve(text)) for text in task.cooperating_units],
        )
        for task in parsed.tasks
    ]
    authority, principal = split_authority(parsed.signer_authority)
    return PlanImportPreview(
        parsed=parsed,
        action=action,
        existing=existing,
        issuer=issuer,
        drafting_unit=drafting_unit,
        owner=owner,
        kind=links.kind or _default_kind(owner),
        programme=links.programme,
        parent=links.parent,
        year=year,
        signer_authority=authority,
        signer_principal=principal,
        preamble=preamble_of(parsed),
        fields=texts,
        responsibilities=responsibility_items(duty_items, resolver),
        tasks=tasks,
        basis=basis,
        body_sections=body_sections(parsed.sections),
        appendices=appendices_of(parsed.sections, has_tasks=bool(parsed.tasks)),
        errors=errors,
        plan_action=links.action,
        existing_plan=existing_plan,
        notices=links.notices,
        not_applied=links.not_applied,
        not_applied_reason=links.not_applied_reason,
    )


def placeholder_owner(
    *, ref: LegalRef, resolver: UnitResolver, citing_owner: OrgUnit | None
) -> tuple[OrgUnit | None, OrgUnit | None]:
    """(issuer, owner) of a placeholder for a cited document.

    The issuer comes from the notation when it names one unit ("KH-BGDĐT"). Documents of
    central bodies (Thủ tướng, Chính phủ, other ministries) and normative documents with the
    year in their number ("86/2022/NĐ-CP") are national; a document whose issuer is unknown is
    kept within the citing document's owner, so a provincial plan does not publish the local
    documents it cites.
    """
    notation = notation_of(ref.code)
    abbreviation = issuer_abbreviation(ref.doc_type, notation)
    issuer = resolver.resolve_issuer("", abbreviation=abbreviation) if abbreviation else None
    if issuer is not None:
        return issuer, issuer
    if abbreviation in CENTRAL_ABBREVIATIONS or re.match(r"^\d{4}/", notation):
        return None, None
    return None, citing_owner if not is_national(citing_owner) else None
