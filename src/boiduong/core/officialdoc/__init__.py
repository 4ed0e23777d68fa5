"""Official documents (văn bản hành chính) rendered to DOCX and PDF in the national format.

The format is the one of Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức và kỹ thuật trình bày văn
bản hành chính): A4, Times New Roman 13-14 pt, the issuer / national title header, "Số: ...",
the place and date line, type and summary, body, signature, "Nơi nhận" and appendices.

Usage::

    from boiduong.core.fonts import find_serif_fonts
    from boiduong.core.officialdoc import OfficialDocument, render_docx, render_pdf

    docx_bytes = render_docx(document)
    pdf_bytes = render_pdf(document, fonts=find_serif_fonts(build_dir=..., node_modules=...))

Nothing here imports Django: callers pass paths (``base_dir``) rather than reading settings.
"""

from .docx_render import render_docx
from .pdf_render import render_pdf
from .spec import (
    TASK_COLUMNS,
    Appendix,
    BodyBlock,
    OfficialDocument,
    TaskRow,
    format_vn_date,
    task_appendix,
)

__all__ = [
    "TASK_COLUMNS",
    "Appendix",
    "BodyBlock",
    "OfficialDocument",
    "TaskRow",
    "format_vn_date",
    "render_docx",
    "render_pdf",
    "task_appendix",
]
