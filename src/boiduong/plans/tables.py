import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from boiduong.core.tables import DateColumn, table_attrs

from .choices import DueState
from .models import Document, PlanTask, Programme
from .templatetags.plans_tags import due_badge, progress_bar, status_badge

# Columns a phone leaves out (the row stays readable without them).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class ProgrammeTable(tables.Table):
    name = tables.Column(verbose_name=_("Programme"), linkify=True, order_by=("search_text",))
    period = tables.Column(
        verbose_name=_("Period"), accessor="period_label", order_by=("start_year",)
    )
    deciding_document = tables.Column(verbose_name=_("Decided by"), linkify=True, attrs=WIDE_ONLY)
    n_plans = tables.Column(verbose_name=_("Plans"), attrs=WIDE_ONLY)

    class Meta:
        model = Programme
        fields = ["name", "period", "deciding_document", "n_plans"]
        attrs = table_attrs("programme-table")


class DocumentTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Number"), linkify=True, empty_values=(), order_by=("year", "number")
    )
    doc_type = tables.Column(verbose_name=_("Type"), attrs=WIDE_ONLY)
    title = tables.Column(verbose_name=_("Summary"), order_by=("search_text",))
    issuer_name = tables.Column(verbose_name=_("Issuer"), attrs=WIDE_ONLY)
    issued_on = DateColumn(verbose_name=_("Issued on"))
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)

    class Meta:
        model = Document
        fields = ["code", "doc_type", "title", "issuer_name", "issued_on", "state"]
        attrs = table_attrs("document-table")

    def render_code(self, record):
        return record.code or "—"

    def value_code(self, record):
        return record.code

    def render_title(self, value):
        return value if len(value) <= 160 else value[:157] + "…"

    def value_title(self, value):
        return value

    def render_state(self, record):
        css = {"placeholder": "text-bg-light border", "draft": "text-bg-warning"}
        return format_html(
            '<span class="badge {}">{}</span>',
            css.get(record.state, "text-bg-success"),
            record.get_state_display(),
        )

    def value_state(self, record):
        return record.get_state_display()


class TaskTable(tables.Table):
    plan = tables.Column(
        verbose_name=_("Plan"), accessor="plan__document__code", order_by=("plan__year",)
    )
    ordinal = tables.Column(verbose_name=_("No."), orderable=False)
    content = tables.Column(verbose_name=_("Task"), orderable=False)
    period_text = tables.Column(verbose_name=_("Period"), order_by=("ends_on",))
    lead_unit_text = tables.Column(verbose_name=_("Lead unit"), orderable=False, attrs=WIDE_ONLY)
    status = tables.Column(verbose_name=_("Status"), attrs=WIDE_ONLY)
    progress = tables.Column(verbose_name=_("Progress"), attrs=WIDE_ONLY)
    due = tables.Column(verbose_name=_("Due state"), orderable=False)

    class Meta:
        model = PlanTask
        fields = [
            "plan",
            "ordinal",
            "content",
            "period_text",
            "lead_unit_text",
            "status",
            "progress",
            "due",
        ]
        attrs = table_attrs("task-table")

    def render_plan(self, record):
        return format_html(
            '<a class="bd-nowrap" href="{}">{}</a>',
            record.plan.get_absolute_url(),
            record.plan.document.short_label,
        )

    def render_period_text(self, value):
        return format_html('<span class="bd-nowrap">{}</span>', value)

    def render_content(self, record):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.content)

    def value_content(self, record):
        return record.content

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_progress(self, value):
        return progress_bar(value)

    def render_due(self, value):
        return due_badge(value)

    def value_due(self, value):
        return DueState(value).label if value else ""
