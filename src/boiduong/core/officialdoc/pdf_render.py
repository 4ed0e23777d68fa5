"""Render an :class:`OfficialDocument` to PDF (ReportLab platypus) in the national format.

The layout is the DOCX one (see :mod:`.docx_render`), from Nghị định 30/2020/NĐ-CP Phụ lục I:
A4 portrait with margins top/bottom 20 mm, left 30 mm, right 15 mm (mục I.5); a Times New Roman
compatible serif with every Vietnamese letter, body 14 pt justified with a 1 cm first-line
indent and 6 pt between paragraphs (mục I.2-I.4); page numbers at the top centre from the second
page, each appendix numbered on its own (mục I.6); header, number, date, type and summary,
signature and "Nơi nhận" as in mục II.1-II.9; appendices on landscape pages (mục IV).

The font comes from :func:`boiduong.core.fonts.find_serif_fonts` and is embedded (subset).
"""

from __future__ import annotations

import hashlib
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from ..fonts import SerifFontFiles
from .spec import Appendix, BodyBlock, OfficialDocument, appendix_column_widths, nfc

__all__ = ["render_pdf"]

#: top, bottom, left, right in mm (Phụ lục I mục I.5), the same as the DOCX.
PAGE_MARGINS_MM = (20, 20, 30, 15)
BODY_SIZE = 14
LEADING = 1.3  # line height / font size: between single and 1.5 lines (mục I.4)
FIRST_LINE_INDENT_MM = 10
HEADER_COLUMNS_MM = (64, 101)
SIGNATURE_COLUMNS_MM = (85, 80)
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


# --- fonts ---------------------------------------------------------------------------------------


class _Faces:
    """ReportLab names of the four registered styles of one family."""

    def __init__(self, fonts: SerifFontFiles):
        digest = hashlib.sha1(
            "|".join(str(p.resolve()) for p in fonts.paths()).encode()
        ).hexdigest()[:8]
        base = "".join(ch for ch in fonts.family if ch.isalnum()) + "-" + digest
        self.regular = base
        self.bold = f"{base}-Bold"
        self.italic = f"{base}-Italic"
        self.bold_italic = f"{base}-BoldItalic"
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, path in (
            (self.regular, fonts.regular),
            (self.bold, fonts.bold),
            (self.italic, fonts.italic),
            (self.bold_italic, fonts.bold_italic),
        ):
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            base,
            normal=self.regular,
            bold=self.bold,
            italic=self.italic,
            boldItalic=self.bold_italic,
        )

    def face(self, *, bold: bool = False, italic: bool = False) -> str:
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        if italic:
            return self.italic
        return self.regular

    def width_mm(self, text: str, size: float, *, bold: bool = False) -> float:
        return pdfmetrics.stringWidth(nfc(text), self.face(bold=bold), size) / mm


class _Styles:
    def __init__(self, faces: _Faces):
        self.faces = faces
        self._cache: dict[tuple, ParagraphStyle] = {}

    def __call__(
        self,
        *,
        size: float = BODY_SIZE,
        bold: bool = False,
        italic: bool = False,
        align: int = TA_LEFT,
        first_indent_mm: float = 0,
        left_indent_mm: float = 0,
        before: float = 0,
        after: float = 0,
        leading: float | None = None,
        keep_with_next: bool = False,
    ) -> ParagraphStyle:
        key = (
            size,
            bold,
            italic,
            align,
            first_indent_mm,
            left_indent_mm,
            before,
            after,
            leading,
            keep_with_next,
        )
        style = self._cache.get(key)
        if style is None:
            style = ParagraphStyle(
                f"s{len(self._cache)}",
                fontName=self.faces.face(bold=bold, italic=italic),
                fontSize=size,
                leading=leading or round(size * LEADING, 2),
                alignment=align,
                firstLineIndent=first_indent_mm * mm,
                leftIndent=left_indent_mm * mm,
                spaceBefore=before,
                spaceAfter=after,
                keepWithNext=int(keep_with_next),
                allowWidows=0,
                allowOrphans=0,
                splitLongWords=1,
            )
            self._cache[key] = style
        return style


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(nfc(text)) if text else "\u00a0", style)


def _rule(width_mm: float, *, before: float = 1, after: float = 0) -> HRFlowable:
    return HRFlowable(
        width=max(5.0, width_mm) * mm,
        thickness=0.6,
        color=colors.black,
        hAlign="CENTER",
        spaceBefore=before,
        spaceAfter=after,
    )


# --- page templates and page numbers -------------------------------------------------------------


class _SectionStart(Flowable):
    """Zero-size marker: page numbering restarts here (each appendix is numbered on its own,
    Phụ lục I mục I.6)."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv._boiduong_section_start = self.canv.getPageNumber()


class _DocTemplate(BaseDocTemplate):
    def __init__(self, buffer, *, faces: _Faces, **kwargs):
        super().__init__(buffer, pagesize=A4, **kwargs)
        self.faces = faces
        top, bottom, left, right = (value * mm for value in PAGE_MARGINS_MM)
        templates = []
        for template_id, size in (("portrait", A4), ("landscape", landscape(A4))):
            width, height = size
            frame = Frame(
                left,
                bottom,
                width - left - right,
                height - top - bottom,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
                id=f"{template_id}-frame",
            )
            templates.append(
                PageTemplate(
                    id=template_id,
                    frames=[frame],
                    pagesize=size,
                    onPageEnd=self._page_number,
                )
            )
        self.addPageTemplates(templates)

    def _page_number(self, canvas, doc) -> None:
        """Arabic page number, 13 pt, centred in the top margin; none on a section's first page."""
        start = getattr(canvas, "_boiduong_section_start", 1)
        number = canvas.getPageNumber() - start + 1
        if number < 2:
            return
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(self.faces.regular, 13)
        left, right = PAGE_MARGINS_MM[2] * mm, PAGE_MARGINS_MM[3] * mm
        centre = left + (width - left - right) / 2
        canvas.drawCentredString(centre, height - PAGE_MARGINS_MM[0] * mm / 2 - 4, str(number))
        canvas.restoreState()


# --- the parts of the document -------------------------------------------------------------------


def _header(doc: OfficialDocument, st: _Styles) -> Table:
    faces = st.faces
    left_mm, right_mm = HEADER_COLUMNS_MM
    issuer_column: list[Flowable] = []
    if doc.parent_body.strip():
        issuer_column.append(_p(nfc(doc.parent_body).upper(), st(size=13, align=TA_CENTER)))
    issuer = nfc(doc.issuer).upper()
    issuer_column.append(_p(issuer, st(size=13, bold=True, align=TA_CENTER)))
    issuer_width = min(faces.width_mm(issuer, 13, bold=True), left_mm)
    issuer_column.append(_rule(issuer_width * 0.4, before=2))

    motto_column: list[Flowable] = [
        _p(NATIONAL_TITLE, st(size=13, bold=True, align=TA_CENTER)),
        _p(MOTTO, st(size=14, bold=True, align=TA_CENTER)),
        _rule(faces.width_mm(MOTTO, 14, bold=True), before=2),
    ]

    number_column: list[Flowable] = [_p(doc.number_line(), st(size=13, align=TA_CENTER))]
    if doc.is_dispatch and doc.dispatch_summary():
        number_column.append(_p(doc.dispatch_summary(), st(size=12, align=TA_CENTER, before=2)))
    date_column = [_p(doc.date_line(), st(size=14, italic=True, align=TA_CENTER))]

    table = Table(
        [[issuer_column, motto_column], [number_column, date_column]],
        colWidths=[left_mm * mm, right_mm * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.faces.regular),  # not Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),  # centres the rules under the names
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def _title(doc: OfficialDocument, st: _Styles, text_width_mm: float) -> list[Flowable]:
    if doc.is_dispatch:
        lines = doc.salutation_lines()
        if not lines:
            return [Spacer(1, 12)]
        if len(lines) == 1:
            return [_p(lines[0], st(align=TA_CENTER, before=18, after=6))]
        block: list[Flowable] = [_p(lines[0], st(left_indent_mm=25, before=18))]
        block += [_p(item, st(left_indent_mm=45)) for item in lines[1:]]
        block.append(Spacer(1, 6))
        return block
    out: list[Flowable] = [
        Spacer(1, 24),
        _p(nfc(doc.type_name).upper(), st(bold=True, align=TA_CENTER, keep_with_next=True)),
    ]
    title = nfc(doc.title).strip()
    if title:
        out.append(_p(title, st(bold=True, align=TA_CENTER, keep_with_next=True)))
        line = min(st.faces.width_mm(title, BODY_SIZE, bold=True), text_width_mm)
        out.append(_rule(line * 0.4, before=5))
    out.append(Spacer(1, 12))
    return out


def _body_block(block: BodyBlock, st: _Styles) -> Paragraph:
    text = nfc(block.text).strip()
    common = {
        "align": TA_JUSTIFY,
        "first_indent_mm": FIRST_LINE_INDENT_MM,
        "after": 6,
    }
    if block.kind in ("heading1", "heading2"):
        return _p(text, st(bold=True, keep_with_next=True, **common))
    if block.kind == "basis":
        return _p(text, st(italic=True, **common))
    if block.kind == "center":
        return _p(text, st(bold=True, align=TA_CENTER, after=6, keep_with_next=True))
    if block.kind == "bullet" and not text.startswith(("-", "+", "•")):
        text = f"- {text}"
    return _p(text, st(**common))


def _signature(doc: OfficialDocument, st: _Styles) -> Flowable:
    recipients: list[Flowable] = [_p("Nơi nhận:", st(size=12, bold=True, italic=True))]
    recipients += [_p(line, st(size=11, leading=13)) for line in doc.recipient_lines()]
    signer: list[Flowable] = []
    if doc.signer_authority.strip():
        signer.append(_p(nfc(doc.signer_authority).upper(), st(bold=True, align=TA_CENTER)))
    if doc.signer_title.strip():
        signer.append(_p(nfc(doc.signer_title).upper(), st(bold=True, align=TA_CENTER)))
    signer.append(Spacer(1, 25 * mm))
    signer.append(_p(nfc(doc.signer_name).strip(), st(bold=True, align=TA_CENTER)))
    left_mm, right_mm = SIGNATURE_COLUMNS_MM
    table = Table([[recipients, signer]], colWidths=[left_mm * mm, right_mm * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.faces.regular),  # not Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6), table])


def _appendix(appendix: Appendix, st: _Styles) -> list[Flowable]:
    page_width, _ = landscape(A4) if appendix.landscape else A4
    available_mm = page_width / mm - PAGE_MARGINS_MM[2] - PAGE_MARGINS_MM[3]
    out: list[Flowable] = [
        NextPageTemplate("landscape" if appendix.landscape else "portrait"),
        PageBreak(),
        _SectionStart(),
        _p(nfc(appendix.heading).upper() or "PHỤ LỤC", st(bold=True, align=TA_CENTER)),
    ]
    if appendix.subtitle.strip():
        out.append(_p(appendix.subtitle, st(bold=True, align=TA_CENTER, leading=17)))
    if appendix.note.strip():
        out.append(_p(appendix.note, st(italic=True, align=TA_CENTER, leading=17)))
    out.append(_rule(40, before=6, after=10))

    size = 13
    widths = appendix_column_widths(appendix, available_mm, font_size=size)
    header_style = st(size=size, bold=True, align=TA_CENTER, leading=16)
    data = [[_p(heading, header_style) for heading in appendix.columns]]
    for values in appendix.rows:
        row = []
        for index in range(len(appendix.columns)):
            value = values[index] if index < len(values) else ""
            row.append(_p(value, st(size=size, align=TA_CENTER if index == 0 else TA_LEFT)))
        data.append(row)
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), st.faces.regular),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    out.append(table)
    return out


# --- entry point ---------------------------------------------------------------------------------


def render_pdf(doc: OfficialDocument, *, fonts: SerifFontFiles) -> bytes:
    """The document as a PDF file (bytes), with ``fonts`` embedded."""
    faces = _Faces(fonts)
    st = _Styles(faces)
    buffer = io.BytesIO()
    template = _DocTemplate(
        buffer,
        faces=faces,
        title=doc.document_title(),
        author=nfc(doc.issuer),
        subject=nfc(doc.title),
        creator="boiduong",
        lang="vi-VN",
        # Without this every page references Helvetica, a font that is neither used nor embedded.
        initialFontName=faces.regular,
        initialFontSize=BODY_SIZE,
    )
    text_width_mm = A4[0] / mm - PAGE_MARGINS_MM[2] - PAGE_MARGINS_MM[3]
    story: list[Flowable] = [_header(doc, st)]
    story += _title(doc, st, text_width_mm)
    story += [_body_block(block, st) for block in doc.body]
    story.append(_signature(doc, st))
    for appendix in doc.appendices:
        story += _appendix(appendix, st)
    template.build(story)
    return buffer.getvalue()
