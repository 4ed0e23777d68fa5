"""Provinces, regions and the tree of organisational units — all of them time-aware.

Vietnam had 63 provinces until 30/06/2025 and 34 from 01/07/2025 (Nghị quyết 202/2025/QH15,
Quyết định 19/2025/QĐ-TTg). GSO codes are reused across the two periods, so every province and
unit carries a validity period, and successors are recorded so figures can be rolled up.
"""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core.text import fold

from .choices import OrgUnitKind, ProvinceType


def valid_on_q(on: dt.date, prefix: str = "") -> Q:
    """Rows whose validity period [valid_from, valid_to] contains `on`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, on: dt.date | None):
        return self if on is None else self.filter(valid_on_q(on))


class Region(models.Model):
    """A configurable grouping of provinces (default: Miền Bắc / Miền Trung và Tây Nguyên /
    Miền Nam, inferred from the GSO's eight geographic regions)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Province(models.Model):
    """A province or centrally-run city in one period of the administrative map."""

    code = models.CharField(_("GSO code"), max_length=2)
    name = models.CharField(_("name"), max_length=100)
    full_name = models.CharField(_("full name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    unit_type = models.CharField(_("type"), max_length=40, choices=ProvinceType.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="provinces",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    # Where the province's circle goes on a map (an approximate centre, not a boundary).
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    search_text = models.CharField(max_length=300, editable=False, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="orgs_province_code_period"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgs_province_period_order",
                violation_error_message=_("The end of the period precedes its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("orgs:province_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.full_name} {self.name_en} {self.code}")
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        from boiduong.core.text import table_date

        return f"{table_date(self.valid_from) or '…'} – {table_date(self.valid_to) or '…'}"


class OrgUnit(models.Model):
    """A unit in the education sector: the ministry, its departments, provincial departments
    (Sở GDĐT), training institutions, schools and commune offices, arranged in a tree.

    The tree is stored as a materialised path (`path`), so "this unit and everything below it"
    is one indexed prefix query — the basis of access scoping — and thousands of schools can be
    bulk-created during an import.
    """

    PATH_STEP = 5

    kind = models.CharField(_("kind"), max_length=32, choices=OrgUnitKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=32,
        blank=True,
        help_text=_("Used in document numbers, e.g. BGDĐT, NGCBQLGD, GDMN."),
    )
    code = models.CharField(_("code"), max_length=40, blank=True, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    child_count = models.PositiveIntegerField(default=0, editable=False)
    province = models.ForeignKey(
        Province,
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    search_text = models.CharField(max_length=400, editable=False, blank=True, db_index=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgs_orgunit_period_order",
                violation_error_message=_("The end of the period precedes its start."),
            ),
        ]

    scope_path = "path"
    # The directory of ministry units, departments and institutions is public to every role;
    # schools and commune offices are seen only within the user's scope.
    PUBLIC_KINDS = (
        OrgUnitKind.MINISTRY,
        OrgUnitKind.MINISTRY_DEPARTMENT,
        OrgUnitKind.PROVINCIAL_DEPARTMENT,
        OrgUnitKind.TRAINING_INSTITUTION,
    )

    @classmethod
    def scope_q(cls, scope) -> Q:
        return Q(kind__in=cls.PUBLIC_KINDS) | scope.q("path")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:unit_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name} {self.abbreviation} {self.code}")
        with transaction.atomic():  # the parent's child counter and the new row go together
            if not self.path:
                self.assign_path()
            super().save(*args, **kwargs)

    def assign_path(self) -> None:
        """Give a new unit the next path segment under its parent."""
        if self.parent_id:
            parent = OrgUnit.objects.select_for_update().get(pk=self.parent_id)
            parent.child_count += 1
            OrgUnit.objects.filter(pk=parent.pk).update(child_count=parent.child_count)
            self.path = f"{parent.path}{parent.child_count:0{self.PATH_STEP}d}."
            self.depth = parent.depth + 1
        else:
            roots = OrgUnit.objects.filter(parent__isnull=True).count()
            self.path = f"{roots + 1:0{self.PATH_STEP}d}."
            self.depth = 0

    def name_on(self, on: dt.date | None) -> str:
        """The unit's name as it was on a date (names change: Sở GD, KH và CN Bạc Liêu)."""
        if on is not None:
            for entry in self.names.all():
                if (entry.valid_from is None or entry.valid_from <= on) and (
                    entry.valid_to is None or entry.valid_to >= on
                ):
                    return entry.name
        return self.name

    def is_valid_on(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    def ancestors(self):
        paths = [
            self.path[: i + self.PATH_STEP + 1]
            for i in range(0, len(self.path) - 1, self.PATH_STEP + 1)
        ]
        return OrgUnit.objects.filter(path__in=paths[:-1]).order_by("depth")

    def descendants(self, *, include_self: bool = False):
        qs = OrgUnit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def predecessor_tree(self) -> list[OrgUnit]:
        """All units this one absorbed, recursively (Cà Mau 2025 <- Bạc Liêu, Cà Mau)."""
        found: list[OrgUnit] = []
        frontier = [self]
        while frontier:
            nxt = list(
                OrgUnit.objects.filter(successor__in=frontier).exclude(pk__in=[u.pk for u in found])
            )
            found.extend(nxt)
            frontier = nxt
        return found


class OrgUnitName(models.Model):
    """A name a unit carried during a period."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=255)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("name history entry")
        verbose_name_plural = _("name history")
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return self.name
