"""Render an :class:`OfficialDocument` to DOCX (python-docx) in the national format.

Every layout rule comes from Nghị định 30/2020/NĐ-CP, Phụ lục I ("Thể thức, kỹ thuật trình bày
văn bản hành chính"):

- mục I.2-I.5: A4 portrait (210 x 297 mm); margins top and bottom 20-25 mm, left 30-35 mm, right
  15-20 mm; Times New Roman, Unicode (TCVN 6909:2001); body 13-14 pt; paragraphs justified, the
  first line indented 1-1.27 cm, at least 6 pt between paragraphs, line spacing from single to
  1.5 lines; page numbers at the top centre, hidden on the first page, each appendix numbered on
  its own.
- mục II.1: national title "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" upper case, bold, 12-13 pt; motto
  "Độc lập - Tự do - Hạnh phúc" bold 13-14 pt, centred under it, with a rule as long as the motto.
- mục II.2: parent body upper case 12-13 pt regular; issuing body upper case 12-13 pt bold with
  a centred rule of 1/3 to 1/2 of its length.
- mục II.3: "Số:" then number and notation, 13 pt, centred under the issuing body.
- mục II.4: place and date, 13-14 pt italic, under the motto.
- mục II.5: type name upper case bold 13-14 pt centred; the summary (trích yếu) bold 13-14 pt
  centred under it with a short rule; a công văn has "V/v ..." 12-13 pt under its number.
- mục II.8: authority ("KT. BỘ TRƯỞNG") and title upper case bold 13-14 pt; name bold 13-14 pt.
- mục II.9: "Nơi nhận:" 12 pt bold italic, the list 11 pt, each line "- ...;" ending with
  "- Lưu: VT, <unit>.".
- mục IV: appendices on new pages (here: a landscape section), "PHỤ LỤC" bold centred, the name
  bold, the italic note saying which document it belongs to.

The header and the signature area are borderless two-column tables, as in the Word templates
ministries use.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .spec import (
    Appendix,
    BodyBlock,
    OfficialDocument,
    appendix_column_widths,
    nfc,
    text_width_mm,
)

__all__ = ["render_docx", "FONT_NAME", "PAGE_MARGINS_MM"]

FONT_NAME = "Times New Roman"
#: top, bottom, left, right (Phụ lục I mục I.5).
PAGE_MARGINS_MM = (20, 20, 30, 15)
A4_MM = (210, 297)
BODY_SIZE = 14
FIRST_LINE_INDENT_MM = 10
HEADER_COLUMNS_MM = (64, 101)
SIGNATURE_COLUMNS_MM = (85, 80)
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

_CENTER = WD_ALIGN_PARAGRAPH.CENTER
_LEFT = WD_ALIGN_PARAGRAPH.LEFT
_JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


# --- low-level helpers -------------------------------------------------------------------------


def _set_fonts(rpr, *, size: float | None = None) -> None:
    """Times New Roman for every script slot (Word picks eastAsia/cs for some Vietnamese text),
    and the complex-script size along with the normal one."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        style = rpr.find(qn("w:rStyle"))
        rpr.insert(0 if style is None else 1, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT_NAME)
    if size is not None:
        rpr.get_or_add_sz().val = Pt(size)
        size_cs = rpr.find(qn("w:szCs"))
        if size_cs is None:
            size_cs = OxmlElement("w:szCs")
            rpr.get_or_add_sz().addnext(size_cs)
        size_cs.set(qn("w:val"), str(int(round(size * 2))))


def _mark_rpr(paragraph):
    """The run properties of the paragraph mark (pPr/rPr), created when missing."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    return rpr


def _add_run(paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(nfc(text))
    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    _set_fonts(run._r.get_or_add_rPr(), size=size)
    return run


def _format(
    paragraph,
    *,
    align=_LEFT,
    size: float = BODY_SIZE,
    first_indent_mm: float | None = None,
    left_indent_mm: float | None = None,
    right_indent_mm: float | None = None,
    before: float = 0,
    after: float = 0,
    line: float | None = 1.0,
    keep_with_next: bool = False,
):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if first_indent_mm is not None:
        fmt.first_line_indent = Mm(first_indent_mm)
    if left_indent_mm is not None:
        fmt.left_indent = Mm(left_indent_mm)
    if right_indent_mm is not None:
        fmt.right_indent = Mm(right_indent_mm)
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    # The paragraph mark gets the same size so empty lines are as tall as the text around them.
    _set_fonts(_mark_rpr(paragraph), size=size)
    return paragraph


def _text(
    container,
    text: str,
    *,
    size: float = BODY_SIZE,
    bold: bool = False,
    italic: bool = False,
    first: bool = False,
    **fmt,
):
    """A paragraph with one run; ``first`` reuses the empty paragraph a table cell starts with."""
    if first and len(container.paragraphs) == 1 and not container.paragraphs[0].text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    _format(paragraph, size=size, **fmt)
    if text:
        _add_run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


_PBDR_SUCCESSORS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _rule(container, *, width_mm: float, available_mm: float, before: float = 0) -> None:
    """A centred horizontal rule: the top border of an empty, 4 pt high paragraph whose indents
    leave ``width_mm`` between them."""
    width_mm = max(5.0, min(width_mm, available_mm))
    side = (available_mm - width_mm) / 2
    paragraph = container.add_paragraph()
    _format(
        paragraph,
        size=2,
        left_indent_mm=side,
        right_indent_mm=side,
        before=before,
        line=None,
    )
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(4)
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    border.append(top)
    ppr.insert_element_before(border, *_PBDR_SUCCESSORS)


# Child order of w:tblPr and w:sectPr in the WordprocessingML schema: Word rejects files whose
# elements are out of order, so new children are inserted before their successors.
_TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
_SECTPR_ORDER = (
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


def _put(parent, child, order: tuple[str, ...]) -> None:
    """Insert ``child`` into ``parent`` at its place in the schema ``order``."""
    tag = child.tag
    names = [qn(name) for name in order]
    successors = order[names.index(tag) + 1 :]
    parent.insert_element_before(child, *successors)


def _table(doc, rows: int, widths_mm: tuple[float, ...] | list[float], *, borders: bool):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))  # table.autofit = False adds it
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        _put(tbl_pr, layout, _TBLPR_ORDER)
    layout.set(qn("w:type"), "fixed")
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        _put(tbl_pr, width, _TBLPR_ORDER)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(Mm(w).twips for w in widths_mm))))
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if borders:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")
        edges.append(el)
    _put(tbl_pr, edges, _TBLPR_ORDER)
    if not borders:
        margins = OxmlElement("w:tblCellMar")
        for edge in ("left", "right"):
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:w"), "0")
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        _put(tbl_pr, margins, _TBLPR_ORDER)
    for index, column in enumerate(table.columns):
        column.width = Mm(widths_mm[index])
        for cell in column.cells:
            cell.width = Mm(widths_mm[index])
    return table


def _page_number_header(section) -> None:
    """Centred PAGE field in the top margin (Phụ lục I mục I.6)."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    _format(paragraph, align=_CENTER, size=BODY_SIZE)
    run_begin = _add_run(paragraph, "", size=BODY_SIZE)
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    run_begin._r.append(fld)
    run_instr = _add_run(paragraph, "", size=BODY_SIZE)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_instr._r.append(instr)
    run_sep = _add_run(paragraph, "", size=BODY_SIZE)
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    run_sep._r.append(fld)
    _add_run(paragraph, "2", size=BODY_SIZE)
    run_end = _add_run(paragraph, "", size=BODY_SIZE)
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    run_end._r.append(fld)


def _restart_page_numbers(section) -> None:
    sect_pr = section._sectPr
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        _put(sect_pr, pg, _SECTPR_ORDER)
    pg.set(qn("w:start"), "1")


def _setup_page(section, *, landscape: bool) -> None:
    width, height = A4_MM
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(height), Mm(width)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
    top, bottom, left, right = PAGE_MARGINS_MM
    section.top_margin = Mm(top)
    section.bottom_margin = Mm(bottom)
    section.left_margin = Mm(left)
    section.right_margin = Mm(right)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False


def _setup_styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr(), size=BODY_SIZE)
    # Document defaults too, so table styles and headers never fall back to a theme font.
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr = rpr_default.find(qn("w:rPr")) if rpr_default is not None else None
        if rpr is not None:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = OxmlElement("w:rFonts")
                rpr.insert(0, fonts)
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), FONT_NAME)
            _set_fonts(rpr, size=BODY_SIZE)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), "vi-VN")
            lang.set(qn("w:eastAsia"), "vi-VN")
            lang.set(qn("w:bidi"), "ar-SA")


# --- the parts of the document -----------------------------------------------------------------


def _header(document, doc: OfficialDocument) -> None:
    """Issuer and number on the left, national title, motto and date on the right."""
    left_mm, right_mm = HEADER_COLUMNS_MM
    table = _table(document, 2, HEADER_COLUMNS_MM, borders=False)
    issuer_cell, motto_cell = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    for cell in (issuer_cell, motto_cell, number_cell, date_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP

    first = True
    if doc.parent_body.strip():
        _text(issuer_cell, nfc(doc.parent_body).upper(), size=13, align=_CENTER, first=True)
        first = False
    issuer = nfc(doc.issuer).upper()
    _text(issuer_cell, issuer, size=13, bold=True, align=_CENTER, first=first)
    issuer_width = min(text_width_mm(issuer, 13, bold=True), left_mm)
    _rule(issuer_cell, width_mm=issuer_width * 0.4, available_mm=left_mm, before=2)

    _text(motto_cell, NATIONAL_TITLE, size=13, bold=True, align=_CENTER, first=True)
    _text(motto_cell, MOTTO, size=14, bold=True, align=_CENTER)
    _rule(motto_cell, width_mm=text_width_mm(MOTTO, 14, bold=True), available_mm=right_mm, before=2)

    _text(number_cell, doc.number_line(), size=13, align=_CENTER, first=True, before=4)
    if doc.is_dispatch and doc.dispatch_summary():
        _text(number_cell, doc.dispatch_summary(), size=12, align=_CENTER, before=2)
    _text(date_cell, doc.date_line(), size=14, italic=True, align=_CENTER, first=True, before=4)


def _title(document, doc: OfficialDocument, text_width: float) -> None:
    if doc.is_dispatch:
        lines = doc.salutation_lines()
        if len(lines) == 1:
            _text(document, lines[0], align=_CENTER, before=18, after=6)
        elif lines:
            _text(document, lines[0], left_indent_mm=25, before=18, after=0)
            for item in lines[1:]:
                _text(document, item, left_indent_mm=45, after=0)
            document.paragraphs[-1].paragraph_format.space_after = Pt(6)
        return
    _text(
        document,
        nfc(doc.type_name).upper(),
        bold=True,
        align=_CENTER,
        before=24,
        keep_with_next=True,
    )
    title = nfc(doc.title).strip()
    if title:
        _text(document, title, bold=True, align=_CENTER, keep_with_next=True)
        line_width = min(text_width_mm(title, BODY_SIZE, bold=True), text_width)
        _rule(document, width_mm=line_width * 0.4, available_mm=text_width, before=5)
    _text(document, "", size=6)


def _body_block(document, block: BodyBlock) -> None:
    text = nfc(block.text).strip()
    common: dict[str, Any] = {
        "align": _JUSTIFY,
        "first_indent_mm": FIRST_LINE_INDENT_MM,
        "before": 0,
        "after": 6,
        "line": 1.15,
    }
    if block.kind in ("heading1", "heading2"):
        _text(document, text, bold=True, keep_with_next=True, **common)
    elif block.kind == "basis":
        _text(document, text, italic=True, **common)
    elif block.kind == "center":
        _text(document, text, bold=True, align=_CENTER, after=6, keep_with_next=True)
    elif block.kind == "bullet":
        if not text.startswith(("-", "+", "•")):
            text = f"- {text}"
        _text(document, text, **common)
    else:
        _text(document, text, **common)


def _signature(document, doc: OfficialDocument) -> None:
    """Recipients on the left, signature on the right (Phụ lục I mục II.8-II.9)."""
    _text(document, "", size=6)
    table = _table(document, 1, SIGNATURE_COLUMNS_MM, borders=False)
    recipients_cell, signer_cell = table.rows[0].cells
    lines = doc.recipient_lines()
    _text(recipients_cell, "Nơi nhận:", size=12, bold=True, italic=True, first=True)
    for line in lines:
        _text(recipients_cell, line, size=11)

    first = True
    if doc.signer_authority.strip():
        _text(signer_cell, nfc(doc.signer_authority).upper(), bold=True, align=_CENTER, first=True)
        first = False
    if doc.signer_title.strip():
        _text(signer_cell, nfc(doc.signer_title).upper(), bold=True, align=_CENTER, first=first)
        first = False
    _text(
        signer_cell, nfc(doc.signer_name).strip(), bold=True, align=_CENTER, before=72, first=first
    )


def _appendix(document, appendix: Appendix) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _setup_page(section, landscape=appendix.landscape)
    _restart_page_numbers(section)
    width, height = A4_MM
    page_width = height if appendix.landscape else width
    top, bottom, left, right = PAGE_MARGINS_MM
    available = page_width - left - right

    _text(document, nfc(appendix.heading).upper() or "PHỤ LỤC", bold=True, align=_CENTER)
    if appendix.subtitle.strip():
        _text(document, appendix.subtitle, bold=True, align=_CENTER, line=1.1)
    if appendix.note.strip():
        _text(document, appendix.note, italic=True, align=_CENTER, line=1.1)
    _rule(document, width_mm=40, available_mm=available, before=6)
    _text(document, "", size=6)

    widths = appendix_column_widths(appendix, available, font_size=13)
    table = _table(document, 1 + len(appendix.rows), widths, borders=True)
    for index, heading in enumerate(appendix.columns):
        _text(table.rows[0].cells[index], heading, size=13, bold=True, align=_CENTER, first=True)
        table.rows[0].cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    for row_index, values in enumerate(appendix.rows, start=1):
        row = table.rows[row_index]
        no_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(no_split)
        for index in range(len(appendix.columns)):
            value = values[index] if index < len(values) else ""
            align = _CENTER if index == 0 else _LEFT
            _text(row.cells[index], value, size=13, align=align, first=True, before=2, after=2)
    _text(document, "", size=6)


# --- entry point -------------------------------------------------------------------------------


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as a .docx file (bytes)."""
    document = Document()
    _setup_styles(document)
    section = document.sections[0]
    _setup_page(section, landscape=False)
    _page_number_header(section)
    top, bottom, left, right = PAGE_MARGINS_MM
    text_width = A4_MM[0] - left - right

    # Document() starts with no paragraph; the header table goes first.
    _header(document, doc)
    _title(document, doc, text_width)
    for block in doc.body:
        _body_block(document, block)
    _signature(document, doc)
    for appendix in doc.appendices:
        _appendix(document, appendix)

    props = document.core_properties
    props.title = doc.document_title()
    props.author = nfc(doc.issuer)
    props.subject = nfc(doc.title)
    props.language = "vi-VN"
    props.last_modified_by = nfc(doc.issuer)
    props.comments = "Thể thức theo Nghị định 30/2020/NĐ-CP"
    if doc.issued_on is not None:
        stamp = datetime(doc.issued_on.year, doc.issued_on.month, doc.issued_on.day)
        props.created = stamp
        props.modified = stamp
    props.revision = 1

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
