import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from boiduong.core.filters import FoldedSearchFilter, StyledFilterSet
from boiduong.orgs.models import Province

from .choices import CoreStaffKind, Position, Rating
from .models import CoreStaffStatus, Person, ProfessionalRating, TrainingResult

ANY_CORE = "any"


class PersonSearchFilter(FoldedSearchFilter):
    """Name or school without accents; a run of digits looks up the national ID."""

    def filter(self, qs, value):
        text = (value or "").strip().replace(" ", "")
        if len(text) >= 4 and text.isdigit():
            return qs.filter(national_id__startswith=text)
        return super().filter(qs, value)


def _provinces_today(request):
    return Province.objects.valid_on(timezone.localdate()).order_by("name")


class PersonFilter(StyledFilterSet):
    q = PersonSearchFilter(
        label=_("Name, ID or school"), widget=forms.TextInput(attrs={"type": "search"})
    )
    province = django_filters.ModelChoiceFilter(
        queryset=_provinces_today, label=_("Province"), method="filter_province"
    )
    position = django_filters.ChoiceFilter(choices=Position.choices, label=_("Position"))
    core = django_filters.ChoiceFilter(
        choices=[(ANY_CORE, _("core staff (any kind)")), *CoreStaffKind.choices],
        label=_("Core staff"),
        method="filter_facts",
    )
    rating = django_filters.ChoiceFilter(
        choices=Rating.choices, label=_("Rating"), method="filter_facts"
    )
    year = django_filters.NumberFilter(label=_("Year"), method="filter_facts")

    class Meta:
        model = Person
        fields = ["q", "province", "position", "core", "rating", "year"]

    @extend_schema_field(OpenApiTypes.INT)  # the API takes the province's id
    def filter_province(self, queryset, name, value):
        ids = [value.pk, *value.predecessors.values_list("pk", flat=True)]
        return queryset.filter(workplace__province_id__in=ids)

    def filter_facts(self, queryset, name, value):
        return queryset  # applied together in filter_queryset: the year narrows the others

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        core, rating, year = data.get("core"), data.get("rating"), data.get("year")
        in_year = Q(year=year) if year else Q()
        person = Q(person=OuterRef("pk"))
        if core:
            kind = Q() if core == ANY_CORE else Q(kind=core)
            queryset = queryset.filter(
                Exists(CoreStaffStatus.objects.filter(person, in_year, kind, is_core=True))
            )
        if rating:
            queryset = queryset.filter(
                Exists(ProfessionalRating.objects.filter(person, in_year, rating=rating))
            )
        if year and not core and not rating:
            queryset = queryset.filter(
                Exists(ProfessionalRating.objects.filter(person, in_year))
                | Exists(CoreStaffStatus.objects.filter(person, in_year))
                | Exists(TrainingResult.objects.filter(person, in_year))
            )
        return queryset
