"""Programmes (Đề án), official documents (văn bản), plans (kế hoạch) and their task tables.

A plan is the structured reading of an issued Kế hoạch: the document keeps what the paper says
(number, issuer, signer, sections, recipients — always the original text), the plan keeps what
the system tracks (its place in the programme → annual → thematic → provincial tree, the units
responsible and the appendix task rows with their status and progress).

Visibility: national documents and plans (owner a ministry unit, or none) are seen by every role
that may see plans; a provincial plan is seen only within the owning department's scope.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from boiduong.core.models import TimeStampedModel
from boiduong.core.text import fold
from boiduong.orgs.choices import OrgUnitKind

from .choices import (
    DUE_SOON_DAYS,
    NOTATION_ABBREVIATIONS,
    PLAN_DOCUMENT_TYPES,
    TYPE_NAMES,
    DocumentState,
    DocumentType,
    DueState,
    PlanKind,
    SignerAuthority,
    TaskStatus,
)

YEAR_VALIDATORS = [MinValueValidator(1945), MaxValueValidator(2100)]
#: Owners whose documents and plans are national: visible to every role holding the permission.
NATIONAL_OWNER_KINDS = (OrgUnitKind.MINISTRY, OrgUnitKind.MINISTRY_DEPARTMENT)


def owner_scope_q(scope, prefix: str = "") -> Q:
    """Records owned nationally (no owner, or a ministry unit) or by a unit within `scope`."""
    return (
        Q(**{f"{prefix}owner__isnull": True})
        | Q(**{f"{prefix}owner__kind__in": NATIONAL_OWNER_KINDS})
        | scope.q(f"{prefix}owner__path")
    )


class Document(TimeStampedModel):
    """An official document (văn bản) in the format of Nghị định 30/2020/NĐ-CP, Điều 8.

    Number and notation ("361/KH-BGDĐT"), issuer, place and date, type and summary (trích yếu),
    body, signature with authority (KT., TL., TM., Q., TUQ.), recipients (Nơi nhận) and
    appendices. A document cited by another but not yet in the system is a placeholder: it has
    a code and maybe a date, nothing else, and is filled in when its text is imported. A draft
    has no number until it is signed (`services.document_sign`).
    """

    doc_type = models.CharField(_("type"), max_length=8, choices=DocumentType.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    notation = models.CharField(
        _("notation"), max_length=60, blank=True, help_text=_("E.g. KH-BGDĐT or BGDĐT-CNTT.")
    )
    code = models.CharField(
        _("number and notation"), max_length=80, blank=True, db_index=True
    )  # "361/KH-BGDĐT", as printed after "Số:"
    issuer = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("issuing unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    issuer_name = models.CharField(_("issuer as written"), max_length=255, blank=True)
    parent_issuer_name = models.CharField(_("parent body as written"), max_length=255, blank=True)
    drafting_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("drafting unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    drafting_unit_abbr = models.CharField(
        _("drafting unit abbreviation"), max_length=40, blank=True
    )
    owner = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_documents",
        help_text=_("Decides who sees the document: national when empty or a ministry unit."),
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_authority = models.CharField(
        _("signing authority"),
        max_length=4,
        choices=SignerAuthority.choices,
        blank=True,
        default=SignerAuthority.NONE,
    )
    signer_principal = models.CharField(
        _("signing for"), max_length=200, blank=True, help_text=_("BỘ TRƯỞNG in KT. BỘ TRƯỞNG.")
    )
    title = models.TextField(_("summary (trích yếu)"), blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    recipients = models.JSONField(_("recipients (Nơi nhận)"), default=list, blank=True)
    addressees = models.JSONField(_("addressees (Kính gửi)"), default=list, blank=True)
    is_placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("Referenced by another document but not yet in the system."),
    )
    signed_at = models.DateTimeField(_("numbered at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("numbered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_warnings = models.JSONField(_("import warnings"), default=list, blank=True)
    legal_basis = models.ManyToManyField(
        "self",
        through="LegalBasis",
        through_fields=("document", "cited"),
        symmetrical=False,
        related_name="cited_by",
        verbose_name=_("legal basis"),
        blank=True,
    )
    search_text = models.CharField(max_length=1000, editable=False, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            # Numbers restart every year (Nghị định 30/2020/NĐ-CP Điều 15), so "361/KH-BGDĐT"
            # recurs; a numbered code is unique within its year.
            models.UniqueConstraint(
                fields=["code", "year"],
                condition=Q(number__isnull=False),
                name="plans_document_code_year",
                violation_error_message=_("A document with this number already exists that year."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="plans_document_number_positive",
                violation_error_message=_("Document numbers start at 01."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | ~Q(code=""),
                name="plans_document_numbered_has_code",
                violation_error_message=_("A numbered document needs its number and notation."),
            ),
        ]
        indexes = [models.Index(fields=["doc_type", "year"], name="plans_document_type_year")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return owner_scope_q(scope)

    def __str__(self) -> str:
        if self.code:
            return self.code
        return self.title[:80] or gettext("Draft document #%(id)s") % {"id": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("plans:document_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        if self.issued_on and not self.year:
            self.year = self.issued_on.year
        self.search_text = fold(
            f"{self.code} {self.title} {self.issuer_name} {self.signer_name} "
            f"{TYPE_NAMES.get(self.doc_type, '')}"
        )[:1000]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.issued_on and self.year and self.issued_on.year != self.year:
            raise ValidationError(
                {"year": _("The year must be the year of the issue date.")}, code="year"
            )

    @property
    def state(self) -> str:
        if self.is_placeholder:
            return DocumentState.PLACEHOLDER
        if self.number is None:
            return DocumentState.DRAFT
        return DocumentState.ISSUED

    def get_state_display(self) -> str:
        return str(DocumentState(self.state).label)

    @property
    def type_name(self) -> str:
        """The official type name printed on the document ("KẾ HOẠCH"; none for a công văn)."""
        return TYPE_NAMES.get(self.doc_type, "")

    @property
    def authority_line(self) -> str:
        """ "KT. BỘ TRƯỞNG" (Phụ lục I mục II.8.a), or "" when the signer signs in person."""
        if not self.signer_authority:
            return ""
        return f"{self.signer_authority}. {self.signer_principal}".strip()

    @property
    def is_dispatch(self) -> bool:
        return self.doc_type == DocumentType.DISPATCH

    @property
    def short_label(self) -> str:
        """ "KH 361/KH-BGDĐT" for a typed document, the bare code for a công văn."""
        abbreviation = NOTATION_ABBREVIATIONS.get(self.doc_type, "")
        if not self.code or not abbreviation:
            return str(self)
        return f"{abbreviation} {self.code}"


class LegalBasis(models.Model):
    """One document cited in another's preamble ("Căn cứ …", "Thực hiện …", "Triển khai thực
    hiện …"); the citing sentence is kept as written."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="basis_links")
    cited = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="citation_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    sentence = models.TextField(_("sentence as written"), blank=True)

    class Meta:
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal basis")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "cited"], name="plans_legalbasis_unique"),
            models.CheckConstraint(
                condition=~Q(document=F("cited")),
                name="plans_legalbasis_not_self",
                violation_error_message=_("A document cannot cite itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} ← {self.cited}"


class DocumentSection(models.Model):
    """A numbered part of a document's body, heading and text as written: Roman-numbered
    sections and articles are level 1, "1." level 2, "1.1." level 3."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    heading = models.TextField(_("heading"), blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "position"], name="plans_documentsection_position"
            ),
        ]

    def __str__(self) -> str:
        return self.heading[:80]

    @property
    def is_label(self) -> bool:
        """A heading ("1. Mục đích") rather than a numbered sentence ("1. Giáo viên … .")."""
        from .rendering import is_label

        return is_label(self.heading)


class DocumentAppendix(models.Model):
    """An appendix (phụ lục) printed after the signature (Phụ lục I mục IV): heading, name and
    the italic line saying which document it belongs to. A plan's task table is one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="appendices")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    heading = models.CharField(_("heading"), max_length=100, default="PHỤ LỤC")
    subtitle = models.TextField(_("name"), blank=True)
    note = models.TextField(_("note"), blank=True)
    has_task_table = models.BooleanField(_("holds the task table"), default=False)

    class Meta:
        verbose_name = _("appendix")
        verbose_name_plural = _("appendices")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return f"{self.heading} {self.subtitle[:60]}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"plans/attachments/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file kept with a document: the text or Word file it was imported from, a signed scan."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    is_source = models.BooleanField(_("imported from this file"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["document", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def size(self) -> int | None:
        """Bytes on disk; None when the stored file is missing (a restored database without its
        media), so a page listing attachments still opens."""
        try:
            return self.file.size
        except OSError:
            return None


class NumberCounter(models.Model):
    """The issuer's outgoing register for one calendar year: the last number it gave.

    Locked with SELECT … FOR UPDATE while a number is given, so two documents signed at the same
    moment never get the same number (Nghị định 30/2020/NĐ-CP Điều 15.1, Điều 26).
    """

    issuer = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="plans_numbercounter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last_number}"


class NumberRegister(models.Model):
    """One line of the register of outgoing documents (sổ đăng ký văn bản đi): the number an
    issuer gave one document in one calendar year. Numbers run from 01 each year and are never
    given twice (Nghị định 30/2020/NĐ-CP Điều 15.1 and Phụ lục I mục II.3)."""

    issuer = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="registered_numbers",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    number = models.PositiveIntegerField(_("number"))
    document = models.OneToOneField(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="register"
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register of outgoing documents")
        ordering = ["issuer", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"],
                name="plans_numberregister_unique",
                violation_error_message=_("This number was already given this year."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="plans_numberregister_from_01"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year} #{self.number:02d}"


class Programme(TimeStampedModel):
    """A national programme (Đề án) decided by a document, such as Quyết định 33/QĐ-TTg
    (08/01/2019) on training preschool teachers and managers 2018-2025, with its objectives and
    indicators. Plans of every year hang below it."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=400)
    deciding_document = models.ForeignKey(
        Document,
        verbose_name=_("deciding document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    start_year = models.PositiveSmallIntegerField(_("from year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEAR_VALIDATORS)
    objectives = models.TextField(_("objectives"), blank=True)
    search_text = models.CharField(max_length=600, editable=False, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plans_programme_period_order",
                violation_error_message=_("The end of the period precedes its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:programme_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name}")[:600]
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        return f"{self.start_year}-{self.end_year}"


class Indicator(models.Model):
    """A programme objective measured by a number: baseline, target and the year it is due."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("indicator"), max_length=400)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(
        _("target year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Plan(TimeStampedModel):
    """A plan (kế hoạch) read from its document: what it is for, who takes part, where, when,
    how, who pays, which unit does what, and its task table.

    Plans form a tree: programme → annual implementation plan (QĐ 296/QĐ-BGDĐT for 2020,
    KH 51/KH-BGDĐT for 2021) → thematic plans (KH 451, KH 361) → provincial plans. A provincial
    plan is owned by its department and visible only within that department's scope.
    """

    document = models.OneToOneField(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="plan"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("carries out"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=PlanKind.choices, default=PlanKind.THEMATIC
    )
    owner = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    content = models.TextField(_("content"), blank=True)
    participants = models.TextField(_("participants"), blank=True)
    locations = models.TextField(_("locations"), blank=True)
    timing = models.TextField(_("time"), blank=True)
    mode = models.TextField(_("mode"), blank=True)
    funding = models.TextField(_("funding"), blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-year", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="plans_plan_not_own_parent",
                violation_error_message=_("A plan cannot carry out itself."),
            ),
        ]

    FIELDS_TEXT = (
        "purpose",
        "requirements",
        "content",
        "participants",
        "locations",
        "timing",
        "mode",
        "funding",
    )

    @classmethod
    def scope_q(cls, scope) -> Q:
        return owner_scope_q(scope)

    def __str__(self) -> str:
        return self.document.short_label

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.document_id and self.document.doc_type not in PLAN_DOCUMENT_TYPES:
            raise ValidationError(
                {"document": _("A plan is issued as a plan (KH) or a decision (QĐ).")},
                code="plan_type",
            )
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            if self.pk and node.pk == self.pk:
                raise ValidationError(
                    {"parent": _("A plan cannot carry out one of its own sub-plans.")},
                    code="plan_cycle",
                )
            seen.add(node.pk)
            node = node.parent

    @property
    def title(self) -> str:
        return self.document.title

    @property
    def is_provincial(self) -> bool:
        return self.owner is not None and self.owner.kind not in NATIONAL_OWNER_KINDS

    def ancestors(self) -> list[Plan]:
        """Parents from the top of the tree down to this plan's parent."""
        chain: list[Plan] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.insert(0, node)
            node = node.parent
        return chain


class Responsibility(models.Model):
    """What one unit must do under a plan ("Tổ chức thực hiện": "1. Cục Nhà giáo và Cán bộ quản
    lý giáo dục – Chủ trì …"), with the unit as written and, where it resolves, the unit."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_responsibilities",
    )
    unit_text = models.CharField(_("unit as written"), max_length=400)
    duties = models.TextField(_("duties"), blank=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.unit_text


class PlanTask(TimeStampedModel):
    """One row of a plan's task table (nội dung công việc): what, when (the period as written
    and the dates it means), the expected product, the lead unit and the cooperating units
    (as written, and linked where they resolve), and how far it has got."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(_("position"))
    ordinal = models.CharField(_("no."), max_length=16, blank=True)
    content = models.TextField(_("task"))
    period_text = models.CharField(_("period as written"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    product = models.TextField(_("product"), blank=True)
    lead_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    lead_unit_text = models.CharField(_("lead unit as written"), max_length=400, blank=True)
    cooperating_units = models.ManyToManyField(
        "orgs.OrgUnit",
        verbose_name=_("cooperating units"),
        blank=True,
        related_name="cooperating_tasks",
    )
    cooperating_text = models.TextField(_("cooperating units as written"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TaskStatus.choices,
        default=TaskStatus.NOT_STARTED,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    evidence = models.ManyToManyField(
        Document, verbose_name=_("evidence"), blank=True, related_name="evidence_for"
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plans_task_position"),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="plans_task_progress_range",
                violation_error_message=_("Progress is a percentage from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(progress=100),
                name="plans_task_done_is_complete",
                violation_error_message=_("A task that is done is 100% complete."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="plans_task_period_order",
                violation_error_message=_("The end of the period precedes its start."),
            ),
        ]
        indexes = [models.Index(fields=["ends_on", "status"], name="plans_task_due")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return owner_scope_q(scope, prefix="plan__")

    def __str__(self) -> str:
        return f"{self.ordinal} {self.content[:80]}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plans:plan_tasks", args=[self.plan_id]) + f"#task-{self.pk}"

    def save(self, *args, **kwargs):
        self.search_text = fold(
            f"{self.content} {self.product} {self.lead_unit_text} {self.cooperating_text}"
        )
        super().save(*args, **kwargs)

    def due_state(self, today: dt.date | None = None) -> str:
        """On time, due soon (ends within DUE_SOON_DAYS days), overdue, done or cancelled.

        The same rule as `selectors.with_due_state` (which computes it in SQL for filtering).
        A task with no end date is on time: nothing says it is late.
        """
        today = today or timezone.localdate()
        if self.status == TaskStatus.DONE:
            return DueState.DONE
        if self.status == TaskStatus.CANCELLED:
            return DueState.CANCELLED
        if self.ends_on is None:
            return DueState.ON_TIME
        if self.ends_on < today:
            return DueState.OVERDUE
        if self.ends_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
            return DueState.DUE_SOON
        return DueState.ON_TIME

    def get_due_state_display(self, today: dt.date | None = None) -> str:
        return str(DueState(self.due_state(today)).label)

    @property
    def period_label(self) -> str:
        from boiduong.core.text import table_date

        if self.starts_on and self.ends_on:
            return f"{table_date(self.starts_on)} – {table_date(self.ends_on)}"
        if self.ends_on:
            return f"… – {table_date(self.ends_on)}"
        if self.starts_on:
            return f"{table_date(self.starts_on)} – …"
        return ""


class ImportDraft(models.Model):
    """A document text waiting between the import preview and its confirmation.

    Kept on the server so that what is confirmed is exactly what was previewed (never a hidden
    form field a user could edit); the user who uploaded it is the only one who can see it.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    source = models.FileField(
        _("uploaded file"), upload_to="plans/drafts/%Y/%m/", max_length=255, blank=True
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("import draft")
        verbose_name_plural = _("import drafts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename or f"#{self.pk}"
