"""Certificates: the verification code, the template placeholders and the PDF.

The public code is the certificate number followed by an HMAC of it keyed with SECRET_KEY
(`django.utils.crypto.salted_hmac`), so anyone can check a printed certificate at
/verify/<code>/ while a code with one character changed is rejected without a database lookup.

The PDF is drawn directly on a ReportLab canvas (A4 landscape) with the Times New Roman
compatible serif of `core.fonts`, so every Vietnamese letter prints; the QR code (segno) is
drawn as vector modules and points to the verification page.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
import string
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from boiduong.core.text import official_date, table_date

SALT = "boiduong.events.certificate"
SIGNATURE_LENGTH = 12  # base32 characters: 60 bits, beyond guessing at the throttled rate

PLACEHOLDERS = {
    "holder",
    "birth_date",
    "workplace",
    "course",
    "dates",
    "days",
    "venue",
    "result",
    "score",
    "number",
}

DEFAULT_BODY = (
    "Chứng nhận: {holder}\n"
    "Ngày sinh: {birth_date}\n"
    "Đơn vị công tác: {workplace}\n"
    "Đã hoàn thành chương trình {course}\n"
    "Thời gian: {dates} ({days} ngày), tại {venue}\n"
    "Kết quả: {result}"
)


# --- the code -------------------------------------------------------------------------------------


def _signature(number: str) -> str:
    digest = salted_hmac(SALT, number, algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:SIGNATURE_LENGTH]


def verification_code(number: str) -> str:
    """ "361-MB-0001" -> "361-MB-0001-K7Q2M4XZ9P3T": the number and its signature."""
    return f"{number}-{_signature(number)}"


def number_from_code(code: str) -> str | None:
    """The certificate number a code carries, or None when the code was altered or made up."""
    code = (code or "").strip().upper()
    number, _sep, signature = code.rpartition("-")
    if not number or len(signature) != SIGNATURE_LENGTH:
        return None
    if not constant_time_compare(signature, _signature(number)):
        return None
    return number


# --- the template ---------------------------------------------------------------------------------


def check_placeholders(body: str) -> None:
    """Refuse a template body with unknown placeholders or unbalanced braces."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(body) if name]
    except ValueError as exc:
        raise ValidationError(
            {"body": _("Braces are unbalanced: write {holder}, not {holder.")}
        ) from exc
    unknown = sorted({n for n in names if n not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            {
                "body": _("Unknown placeholders: %(names)s. Allowed: %(allowed)s.")
                % {
                    "names": ", ".join(f"{{{n}}}" for n in unknown),
                    "allowed": ", ".join(f"{{{n}}}" for n in sorted(PLACEHOLDERS)),
                }
            }
        )


def fill(body: str, values: Mapping[str, str]) -> list[str]:
    """The body's lines with the placeholders filled in."""
    return [line.format_map(dict(values)) for line in body.splitlines()]


@dataclass(frozen=True)
class CertificateText:
    """Everything printed on one certificate (no model access while rendering)."""

    number: str
    code: str
    verify_url: str
    values: dict[str, str]
    issued_on: dt.date
    issuer: str
    parent_body: str
    title: str
    body: str
    place: str
    signer_authority: str
    signer_title: str
    signer_name: str
    status: str = "valid"


def certificate_text(certificate, *, base_url: str) -> CertificateText:
    """What to print for a certificate (its course, template and holder are loaded)."""
    from .models import CertificateTemplate

    course = certificate.course
    template = certificate.template or course.certificate_template or default_template()
    if template is None:
        template = CertificateTemplate(name="", body=DEFAULT_BODY, signer_title="", signer_name="")
    code = verification_code(certificate.number)
    return text_from_template(
        template,
        number=certificate.number,
        code=code,
        verify_url=f"{base_url.rstrip('/')}/verify/{code}/",
        values=values_for(certificate),
        issued_on=certificate.issued_on,
        status=certificate.status,
    )


def text_from_template(template, **fields) -> CertificateText:
    """A certificate's text: the template's wording with one holder's `fields`."""
    return CertificateText(
        issuer=template.issuer,
        parent_body=template.parent_body,
        title=template.title,
        body=template.body,
        place=template.place,
        signer_authority=template.signer_authority,
        signer_title=template.signer_title,
        signer_name=template.signer_name,
        **fields,
    )


def values_for(certificate) -> dict[str, str]:
    course = certificate.course
    outcome = {"dat": "Đạt", "khong_dat": "Không đạt"}.get(certificate.outcome, "")
    score = ""
    result = getattr(certificate.nomination, "result", None) if certificate.nomination_id else None
    if result is not None and result.score is not None:
        score = f"{result.score:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return {
        "holder": certificate.holder_name,
        "birth_date": table_date(certificate.holder_birth_date) or "—",
        "workplace": certificate.holder_workplace or "—",
        "course": course.title,
        "dates": course.dates_label,
        "days": f"{course.days:02d}",
        "venue": course.venue or "—",
        "result": outcome,
        "score": score or "—",
        "number": certificate.number,
    }


def default_template():
    from .models import CertificateTemplate

    return CertificateTemplate.objects.filter(is_default=True).first()


def site_url() -> str:
    """The public address printed in QR codes when no request is at hand."""
    return getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000"


# --- the PDF --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Faces:
    regular: str
    bold: str
    italic: str
    bold_italic: str


@functools.lru_cache(maxsize=1)
def faces() -> _Faces:
    """Register the serif family once per process and return its ReportLab names."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from boiduong.core.fonts import find_serif_fonts

    fonts = find_serif_fonts(
        build_dir=settings.VAR_DIR / "fonts", node_modules=settings.PROJECT_DIR / "node_modules"
    )
    names = _Faces("BdCert", "BdCert-Bold", "BdCert-Italic", "BdCert-BoldItalic")
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in zip(
        (names.regular, names.bold, names.italic, names.bold_italic), fonts.paths(), strict=True
    ):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        names.regular,
        normal=names.regular,
        bold=names.bold,
        italic=names.italic,
        boldItalic=names.bold_italic,
    )
    return names


def _draw_qr(canvas, data: str, *, x: float, y: float, size: float) -> None:
    """A QR code as vector squares: one rectangle per run of dark modules in a row, written
    in module units under a scaling transform (integers: short to format, exact to print).

    The mask is fixed (pattern 0) instead of searched: every mask gives a valid code and the
    search costs more than the rest of the page (ISO/IEC 18004 allows any of the eight)."""
    import segno

    qr = segno.make(data, error="m", micro=False, mask=0)
    matrix = qr.matrix
    border = 2
    count = len(matrix) + 2 * border
    module = size / count
    runs = []
    for r, row in enumerate(matrix):
        top = count - border - 1 - r
        c = 0
        width = len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                runs.append(f"{start + border} {top} {c - start} 1 re")
            else:
                c += 1
    canvas.saveState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, x, y)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


def _centered(canvas, text: str, *, x: float, y: float, font: str, size: float) -> None:
    canvas.setFont(font, size)
    canvas.drawCentredString(x, y, text)


def draw_certificate(canvas, text: CertificateText) -> None:
    """One certificate on the current page of `canvas` (A4 landscape)."""
    from reportlab.lib.colors import Color
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph

    f = faces()
    width, height = landscape(A4)
    navy = Color(0.05, 0.20, 0.42)
    red = Color(0.72, 0.09, 0.09)

    # Frame: a thick and a thin border.
    canvas.setStrokeColor(navy)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)

    # Header: issuer on the left, national title on the right (Nghị định 30/2020 Phụ lục I).
    left_x, right_x, top = 70 * mm, width - 80 * mm, height - 26 * mm
    canvas.setFillColorRGB(0, 0, 0)
    line = top
    if text.parent_body:
        _centered(canvas, text.parent_body.upper(), x=left_x, y=line, font=f.regular, size=12)
        line -= 5.5 * mm
    _centered(canvas, text.issuer.upper(), x=left_x, y=line, font=f.bold, size=12)
    issuer_width = canvas.stringWidth(text.issuer.upper(), f.bold, 12)
    canvas.setLineWidth(0.6)
    canvas.setStrokeColorRGB(0, 0, 0)
    rule = min(issuer_width, 40 * mm) / 2
    canvas.line(left_x - rule, line - 2 * mm, left_x + rule, line - 2 * mm)
    _centered(canvas, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x=right_x, y=top, font=f.bold, size=12)
    _centered(
        canvas, "Độc lập - Tự do - Hạnh phúc", x=right_x, y=top - 5.5 * mm, font=f.bold, size=13
    )
    motto = canvas.stringWidth("Độc lập - Tự do - Hạnh phúc", f.bold, 13) / 2
    canvas.line(right_x - motto, top - 7.5 * mm, right_x + motto, top - 7.5 * mm)

    # Title.
    canvas.setFillColor(red)
    _centered(canvas, text.title.upper(), x=width / 2, y=height - 58 * mm, font=f.bold, size=30)
    canvas.setFillColorRGB(0, 0, 0)

    # Body: one paragraph per line of the template, the holder's name emphasised.
    values = {k: escape(v) for k, v in text.values.items()}
    values["holder"] = f'<font name="{f.bold}" size="19">{values["holder"]}</font>'
    style = ParagraphStyle("cert", fontName=f.regular, fontSize=15, leading=21, alignment=TA_CENTER)
    block_width = width - 70 * mm
    y = height - 70 * mm
    for line_text in fill(text.body, values):
        if not line_text.strip():
            y -= 4 * mm
            continue
        paragraph = Paragraph(line_text, style)
        _w, h = paragraph.wrapOn(canvas, block_width, height)
        y -= h + 1.5 * mm
        paragraph.drawOn(canvas, 35 * mm, y)

    # Signature block, bottom right.
    sign_x = width - 80 * mm
    sign_y = 62 * mm
    canvas.setFont(f.italic, 13)
    canvas.drawCentredString(
        sign_x, sign_y, f"{text.place}, {official_date(text.issued_on)}" if text.place else ""
    )
    line = sign_y - 7 * mm
    for piece in (text.signer_authority, text.signer_title):
        if piece:
            _centered(canvas, piece.upper(), x=sign_x, y=line, font=f.bold, size=13)
            line -= 6 * mm
    _centered(canvas, text.signer_name, x=sign_x, y=28 * mm, font=f.bold, size=14)

    # Number, QR code and where to verify, bottom left.
    qr_size = 30 * mm
    _draw_qr(canvas, text.verify_url, x=22 * mm, y=20 * mm, size=qr_size)
    canvas.setFont(f.bold, 12)
    canvas.drawString(56 * mm, 44 * mm, f"Số: {text.number}")
    canvas.setFont(f.regular, 9.5)
    canvas.drawString(56 * mm, 38 * mm, "Tra cứu tính hợp lệ tại:")
    canvas.drawString(56 * mm, 33.5 * mm, text.verify_url)
    canvas.drawString(56 * mm, 29 * mm, f"Mã tra cứu: {text.code}")

    if text.status != "valid":
        canvas.saveState()
        canvas.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.35))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(20)
        label = "ĐÃ THU HỒI" if text.status == "revoked" else "ĐÃ ĐƯỢC THAY THẾ"
        _centered(canvas, label, x=0, y=0, font=f.bold, size=70)
        canvas.restoreState()


def render_pdf(texts: list[CertificateText]) -> bytes:
    """One PDF with one page per certificate."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    if texts:
        canvas.setTitle(f"Giấy chứng nhận {texts[0].number}")
    canvas.setAuthor("boiduong")
    for text in texts:
        draw_certificate(canvas, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
