"""E-mail notifications of the course workflow, sent after the transaction commits.

Django's mail backend decides where they go: the console by default, SMTP when EMAIL_HOST is
configured, the locmem outbox in tests. A failing mail server never undoes a nomination: mails
are sent on commit and failures are logged, not raised.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation

from boiduong.accounts.models import RoleAssignment
from boiduong.accounts.roles import roles_with

logger = logging.getLogger(__name__)


def officers_of(department, permission: str = "events.nominate") -> list[str]:
    """E-mail addresses of the users who act for `department` with `permission` (a role on the
    department itself, on a unit above it, or on the unit that absorbed it)."""
    from .rules import department_lineage

    paths = [unit.path for unit in department_lineage(department)]
    prefixes = {path[:i] for path in paths for i in range(6, len(path) + 1, 6)}
    assignments = RoleAssignment.objects.filter(
        role__in=[str(r) for r in roles_with(permission)], org_unit__path__in=prefixes
    ).select_related("user")
    return sorted({a.user.email for a in assignments if a.user.email and a.user.is_active})


def _send(messages: list[tuple[str, str, str, list[str]]]) -> None:
    messages = [m for m in messages if m[3]]
    if not messages:
        return
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # the workflow must not fail because a mail server is down
        logger.exception("Could not send %d notification(s)", len(messages))


_muted = threading.local()


@contextlib.contextmanager
def muted():
    """No mail inside this block (the demo builder replays a 2021 workflow: nobody to tell)."""
    previous = getattr(_muted, "on", False)
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = previous


def later(messages: Iterable[tuple[str, str, list[str]]]) -> None:
    """Queue (subject, body, recipients) mails for when the current transaction commits."""
    if getattr(_muted, "on", False):
        return
    sender = settings.DEFAULT_FROM_EMAIL
    batch = [(subject, body, sender, list(to)) for subject, body, to in messages]
    transaction.on_commit(lambda: _send(batch))


def _vi(func):
    """Notifications are written in Vietnamese, whatever language the acting user browses in."""

    def wrapper(*args, **kwargs):
        with translation.override("vi"):
            return func(*args, **kwargs)

    return wrapper


@_vi
def call_issued(call) -> None:
    """The call for nominations, to the officers of each recipient department."""
    course = call.course
    mails = []
    for recipient in call.recipients.select_related("department"):
        body = (
            f"Kính gửi: {recipient.department.name}\n\n"
            f"{call.number} — {call.title}\n\n"
            f"Lớp: {course.title}\nThời gian: {course.dates_label}\n"
            f"Hạn cử danh sách: {call.deadline:%d/%m/%Y}\n\n{call.body}\n\n"
            "Vui lòng cử danh sách trên boiduong (mục Cử tham dự)."
        )
        mails.append(
            (f"[boiduong] Cử tham dự: {course.code}", body, officers_of(recipient.department))
        )
    later(mails)


@_vi
def deadline_reminder(recipient, *, nominated: int, seats: int) -> None:
    call = recipient.call
    body = (
        f"Kính gửi: {recipient.department.name}\n\n"
        f"Hạn cử danh sách tham dự {call.course.title} là {call.deadline:%d/%m/%Y}.\n"
        f"Đơn vị đã gửi {nominated}/{seats} chỉ tiêu.\n"
    )
    later(
        [
            (
                f"[boiduong] Nhắc hạn cử tham dự: {call.course.code}",
                body,
                officers_of(recipient.department),
            )
        ]
    )


@_vi
def nomination_confirmed(nomination) -> None:
    course = nomination.course
    person = nomination.person
    body = (
        f"{person.full_name} đã được xác nhận tham dự {course.title}.\n"
        f"Thời gian: {course.dates_label}. Địa điểm: {course.venue or 'sẽ thông báo'}.\n"
        f"Hình thức: {course.get_mode_display()}.\n"
        "Kinh phí đi lại do đơn vị cử đi chi trả (KH 361/KH-BGDĐT mục V.5)."
    )
    to = [person.email] if person.email else []
    to += officers_of(nomination.department)
    later([(f"[boiduong] Xác nhận tham dự: {course.code}", body, sorted(set(to)))])


@_vi
def nomination_promoted(nomination) -> None:
    """To the sending department's officers: a waitlisted nomination now holds a seat (a seat
    freed up or was added, or an officer moved it), and waits for the ministry's decision."""
    course = nomination.course
    body = (
        f"Kính gửi: {nomination.department.name}\n\n"
        f"{nomination.person.full_name} đã được chuyển từ danh sách chờ sang danh sách cử tham dự "
        f"{course.title} (giữ một chỉ tiêu), chờ Bộ xác nhận.\n"
        f"Thời gian: {course.dates_label}."
    )
    later(
        [
            (
                f"[boiduong] Chuyển khỏi danh sách chờ: {course.code}",
                body,
                officers_of(nomination.department),
            )
        ]
    )


@_vi
def mode_changed(course, *, reason: str) -> None:
    from .choices import NominationStatus

    emails = sorted(
        {
            email
            for email in course.nominations.filter(
                status__in=[NominationStatus.CONFIRMED, NominationStatus.SUBMITTED]
            ).values_list("person__email", flat=True)
            if email
        }
    )
    body = (
        f"{course.title}\nHình thức tổ chức chuyển sang: {course.get_mode_display()}.\n"
        f"Lý do: {reason}\nThời gian: {course.dates_label}."
    )
    later([(f"[boiduong] Thay đổi hình thức: {course.code}", body, emails)])


@_vi
def certificates_issued(certificates, *, base_url: str) -> None:
    mails = []
    for certificate in certificates:
        email = certificate.nomination.person.email
        if not email:
            continue
        body = (
            f"{certificate.holder_name} được cấp giấy chứng nhận số {certificate.number}\n"
            f"({certificate.course.title}).\n"
            f"Tra cứu: {base_url.rstrip('/')}/verify/{certificate.code}/"
        )
        mails.append((f"[boiduong] Giấy chứng nhận {certificate.number}", body, [email]))
    later(mails)


@_vi
def trainer_certificate_revoked(*, member, certificate) -> None:
    """To the officers of the department running a cascade course whose trainer has just lost
    the national certificate that qualified them."""
    course = member.course
    body = (
        f"Kính gửi: {course.owner.name}\n\n"
        f"Giấy chứng nhận số {certificate.number} ({certificate.course.code}) của báo cáo viên "
        f"{member.full_name} đã bị thu hồi. Lý do: {certificate.revoke_reason}\n"
        f"Báo cáo viên này đang tham gia lớp tập huấn lại {course.code} — {course.title}.\n"
        "Đề nghị Sở xem xét, thay báo cáo viên nếu cần (KH 361/KH-BGDĐT mục V.5)."
    )
    later(
        [
            (
                f"[boiduong] Thu hồi giấy chứng nhận của báo cáo viên: {course.code}",
                body,
                officers_of(course.owner, "events.cascade"),
            )
        ]
    )
