"""What an official document says, independent of the file format it is rendered to.

The parts follow the "thể thức" of an administrative document in Nghị định 30/2020/NĐ-CP,
Điều 8 and Phụ lục I, mục II: issuing body (tên cơ quan ban hành, with its parent body), number
and notation (số, ký hiệu), place and date (địa danh và thời gian), type and summary (tên loại và
trích yếu nội dung), body (nội dung), signature (quyền hạn, chức vụ, họ tên người ký), recipients
(nơi nhận) and appendices (phụ lục, Phụ lục I mục IV).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "BLOCK_KINDS",
    "TASK_COLUMNS",
    "Appendix",
    "BodyBlock",
    "OfficialDocument",
    "TaskRow",
    "appendix_column_widths",
    "format_vn_date",
    "nfc",
    "task_appendix",
    "text_width_mm",
]

#: Kinds of :class:`BodyBlock` the renderers know.
BLOCK_KINDS = ("heading1", "heading2", "paragraph", "bullet", "basis", "center")

#: Column headings of the task table that plans attach as an appendix (KH 361/KH-BGDĐT).
TASK_COLUMNS = [
    "TT",
    "Nội dung công việc",
    "Thời gian thực hiện",
    "Sản phẩm",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
]


def nfc(text: str) -> str:
    """Text in Unicode NFC (TCVN 6909:2001 precomposed letters, as Phụ lục I mục I.2 requires).

    Decomposed input ("a" + combining marks) would otherwise print as loose accents in a PDF.
    """
    return unicodedata.normalize("NFC", text or "")


def format_vn_date(d: date) -> str:
    """The date of a document: "ngày 07 tháng 4 năm 2021".

    Nghị định 30/2020/NĐ-CP Phụ lục I mục II.4.b: days under 10 and months 1 and 2 take a
    leading zero ("ngày 07 tháng 02 năm 2021"); other months do not.
    """
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


@dataclass
class TaskRow:
    """One row of a plan's task table (nội dung công việc)."""

    ordinal: str
    content: str
    period: str
    product: str
    lead_unit: str
    cooperating_units: str

    def cells(self) -> list[str]:
        return [
            self.ordinal,
            self.content,
            self.period,
            self.product,
            self.lead_unit,
            self.cooperating_units,
        ]


@dataclass
class Appendix:
    """An appendix (phụ lục) printed after the signature, on its own landscape pages.

    Phụ lục I mục IV: the word "PHỤ LỤC" (with a Roman number when there are several), the
    appendix name, and an italic line saying which document it belongs to.
    """

    heading: str
    subtitle: str
    note: str
    columns: list[str]
    rows: list[list[str]]
    landscape: bool = True
    #: Column widths in millimetres; ``None`` lets the renderer size columns from their text.
    column_widths_mm: list[float] | None = None


def task_appendix(
    *,
    subtitle: str,
    note: str,
    tasks: list[TaskRow],
    heading: str = "PHỤ LỤC",
) -> Appendix:
    """An appendix holding a task table with the usual six columns."""
    return Appendix(
        heading=heading,
        subtitle=subtitle,
        note=note,
        columns=list(TASK_COLUMNS),
        rows=[task.cells() for task in tasks],
    )


@dataclass
class BodyBlock:
    """A block of the body.

    - ``heading1``: a Roman-numbered section ("I. Mục đích, yêu cầu"), bold;
    - ``heading2``: a numbered sub-section or an article ("1. Mục đích", "Điều 1."), bold;
    - ``paragraph``: justified, first line indented (Phụ lục I mục II.6);
    - ``bullet``: a "- " line, laid out as a paragraph;
    - ``basis``: a legal basis line of a decision ("Căn cứ ...;"), italic (mục II.6.a);
    - ``center``: a bold centred line, such as the issuing authority and "QUYẾT ĐỊNH:" in a
      decision.
    """

    kind: str
    text: str

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(
                f"Unknown body block kind {self.kind!r}; expected one of {BLOCK_KINDS}"
            )


@dataclass
class OfficialDocument:
    """An administrative document laid out per Nghị định 30/2020/NĐ-CP Phụ lục I."""

    parent_body: str = ""  # "UBND TỈNH CÀ MAU": upper line of the issuer column, not bold
    issuer: str = ""  # "BỘ GIÁO DỤC VÀ ĐÀO TẠO": bold, upper case, short rule under it
    code: str = ""  # "361/KH-BGDĐT"; empty while the document has no number yet
    notation: str = ""  # "KH-BGDĐT": used for the "Số:      /KH-BGDĐT" placeholder
    place: str = ""  # "Hà Nội"
    issued_on: date | None = None
    type_name: str = ""  # "KẾ HOẠCH", "QUYẾT ĐỊNH", "BÁO CÁO"; "" for a công văn
    title: str = ""  # trích yếu; for a công văn printed as "V/v ..." under the number
    recipients_salutation: str = ""  # công văn only: "Kính gửi: ..."
    body: list[BodyBlock] = field(default_factory=list)
    signer_authority: str = ""  # "KT. BỘ TRƯỞNG", "TM. ỦY BAN NHÂN DÂN", "" when signing in person
    signer_title: str = ""  # "THỨ TRƯỞNG"
    signer_name: str = ""  # "Trần Ngọc Thương"
    recipients: list[str] = field(default_factory=list)  # "- Bộ trưởng (để b/c);" ...
    drafting_unit_abbr: str = ""  # "NGCBQLGD": makes "- Lưu: VT, NGCBQLGD." when missing
    appendices: list[Appendix] = field(default_factory=list)

    # --- derived lines, shared by the DOCX and PDF renderers ------------------------------------

    @property
    def is_dispatch(self) -> bool:
        """A công văn: no type name, the summary goes under the number as "V/v ..."."""
        return not self.type_name.strip()

    def number_line(self) -> str:
        """ "Số: 361/KH-BGDĐT"; "Số:      /KH-BGDĐT" before a number is given (Phụ lục I
        mục II.3: the word "Số" with a colon, the number, a slash and the notation)."""
        code = nfc(self.code).strip()
        if code:
            return f"Số: {code}"
        notation = nfc(self.notation).strip().lstrip("/")
        return f"Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/{notation}"

    def date_line(self) -> str:
        """ "Hà Nội, ngày 07 tháng 4 năm 2021" (Phụ lục I mục II.4); a blank date to fill in by
        hand when the document is not dated yet."""
        place = nfc(self.place).strip()
        if self.issued_on is not None:
            when = format_vn_date(self.issued_on)
        else:
            gap = "\u00a0" * 5
            when = f"ngày{gap}tháng{gap}năm 20.."
        return f"{place}, {when}" if place else when[:1].upper() + when[1:]

    def dispatch_summary(self) -> str:
        """The "V/v ..." line of a công văn (Phụ lục I mục II.5.b)."""
        title = nfc(self.title).strip()
        if not title:
            return ""
        return title if title.lower().startswith("v/v") else f"V/v {title}"

    def salutation_lines(self) -> list[str]:
        """ "Kính gửi: ..." as lines: one line for one recipient, else the label then "- ..."."""
        text = nfc(self.recipients_salutation).strip()
        if not text:
            return []
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) == 1:
            line = lines[0]
            return [line if line.lower().startswith("kính gửi") else f"Kính gửi: {line}"]
        items = []
        if lines[0].lower().startswith("kính gửi"):
            rest = lines.pop(0).split(":", 1)
            if len(rest) == 2 and rest[1].strip():
                items.append(rest[1].strip())
        items += lines
        return ["Kính gửi:"] + [item if item.startswith("-") else f"- {item}" for item in items]

    def recipient_lines(self) -> list[str]:
        """The "Nơi nhận" list (Phụ lục I mục II.9.b): each line starts with "- " and ends with
        ";", the last one is "- Lưu: VT, <drafting unit>." (added when missing)."""
        items = [nfc(item).strip() for item in self.recipients if item and item.strip()]
        items = [item if item.startswith("-") else f"- {item}" for item in items]
        has_archive = any(item.lstrip("- ").lower().startswith("lưu") for item in items)
        if not has_archive:
            unit = nfc(self.drafting_unit_abbr).strip()
            items.append(f"- Lưu: VT, {unit}." if unit else "- Lưu: VT.")
        lines = []
        for index, item in enumerate(items):
            last = index == len(items) - 1
            if last:
                item = item.rstrip(";.,") + "."
            elif not item.endswith((";", ".", ":")):
                item += ";"
            lines.append(item)
        return lines

    def document_title(self) -> str:
        """A one-line title for file metadata."""
        parts = [self.type_name.strip().capitalize(), self.code.strip(), nfc(self.title).strip()]
        return nfc(" ".join(part for part in parts if part))


def appendix_column_widths(
    appendix: Appendix, available_mm: float, *, font_size: float = 13, padding_mm: float = 4.0
) -> list[float]:
    """Column widths (mm) that fit ``available_mm`` and keep the table short.

    Explicit widths on the appendix win (scaled to fit). Otherwise short columns (an ordinal, a
    period, a unit: body text no wider than an even share) get their natural one-line width, and
    every other column starts at its longest word; the rest of the width then goes to the column
    whose widening saves the most printed lines per millimetre (the table height, as the sum of
    each row's tallest cell, counts ten times the lines of all cells). Leftover width is shared
    in proportion to the text.
    """
    count = len(appendix.columns)
    if count == 0:
        return []
    if appendix.column_widths_mm:
        widths = list(appendix.column_widths_mm)[:count]
        widths += [max(widths) if widths else 20.0] * (count - len(widths))
        scale = available_mm / sum(widths)
        return [w * scale for w in widths]

    header = [(nfc(text), True) for text in appendix.columns]
    body = [
        [(nfc(row[c]) if c < len(row) else "", False) for c in range(count)]
        for row in appendix.rows
    ]
    table = [header, *body]
    space = text_width_mm(" ", font_size)
    word_cache: dict[tuple[str, bool], float] = {}

    def word_width(word: str, bold: bool) -> float:
        if (word, bold) not in word_cache:
            word_cache[word, bold] = text_width_mm(word, font_size, bold=bold)
        return word_cache[word, bold]

    def full_width(text: str, bold: bool) -> float:
        words = text.split()
        return sum(word_width(w, bold) for w in words) + space * max(len(words) - 1, 0)

    def lines(text: str, bold: bool, width_mm: int) -> int:
        usable = width_mm - padding_mm
        total, used = 1, 0.0
        for word in text.split():
            advance = word_width(word, bold)
            if used and used + space + advance > usable:
                total, used = total + 1, advance
            else:
                used += (space if used else 0.0) + advance
        return total

    longest = [
        max(
            (word_width(w, b) for row in table for w in row[c][0].split() for b in [row[c][1]]),
            default=5.0,
        )
        + padding_mm
        for c in range(count)
    ]
    natural = [
        max(longest[c], max((full_width(*row[c]) for row in table), default=0.0) + padding_mm)
        for c in range(count)
    ]
    body_natural = [
        max(longest[c], max((full_width(*row[c]) for row in body), default=0.0) + padding_mm)
        for c in range(count)
    ]
    share = available_mm / count
    widths = [body_natural[c] if body_natural[c] <= share else longest[c] for c in range(count)]
    widths = [float(int(w + 0.999)) for w in widths]  # whole millimetres
    if sum(widths) >= available_mm:
        scale = available_mm / sum(widths)
        return [w * scale for w in widths]

    # Long tables are sized on an even sample of their rows, which keeps this fast.
    sample = [header, *body[:: max(1, -(-len(body) // 40))]]
    line_cache: dict[tuple[int, int, int], int] = {}

    def cell_lines(r: int, c: int, width_mm: int) -> int:
        key = (r, c, width_mm)
        if key not in line_cache:
            line_cache[key] = lines(*sample[r][c], width_mm)
        return line_cache[key]

    whole = [int(w) for w in widths]
    rows = range(len(sample))

    def cost() -> int:
        grid = [[cell_lines(r, c, whole[c]) for c in range(count)] for r in rows]
        return 10 * sum(max(line) for line in grid) + sum(sum(line) for line in grid)

    budget = int(available_mm) - sum(whole)
    current = cost()
    while budget > 0:
        best: tuple[float, int, int, int] | None = None  # (saving per mm, column, step, cost)
        for c in range(count):
            others = [[cell_lines(r, k, whole[k]) for k in range(count) if k != c] for r in rows]
            other_max = [max(line, default=0) for line in others]
            other_sum = sum(sum(line) for line in others)
            for step in range(1, min(budget, int(natural[c] + 1) - whole[c]) + 1):
                own = [cell_lines(r, c, whole[c] + step) for r in rows]
                trial = 10 * sum(map(max, own, other_max)) + other_sum + sum(own)
                if trial < current:
                    rate = (current - trial) / step
                    if best is None or rate > best[0]:
                        best = (rate, c, step, trial)
        if best is None:
            break
        _, c, step, current = best
        whole[c] += step
        budget -= step

    widths = [float(w) for w in whole]
    spare = available_mm - sum(widths)
    if spare > 0:
        total_text = sum(natural)
        widths = [w + spare * n / total_text for w, n in zip(widths, natural, strict=True)]
    return widths


def text_width_mm(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """Approximate printed width of ``text`` in Times New Roman, in millimetres.

    Uses the Times metrics bundled with ReportLab (Times New Roman's are close to them), with
    Vietnamese letters measured as their base letter (the marks do not change the advance).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    folded = nfc(text).replace("Đ", "D").replace("đ", "d")
    folded = "".join(
        ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch)
    )
    folded = folded.encode("latin-1", "replace").decode("latin-1")
    face = {
        (False, False): "Times-Roman",
        (True, False): "Times-Bold",
        (False, True): "Times-Italic",
        (True, True): "Times-BoldItalic",
    }[(bold, italic)]
    return stringWidth(folded, face, size) * 25.4 / 72
