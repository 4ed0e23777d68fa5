import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from boiduong.core.tables import table_attrs

from .models import User

# Columns a phone leaves out (the user's page has them).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class UserTable(tables.Table):
    username = tables.Column(verbose_name=_("Username"), linkify=True)
    full_name = tables.Column(verbose_name=_("Full name"), order_by=("search_text",))
    workplace = tables.Column(
        verbose_name=_("Workplace"), order_by=("workplace__path",), attrs=WIDE_ONLY
    )
    roles = tables.Column(
        verbose_name=_("Roles"), empty_values=(), orderable=False, attrs=WIDE_ONLY
    )
    is_active = tables.Column(verbose_name=_("Status"))
    last_login = tables.DateTimeColumn(
        format="d/m/Y H:i", verbose_name=_("Last login"), attrs=WIDE_ONLY
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "workplace", "roles", "is_active", "last_login"]
        attrs = table_attrs("user-table")
        row_attrs = {"data-username": lambda record: record.username}

    def render_roles(self, record):
        rows = [(a.get_role_display(), a.org_unit) for a in record.role_assignments.all()]
        if not rows:
            return "—"
        return format_html_join(
            "",
            "<div><span class='badge badge-kind'>{}</span> <span class='small text-secondary'>"
            "{}</span></div>",
            rows,
        )

    def value_roles(self, record):
        return "; ".join(
            f"{a.get_role_display()} @ {a.org_unit}" for a in record.role_assignments.all()
        )

    def render_is_active(self, value):
        if value:
            return format_html("<span class='badge text-bg-success'>{}</span>", _("active"))
        return format_html("<span class='badge text-bg-secondary'>{}</span>", _("inactive"))

    def value_is_active(self, value):
        return str(_("active") if value else _("inactive"))
