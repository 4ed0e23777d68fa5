import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from boiduong.core.filters import FoldedSearchFilter, StyledFilterSet

from .choices import DocumentState, DocumentType, DueState, TaskStatus
from .models import Document, PlanTask, Programme


class DocumentFilter(StyledFilterSet):
    q = FoldedSearchFilter(widget=forms.TextInput(attrs={"type": "search"}))
    doc_type = django_filters.ChoiceFilter(choices=DocumentType.choices, label=_("Type"))
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(
        choices=DocumentState.choices, label=_("State"), method="filter_state"
    )

    class Meta:
        model = Document
        fields = ["q", "doc_type", "year", "state"]

    def filter_state(self, queryset, name, value):
        if value == DocumentState.PLACEHOLDER:
            return queryset.filter(is_placeholder=True)
        if value == DocumentState.DRAFT:
            return queryset.filter(is_placeholder=False, number__isnull=True)
        if value == DocumentState.ISSUED:
            return queryset.filter(is_placeholder=False, number__isnull=False)
        return queryset


class TaskFilter(StyledFilterSet):
    """Filters of task lists; `due` works on the `due` annotation of `selectors.task_list`."""

    q = FoldedSearchFilter(widget=forms.TextInput(attrs={"type": "search"}))
    due = django_filters.ChoiceFilter(choices=DueState.choices, label=_("Due state"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Plan year"))

    class Meta:
        model = PlanTask
        fields = ["q", "due", "status", "year"]


class ProgrammeFilter(StyledFilterSet):
    q = FoldedSearchFilter(widget=forms.TextInput(attrs={"type": "search"}))

    class Meta:
        model = Programme
        fields = ["q"]
