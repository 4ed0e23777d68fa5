"""Stable codes for trainings and workshops; labels are translated, codes are never shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TRAINING = "training", _("training course")
    WORKSHOP = "workshop", _("workshop")


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", _("open for nominations")
    CLOSED = "closed", _("nominations closed")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Mode(models.TextChoices):
    """KH 361/KH-BGDĐT §III.4: "Trực tiếp hoặc trực tuyến (tùy tình hình thực tế)"."""

    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    BLENDED = "blended", _("blended")


class Audience(models.TextChoices):
    """Who a seat is for (KH 361/KH-BGDĐT §III.1). The first two codes are the people app's
    CoreStaffKind codes, so a core-staff status and a quota's audience compare directly."""

    CORE_TEACHER = "gv_cot_can", _("core teacher")
    CORE_MANAGER = "cbql_cot_can", _("core manager")
    EXPERT = "chuyen_gia", _("expert")


class StaffRole(models.TextChoices):
    """Organising staff of a course (KH 361/KH-BGDĐT §III.1, §V.1): kept apart from participants."""

    ORGANISER = "ban_to_chuc", _("organising committee")
    EXPERT = "chuyen_gia", _("expert")
    REPORTER = "bao_cao_vien", _("reporter / trainer")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    WAITLISTED = "waitlisted", _("waitlisted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    SUBSTITUTED = "substituted", _("substituted")


#: Statuses that hold a seat of the quota and of the course.
SEAT_HOLDING = (NominationStatus.SUBMITTED, NominationStatus.CONFIRMED)
#: Statuses of a nomination still in play (a person has at most one per course).
ACTIVE = (
    NominationStatus.DRAFT,
    NominationStatus.SUBMITTED,
    NominationStatus.CONFIRMED,
    NominationStatus.WAITLISTED,
)


class FundedBy(models.TextChoices):
    """Who pays a participant's travel: the sending department (KH 361/KH-BGDĐT §V.5)."""

    DEPARTMENT = "department", _("the sending department")
    PROGRAMME = "programme", _("the programme budget")


class AttendanceSource(models.TextChoices):
    LIST = "list", _("list")
    BADGE = "badge", _("badge scan")
    ONLINE = "online", _("online import")


class Outcome(models.TextChoices):
    PASSED = "dat", _("passed")
    FAILED = "khong_dat", _("not passed")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    REVOKED = "revoked", _("revoked")
    SUPERSEDED = "superseded", _("superseded")


class QuotaMethod(models.TextChoices):
    EQUAL = "equal", _("equal split")
    CORE_STAFF = "core_staff", _("weighted by core staff")
