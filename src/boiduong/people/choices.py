"""Stable codes for the people registry; labels are translated, codes are never shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Position(models.TextChoices):
    TEACHER = "giao_vien", _("teacher")
    PRINCIPAL = "hieu_truong", _("principal")
    VICE_PRINCIPAL = "pho_hieu_truong", _("vice-principal")
    SPECIALIST = "chuyen_vien", _("education specialist")
    LECTURER = "giang_vien", _("lecturer")
    HEAD_OF_GROUP = "to_truong", _("head of subject group")
    OTHER = "other", _("other")


class Rating(models.TextChoices):
    """Professional-standard rating (Thông tư 26/2018/TT-BGDĐT for preschool teachers)."""

    NOT_MET = "chua_dat", _("not met")
    MET = "dat", _("met")
    GOOD = "kha", _("good")
    EXCELLENT = "tot", _("excellent")


class CoreStaffKind(models.TextChoices):
    TEACHER = "gv_cot_can", _("core teacher")
    MANAGER = "cbql_cot_can", _("core manager")


class TrainingOutcome(models.TextChoices):
    PASSED = "dat", _("passed")
    FAILED = "khong_dat", _("not passed")
