"""The people registry: teachers, school managers and experts, and the yearly facts that
eligibility rules read (professional-standard rating, core-staff status, training results).

A national ID is personal data under Nghị định 13/2023/NĐ-CP: it is masked wherever people
are listed or exported unless the user's role needs it, and revealing it is logged.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core.models import TimeStampedModel
from boiduong.core.text import fold

from . import keys
from .choices import CoreStaffKind, Gender, Position, Rating, TrainingOutcome

NATIONAL_ID_VALIDATOR = RegexValidator(
    r"^\d{12}$", _("A national ID (CCCD) has exactly 12 digits."), code="national_id"
)
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


def mask_national_id(national_id: str) -> str:
    """'001089012345' -> '0010••••••45': enough to tell two people apart, not to use the ID."""
    if len(national_id) < 8:
        return "•" * len(national_id)
    return national_id[:4] + "•" * (len(national_id) - 6) + national_id[-2:]


class Person(TimeStampedModel):
    """A teacher, school manager, lecturer or education official known by national ID.

    Their workplace (usually a school under a provincial department) decides who may see
    them: a provincial officer sees the people of the province's units only.
    """

    national_id = models.CharField(
        _("national ID (CCCD)"), max_length=12, validators=[NATIONAL_ID_VALIDATOR]
    )
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    workplace = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("workplace"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField(_("position"), max_length=32, choices=Position.choices, blank=True)
    qualification = models.CharField(_("qualification"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    search_text = models.CharField(max_length=400, editable=False, blank=True)
    sort_key = models.CharField(max_length=400, editable=False, blank=True)

    scope_path = "workplace__path"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["sort_key", "id"], name="people_person_sort")]
        # A constraint rather than unique=True: one index, without PostgreSQL's extra
        # varchar_pattern_ops twin (ID prefix search uses this one under the C collation).
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                name="people_person_national_id",
                violation_error_message=_("A person with this national ID already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("people:person_detail", args=[self.pk])

    @property
    def masked_national_id(self) -> str:
        return mask_national_id(self.national_id)

    def save(self, *args, **kwargs):
        self.full_name = " ".join(self.full_name.split())
        self.sort_key = keys.person_sort_key(self.full_name)
        self.search_text = keys.person_search_text(
            full_name=self.full_name,
            national_id=self.national_id,
            school_folded=fold(self.workplace.name) if self.workplace_id else "",
        )
        super().save(*args, **kwargs)


class ProfessionalRating(models.Model):
    """A person's yearly rating against the professional standard (chuẩn nghề nghiệp,
    Thông tư 26/2018/TT-BGDĐT): chưa đạt, đạt, khá or tốt."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="ratings", db_index=False
    )  # the unique (person, year…) index serves lookups by person
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    rating = models.CharField(_("rating"), max_length=16, choices=Rating.choices)

    class Meta:
        verbose_name = _("professional-standard rating")
        verbose_name_plural = _("professional-standard ratings")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="people_rating_person_year",
                violation_error_message=_("This person already has a rating for that year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_rating_display()}"


class CoreStaffStatus(models.Model):
    """Whether a person was core staff (cốt cán) in a year, as a teacher or a manager —
    the basis of eligibility for the national core-staff courses (KH 361/KH-BGDĐT)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="core_statuses", db_index=False
    )  # the unique (person, year…) index serves lookups by person
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=16, choices=CoreStaffKind.choices, blank=True)
    is_core = models.BooleanField(_("core staff"), default=True)

    class Meta:
        verbose_name = _("core-staff status")
        verbose_name_plural = _("core-staff statuses")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"],
                name="people_core_person_year",
                violation_error_message=_("This person already has a core-staff status that year."),
            ),
            models.CheckConstraint(
                condition=Q(is_core=False) | ~Q(kind=""),
                name="people_core_has_kind",
                violation_error_message=_("Core staff must be a core teacher or a core manager."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_kind_display() if self.is_core else '—'}"


class TrainingResult(models.Model):
    """The result (đạt / không đạt) of a training course a person attended in a year.

    Unique per person, year and course title: one may attend several courses in a year.
    Courses run in boiduong will link here later; imported history names the course in text.
    """

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="training_results", db_index=False
    )  # the unique (person, year…) index serves lookups by person
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    course_title = models.CharField(_("course"), max_length=255)
    result = models.CharField(_("result"), max_length=16, choices=TrainingOutcome.choices)

    class Meta:
        verbose_name = _("training result")
        verbose_name_plural = _("training results")
        ordering = ["-year", "course_title"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "course_title"],
                name="people_training_person_year_course",
                violation_error_message=_("This result is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.course_title} — {self.get_result_display()}"
