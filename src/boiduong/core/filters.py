import django_filters
from django.db.models import Q
from django.forms import NullBooleanSelect
from django.utils.translation import gettext_lazy as _

from . import jobs
from .forms import DateInput
from .models import AuditEvent, Job
from .text import fold


class FoldedSearchFilter(django_filters.CharFilter):
    """Diacritic-insensitive search on a pre-folded column ("nguyen van a" finds "Nguyễn Văn A")."""

    def __init__(self, *args, fields=("search_text",), **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        words = fold(value).split()
        for word in words:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__contains": word})
            qs = qs.filter(condition)
        return qs


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form fields carry Bootstrap classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if getattr(widget, "input_type", None) == "hidden":
                continue
            if isinstance(widget, NullBooleanSelect):
                # "Unknown" reads as a value; an unset yes/no filter means "all".
                widget.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]
            is_select = widget.__class__.__name__.endswith("Select")
            css = "form-select form-select-sm" if is_select else "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class AuditEventFilter(StyledFilterSet):
    q = FoldedSearchFilter()
    action = django_filters.ChoiceFilter(choices=AuditEvent.Action.choices, label=_("Action"))
    actor = django_filters.CharFilter(field_name="actor__username", label=_("User"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))

    class Meta:
        model = AuditEvent
        fields = ["q", "action", "actor", "since"]


class JobFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(choices=Job.Status.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=jobs.kind_choices, label=_("Kind"))
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("From"), widget=DateInput()
    )
    until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("To"), widget=DateInput()
    )

    class Meta:
        model = Job
        fields = ["status", "kind", "since", "until"]
