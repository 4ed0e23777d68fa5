import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from boiduong.core.tables import DateColumn, table_attrs

from .models import Certificate, Course, Nomination

STATUS_BADGES = {
    "draft": "secondary",
    "submitted": "info",
    "confirmed": "success",
    "rejected": "danger",
    "waitlisted": "warning",
    "withdrawn": "secondary",
    "substituted": "secondary",
    "valid": "success",
    "revoked": "danger",
    "superseded": "secondary",
    "planned": "secondary",
    "open": "info",
    "closed": "warning",
    "completed": "success",
    "cancelled": "secondary",
}


def badge(value: str, label) -> str:
    return format_html(
        '<span class="badge text-bg-{}" data-status="{}">{}</span>',
        STATUS_BADGES.get(value, "secondary"),
        value,
        label,
    )


class CourseTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Code"), linkify=True, attrs={"td": {"class": "text-nowrap"}}
    )
    title = tables.Column(verbose_name=_("Title"), linkify=True, order_by=("search_text",))
    region = tables.Column(verbose_name=_("Region"))
    dates = tables.Column(
        verbose_name=_("Dates"), accessor="dates_label", order_by=("starts_on",), empty_values=()
    )
    mode = tables.Column(verbose_name=_("Mode"))
    seats = tables.Column(
        verbose_name=_("Seats held"), accessor="seats_held", order_by=("seats_held",)
    )
    capacity = tables.Column(verbose_name=_("Capacity"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Course
        fields = ["code", "title", "region", "dates", "mode", "seats", "capacity", "status"]
        attrs = table_attrs("course-table")

    def render_title(self, record, value):
        if record.parent_id:
            return format_html('{} <span class="badge badge-kind">{}</span>', value, _("cascade"))
        return value

    def render_status(self, record):
        return badge(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()


class NominationTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Full name"), linkify=lambda record: record.get_absolute_url(),
        order_by=("person__sort_key",),
    )  # fmt: skip
    department = tables.Column(verbose_name=_("Department"), order_by=("department__path",))
    audience = tables.Column(verbose_name=_("Audience"))
    is_eligible = tables.Column(verbose_name=_("Eligibility"), empty_values=())
    status = tables.Column(verbose_name=_("Status"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("Submitted at"), format="d/m/Y H:i")
    actions = tables.TemplateColumn(
        template_name="events/_nomination_actions.html",
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Nomination
        fields = ["person", "department", "audience", "is_eligible", "status", "submitted_at"]
        attrs = table_attrs("nomination-table")
        order_by = ("department", "person")

    def render_is_eligible(self, record):
        if record.is_eligible:
            return format_html('<span class="text-success">✔ {}</span>', _("eligible"))
        reasons = "; ".join(n["text"] for n in record.eligibility_notes if not n["ok"])
        if record.is_overridden:
            return format_html(
                '<span class="text-warning" title="{}">⚑ {}</span>', reasons, _("exception")
            )
        return format_html('<span class="text-danger" title="{}">✘ {}</span>', reasons, reasons)

    def value_is_eligible(self, record):
        if record.is_eligible:
            return "✔"
        return "; ".join(n["text"] for n in record.eligibility_notes if not n["ok"])

    def render_status(self, record):
        return badge(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()


class CertificateTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), linkify=True, order_by=("serial",))
    holder_name = tables.Column(verbose_name=_("Holder"))
    department = tables.Column(
        verbose_name=_("Department"), accessor="nomination__department__name", orderable=False
    )
    issued_on = DateColumn(verbose_name=_("Issued on"))
    status = tables.Column(verbose_name=_("Status"))
    pdf = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Certificate
        fields = ["number", "holder_name", "department", "issued_on", "status", "pdf"]
        attrs = table_attrs("certificate-table")

    def render_status(self, record):
        return badge(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_pdf(self, record):
        return format_html(
            '<a class="btn btn-sm btn-outline-secondary py-0" href="{}">PDF</a>',
            reverse("events:certificate_pdf", args=[record.pk]),
        )
