from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceType(models.TextChoices):
    PROVINCE = "tinh", _("province")
    CITY = "thanh_pho_truc_thuoc_trung_uong", _("centrally-run city")


class OrgUnitKind(models.TextChoices):
    MINISTRY = "ministry", _("ministry")
    MINISTRY_DEPARTMENT = "ministry_department", _("ministry department")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("provincial department")
    TRAINING_INSTITUTION = "training_institution", _("training institution")
    SCHOOL = "school", _("school")
    COMMUNE_OFFICE = "commune_office", _("commune office")
