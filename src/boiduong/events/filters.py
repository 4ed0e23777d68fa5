import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from boiduong.core.filters import FoldedSearchFilter, StyledFilterSet
from boiduong.orgs.models import Region

from .choices import Audience, CertificateStatus, CourseStatus, EventKind, NominationStatus
from .models import Certificate, Course, Nomination


class CourseFilter(StyledFilterSet):
    q = FoldedSearchFilter(widget=forms.TextInput(attrs={"type": "search"}))
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), label=_("Region"))
    status = django_filters.ChoiceFilter(choices=CourseStatus.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    cascade = django_filters.BooleanFilter(
        field_name="parent", lookup_expr="isnull", exclude=True, label=_("Cascade course")
    )
    year = django_filters.NumberFilter(field_name="starts_on", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Course
        fields = ["q", "region", "status", "kind", "cascade", "year"]


class NominationFilter(StyledFilterSet):
    q = FoldedSearchFilter(
        fields=("person__search_text",), widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(choices=NominationStatus.choices, label=_("Status"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("Audience"))
    is_eligible = django_filters.BooleanFilter(label=_("Eligible"))
    course = django_filters.NumberFilter(field_name="course_id", widget=forms.HiddenInput)

    class Meta:
        model = Nomination
        fields = ["q", "status", "audience", "is_eligible", "course"]


class CertificateFilter(StyledFilterSet):
    q = FoldedSearchFilter(
        fields=("nomination__person__search_text", "number"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(choices=CertificateStatus.choices, label=_("Status"))
    course = django_filters.NumberFilter(field_name="course_id", widget=forms.HiddenInput)

    class Meta:
        model = Certificate
        fields = ["q", "status", "course"]
