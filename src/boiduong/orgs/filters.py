import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from boiduong.core.filters import FoldedSearchFilter, StyledFilterSet

from .choices import OrgUnitKind
from .models import OrgUnit, Province, Region, valid_on_q


class AsOfFilter(django_filters.DateFilter):
    """Only rows valid on the given date ("as of")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("As of"))
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value: dt.date | None):
        return qs if value is None else qs.filter(valid_on_q(value))


class OrgUnitFilter(StyledFilterSet):
    q = FoldedSearchFilter(widget=forms.TextInput(attrs={"type": "search"}))
    kind = django_filters.ChoiceFilter(choices=OrgUnitKind.choices, label=_("Kind"))
    as_of = AsOfFilter()
    region = django_filters.ModelChoiceFilter(
        field_name="province__region", queryset=Region.objects.all(), label=_("Region")
    )
    parent = django_filters.NumberFilter(
        field_name="parent_id", label=_("Parent unit"), widget=forms.HiddenInput
    )

    class Meta:
        model = OrgUnit
        fields = ["q", "kind", "as_of", "region"]


class ProvinceFilter(StyledFilterSet):
    q = FoldedSearchFilter(widget=forms.TextInput(attrs={"type": "search"}))
    as_of = AsOfFilter()
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label=_("Region"))
    code = django_filters.CharFilter(label=_("GSO code"))

    class Meta:
        model = Province
        fields = ["q", "as_of", "region", "code"]
