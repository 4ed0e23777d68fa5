"""Participant badges: a signed code per nomination, printed with a QR code, eight per A4 page.

The code ("N1234-7KQ2M4XZ") carries the nomination id and an HMAC of it, so a scanner (or a
trainer typing it) cannot mark someone present with a made-up number.
"""

from __future__ import annotations

import base64
import io

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "boiduong.events.badge"


def _signature(nomination_id: int) -> str:
    digest = salted_hmac(SALT, str(nomination_id), algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:8]


def badge_code(nomination_id: int) -> str:
    return f"N{nomination_id}-{_signature(nomination_id)}"


def nomination_id_from_badge(code: str) -> int | None:
    """The nomination a badge code names, or None when it is not a genuine badge code."""
    code = (code or "").strip().upper()
    head, _sep, signature = code.partition("-")
    if not head.startswith("N") or not head[1:].isdigit():
        return None
    nomination_id = int(head[1:])
    if not constant_time_compare(signature, _signature(nomination_id)):
        return None
    return nomination_id


def render_badges(course, nominations) -> bytes:
    """A4 sheets of badges (2 × 4 per page): name, department, seat and the QR code."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from .certificates import _draw_qr, faces

    f = faces()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"Thẻ học viên {course.code}")
    width, height = A4
    badge_w, badge_h = 90 * mm, 62 * mm
    margin_x = (width - 2 * badge_w) / 3
    margin_y = (height - 4 * badge_h) / 5
    for index, nomination in enumerate(nominations):
        slot = index % 8
        if index and slot == 0:
            canvas.showPage()
        col, row = slot % 2, slot // 2
        x = margin_x + col * (badge_w + margin_x)
        y = height - (row + 1) * (badge_h + margin_y)
        canvas.setLineWidth(0.6)
        canvas.setDash(3, 3)
        canvas.rect(x, y, badge_w, badge_h)
        canvas.setDash()
        canvas.setFillColorRGB(0.05, 0.2, 0.42)
        canvas.rect(x, y + badge_h - 11 * mm, badge_w, 11 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont(f.bold, 10)
        canvas.drawString(x + 4 * mm, y + badge_h - 7 * mm, f"{course.code} · HỌC VIÊN")
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(f.bold, 13)
        canvas.drawString(x + 4 * mm, y + badge_h - 19 * mm, nomination.person.full_name)
        canvas.setFont(f.regular, 8.5)
        canvas.drawString(x + 4 * mm, y + badge_h - 25 * mm, nomination.department.name[:48])
        canvas.drawString(x + 4 * mm, y + badge_h - 30 * mm, nomination.get_audience_display())
        code = badge_code(nomination.pk)
        canvas.setFont(f.bold, 10)
        canvas.drawString(x + 4 * mm, y + 6 * mm, code)
        _draw_qr(canvas, code, x=x + badge_w - 34 * mm, y=y + 3 * mm, size=31 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
