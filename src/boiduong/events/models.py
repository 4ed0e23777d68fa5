"""Trainings and workshops: courses, quotas, nominations, attendance, results, certificates.

The workflow is KH 361/KH-BGDĐT (07/04/2021): three regional courses of about 200 core
teachers and managers each, nominated by the provincial departments from the core staff rated
"đạt" in the 2020 round, five days in person or online, certificates, a results report, then
cascade courses run by each department.

Invariants live in the database first: a quota and a course never hold more seats than they
have (check constraints on the seat counters the services keep), a person has at most one
nomination in play per course, a certificate number is unique, and a revoked certificate keeps
its reason and date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core.models import TimeStampedModel
from boiduong.core.text import fold

from .choices import (
    ACTIVE,
    AttendanceSource,
    Audience,
    CertificateStatus,
    CourseStatus,
    EventKind,
    FundedBy,
    Mode,
    NominationStatus,
    Outcome,
    StaffRole,
)

COURSE_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
    _("Use capital letters and digits separated by hyphens, e.g. 361-MB."),
    code="course_code",
)


def _keep_counter(instance: models.Model, kwargs: dict) -> None:
    """Saving a course or quota never writes its seat counter: the counter moves only by
    `UPDATE … SET seats_held = seats_held ± 1` under the row lock (services.py), so a copy
    loaded before someone took a seat cannot write back a stale count."""
    if instance._state.adding or kwargs.get("update_fields") is not None:
        return
    stored = (
        type(instance)._default_manager.filter(pk=instance.pk).values_list("seats_held", flat=True)
    )
    instance.seats_held = stored.first() or 0  # type: ignore[attr-defined]  # Course, Quota
    kwargs["update_fields"] = [
        f.name
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name != "seats_held"
    ]


class Course(TimeStampedModel):
    """An event: a training course (lớp tập huấn, bồi dưỡng) or a workshop (hội thảo).

    A national course is organised by a ministry unit for the departments of one region; a
    cascade course (tập huấn tại địa phương, KH 361/KH-BGDĐT §V.5) is organised by a provincial
    department after a national one (its `parent`) and is seen within that department's scope.
    Dates may be tentative ("dự kiến tháng 7-8/2021") until fixed: then `starts_on` is the
    earliest expected day. `days` excludes travel (§III.3); `days_required` is the attendance
    rule for passing; `eligibility_rule` is data read by `rules.eligibility`.
    """

    kind = models.CharField(
        _("kind"), max_length=16, choices=EventKind.choices, default=EventKind.TRAINING
    )
    code = models.CharField(
        _("code"),
        max_length=24,
        unique=True,
        validators=[COURSE_CODE_VALIDATOR],
        help_text=_("Prefix of the certificate numbers, e.g. 361-MB."),
    )
    title = models.CharField(_("title"), max_length=400)
    plan_task = models.ForeignKey(
        "plans.PlanTask",
        verbose_name=_("plan task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        help_text=_("The row of the plan's task table this course delivers."),
    )
    region = models.ForeignKey(
        "orgs.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    owner = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="organised_courses",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("national course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cascades",
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_tentative = models.BooleanField(_("dates are tentative"), default=True)
    tentative_text = models.CharField(
        _("tentative dates as written"),
        max_length=120,
        blank=True,
        help_text=_('For example "dự kiến tháng 7-8/2021".'),
    )
    days = models.PositiveSmallIntegerField(
        _("days (excluding travel)"), default=5, validators=[MinValueValidator(1)]
    )
    days_required = models.PositiveSmallIntegerField(
        _("days of attendance needed to pass"), default=5, validators=[MinValueValidator(1)]
    )
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    capacity = models.PositiveIntegerField(_("capacity"))
    seats_held = models.PositiveIntegerField(_("seats held"), default=0, editable=False)
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    eligibility_rule = models.JSONField(_("eligibility rule"), default=dict, blank=True)
    stated_participants = models.PositiveIntegerField(
        _("participants stated in the plan"), null=True, blank=True
    )
    stated_staff = models.PositiveIntegerField(
        _("organising staff stated in the plan"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    certificate_template = models.ForeignKey(
        "CertificateTemplate",
        verbose_name=_("certificate template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
    )
    search_text = models.CharField(max_length=600, editable=False, blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats_held__lte=F("capacity")),
                name="events_course_not_overbooked",
                violation_error_message=_("The course has no seat left."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="events_course_dates_order",
                violation_error_message=_("The course ends before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(days_required__lte=F("days")),
                name="events_course_required_days",
                violation_error_message=_("More days are required than the course lasts."),
            ),
            models.CheckConstraint(
                condition=Q(is_tentative=True) | Q(ends_on__isnull=False),
                name="events_course_fixed_has_end",
                violation_error_message=_("Fixed dates need an end date."),
            ),
        ]
        indexes = [models.Index(fields=["parent", "status"], name="events_course_parent_status")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        """National courses are seen by everyone holding the permission; a cascade course only
        within its department's scope."""
        return Q(parent__isnull=True) | scope.q("owner__path")

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("events:course_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        region = self.region.name if self.region_id else ""
        self.search_text = fold(f"{self.code} {self.title} {self.venue} {region}")[:600]
        _keep_counter(self, kwargs)
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        """Completed or cancelled: no nomination moves any more."""
        return self.status in (CourseStatus.COMPLETED, CourseStatus.CANCELLED)

    @property
    def is_cascade(self) -> bool:
        return self.parent_id is not None

    @property
    def year(self) -> int:
        return self.starts_on.year

    def day_date(self, day: int) -> dt.date | None:
        """The date of day `day` (1-based) once the dates are fixed."""
        if self.is_tentative:
            return None
        return self.starts_on + dt.timedelta(days=day - 1)

    def day_numbers(self) -> list[int]:
        return list(range(1, self.days + 1))

    @property
    def dates_label(self) -> str:
        """ "19/07/2021 – 23/07/2021", or the tentative wording ("dự kiến tháng 7-8/2021")."""
        from boiduong.core.text import table_date

        if self.is_tentative:
            return self.tentative_text or f"dự kiến từ {table_date(self.starts_on)}"
        if self.ends_on and self.ends_on != self.starts_on:
            return f"{table_date(self.starts_on)} – {table_date(self.ends_on)}"
        return table_date(self.starts_on)

    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(code, code)) for code in self.audiences]


class CourseModule(models.Model):
    """One content area of a course (KH 361/KH-BGDĐT §II lists three)."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="modules"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=600)

    class Meta:
        verbose_name = _("content module")
        verbose_name_plural = _("content modules")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="events_module_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class StaffMember(models.Model):
    """Someone who runs a course — organising committee, expert, reporter/trainer — kept apart
    from the participants (KH 361/KH-BGDĐT §III.1: "Ban tổ chức, các chuyên gia và các báo cáo
    viên: 20 người"). In a cascade course the trainers are core staff certified nationally."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="staff"
    )
    role = models.CharField(_("role"), max_length=16, choices=StaffRole.choices)
    full_name = models.CharField(_("full name"), max_length=150)
    unit_name = models.CharField(_("unit"), max_length=255, blank=True)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_roles",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="course_roles",
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("organising staff")
        ordering = ["course", "role", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=Q(person__isnull=False),
                name="events_staff_person_once",
                violation_error_message=_("This person is already on the course's staff."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Quota(models.Model):
    """Seats of one course for one provincial department and one audience (chỉ tiêu).

    `seats_held` counts the department's submitted and confirmed nominations; the services
    keep it under a row lock and the database refuses any value above `seats`. The sending
    department pays its participants' travel (KH 361/KH-BGDĐT §V.5).
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="quotas"
    )
    department = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="quotas",
    )
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    seats = models.PositiveIntegerField(_("seats"))
    seats_held = models.PositiveIntegerField(_("seats held"), default=0, editable=False)
    funded_by = models.CharField(
        _("travel paid by"), max_length=16, choices=FundedBy.choices, default=FundedBy.DEPARTMENT
    )

    scope_path = "department__path"

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["course", "department__path", "audience"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "department", "audience"],
                name="events_quota_once",
                violation_error_message=_("This department already has a quota for that audience."),
            ),
            models.CheckConstraint(
                condition=Q(seats_held__lte=F("seats")),
                name="events_quota_not_overbooked",
                violation_error_message=_("The quota has no seat left."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.code} · {self.department} · {self.get_audience_display()}"

    def save(self, *args, **kwargs):
        _keep_counter(self, kwargs)
        super().save(*args, **kwargs)

    @property
    def seats_free(self) -> int:
        return max(0, self.seats - self.seats_held)


class NominationCall(TimeStampedModel):
    """The call for nominations: a công văn to the departments that hold quotas, with a
    deadline (KH 361/KH-BGDĐT §V.1: the lead unit "ban hành các công văn"). It lands in each
    recipient department's inbox (`CallRecipient`)."""

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="calls"
    )
    number = models.CharField(_("number"), max_length=60, blank=True)
    title = models.CharField(_("summary (V/v)"), max_length=400)
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("nomination deadline"))
    body = models.TextField(_("body"), blank=True)
    document = models.ForeignKey(
        "plans.Document",
        verbose_name=_("official document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nomination_calls",
        help_text=_("The công văn in the document register, when it is drafted there."),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("call for nominations")
        verbose_name_plural = _("calls for nominations")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("issued_on")),
                name="events_call_deadline_after_issue",
                violation_error_message=_("The deadline precedes the date of issue."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} · {self.title}"


class CallRecipient(models.Model):
    """One department's copy of a call: its inbox entry."""

    call = models.ForeignKey(NominationCall, on_delete=models.CASCADE, related_name="recipients")
    department = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="nomination_calls"
    )
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    scope_path = "department__path"

    class Meta:
        verbose_name = _("call recipient")
        verbose_name_plural = _("call recipients")
        ordering = ["call", "department__path"]
        constraints = [
            models.UniqueConstraint(fields=["call", "department"], name="events_call_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.call} → {self.department}"


class Nomination(TimeStampedModel):
    """A department sends a person to a course (cử tham dự).

    draft → submitted → confirmed / rejected / waitlisted / withdrawn; a confirmed person may
    be substituted (the seat passes to the substitute). Eligibility is checked against the
    course's rule when the nomination is made and explained in `eligibility_notes`; a ministry
    officer may override it with a reason. For a cascade course the participants are recorded
    directly (no quota).
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="nominations"
    )
    quota = models.ForeignKey(
        Quota,
        verbose_name=_("quota"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    department = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("sending department"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.DRAFT,
        db_index=True,
    )
    is_eligible = models.BooleanField(_("eligible"), default=False)
    eligibility_notes = models.JSONField(_("eligibility check"), default=list, blank=True)
    override_reason = models.TextField(_("reason for the exception"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    substitute_for = models.OneToOneField(
        "self",
        verbose_name=_("substitute for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitute",
    )
    funded_by = models.CharField(
        _("travel paid by"), max_length=16, choices=FundedBy.choices, default=FundedBy.DEPARTMENT
    )
    travel_cost = models.DecimalField(
        _("travel cost (VND)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["course", "department__path", "person__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "person"],
                condition=Q(status__in=ACTIVE),
                name="events_nomination_once_per_course",
                violation_error_message=_("This person is already nominated for the course."),
            ),
            models.CheckConstraint(
                condition=Q(overridden_at__isnull=True) | ~Q(override_reason=""),
                name="events_nomination_override_has_reason",
                violation_error_message=_("An exception needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status"], name="events_nom_course_status"),
            models.Index(fields=["quota", "status", "submitted_at"], name="events_nom_waitlist"),
        ]

    @classmethod
    def scope_q(cls, scope) -> Q:
        """The sending department's scope, and the person's own unit (a teacher sees her own)."""
        return scope.q("department__path") | scope.q("person__workplace__path")

    def __str__(self) -> str:
        return f"{self.person} · {self.course.code}"

    def get_absolute_url(self) -> str:
        return reverse("events:nomination_detail", args=[self.pk])

    @property
    def holds_seat(self) -> bool:
        return self.status in (NominationStatus.SUBMITTED, NominationStatus.CONFIRMED)

    @property
    def is_overridden(self) -> bool:
        return self.overridden_at is not None

    @property
    def may_attend(self) -> bool:
        return self.status == NominationStatus.CONFIRMED


class ScopedByNomination:
    """Attendance, results and certificates are seen where their nomination is: by the
    sending department's scope and by the person's own unit."""

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q("nomination__department__path") | scope.q(
            "nomination__person__workplace__path"
        )


class Attendance(ScopedByNomination, models.Model):
    """Whether a participant attended one day of a course, and how it was recorded."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attendance")
    day = models.PositiveSmallIntegerField(_("day"), validators=[MinValueValidator(1)])
    is_present = models.BooleanField(_("present"), default=True)
    source = models.CharField(
        _("recorded by"),
        max_length=16,
        choices=AttendanceSource.choices,
        default=AttendanceSource.LIST,
    )
    minutes_online = models.PositiveIntegerField(_("minutes online"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["nomination", "day"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "day"], name="events_attendance_day"),
            models.CheckConstraint(condition=Q(day__gte=1), name="events_attendance_day_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.day}"


class Result(ScopedByNomination, models.Model):
    """A participant's result: đạt / không đạt, a score out of 10 and remarks."""

    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="result")
    outcome = models.CharField(_("result"), max_length=16, choices=Outcome.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    remarks = models.CharField(_("remarks"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["nomination"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10),
                name="events_result_score_range",
                violation_error_message=_("A score is between 0 and 10."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination} · {self.get_outcome_display()}"


class CertificateTemplate(TimeStampedModel):
    """The wording of a certificate, editable by those who issue certificates. The body may use
    the placeholders {holder}, {birth_date}, {workplace}, {course}, {dates}, {days}, {venue},
    {result}, {score} and {number}."""

    name = models.CharField(_("name"), max_length=120)
    issuer = models.CharField(_("issuing body"), max_length=200, default="BỘ GIÁO DỤC VÀ ĐÀO TẠO")
    parent_body = models.CharField(_("parent body"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=120, default="GIẤY CHỨNG NHẬN")
    body = models.TextField(_("body"))
    place = models.CharField(_("place"), max_length=60, default="Hà Nội")
    signer_authority = models.CharField(_("signing authority"), max_length=80, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=120)
    signer_name = models.CharField(_("signer's name"), max_length=120)
    is_default = models.BooleanField(_("default template"), default=False)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="events_one_default_template",
                violation_error_message=_("Only one template can be the default."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:template_edit", args=[self.pk])

    def clean(self):
        from .certificates import check_placeholders

        check_placeholders(self.body)


class Certificate(ScopedByNomination, models.Model):
    """A numbered certificate of completion (giấy chứng nhận), verifiable by anyone.

    The number is per course ("361-MB-0001"); the public code adds an HMAC of the number so a
    changed code is rejected. Revocation and replacement are states with their reason and date,
    never deletions. The holder's details are copied at issue, as printed.
    """

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates"
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="certificates"
    )
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("number"), max_length=40, unique=True)
    holder_name = models.CharField(_("holder"), max_length=150)
    holder_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    holder_workplace = models.CharField(_("workplace"), max_length=255, blank=True)
    outcome = models.CharField(_("result"), max_length=16, choices=Outcome.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["course", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["course", "serial"], name="events_certificate_serial"),
            models.UniqueConstraint(
                fields=["nomination"],
                condition=Q(status="valid"),
                name="events_one_valid_certificate",
                violation_error_message=_("This participant already holds a valid certificate."),
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="events_certificate_revocation_reason",
                violation_error_message=_("A revocation needs a reason and a date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("events:certificate_detail", args=[self.pk])

    @property
    def code(self) -> str:
        from .certificates import verification_code

        return verification_code(self.number)

    @property
    def verify_path(self) -> str:
        return reverse("verify", args=[self.code])
