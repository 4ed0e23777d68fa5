import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from boiduong.core.tables import DateColumn

from .models import Person
from .selectors import national_id_for


class PersonTable(tables.Table):
    """People, in Vietnamese list order (given name first). National IDs are masked unless
    the user's role needs them — on the page and in the export alike."""

    full_name = tables.Column(verbose_name=_("Full name"), linkify=True, order_by=("sort_key",))
    national_id = tables.Column(verbose_name=_("National ID"), orderable=False)
    birth_date = DateColumn(verbose_name=_("Date of birth"))
    position = tables.Column(verbose_name=_("Position"))
    workplace = tables.Column(verbose_name=_("Workplace"), order_by=("workplace__name",))
    province = tables.Column(
        verbose_name=_("Province"), accessor="workplace__province__name", orderable=False
    )
    core = tables.Column(verbose_name=_("Core staff"), empty_values=(), orderable=False)

    class Meta:
        model = Person
        fields = [
            "full_name",
            "national_id",
            "birth_date",
            "position",
            "workplace",
            "province",
            "core",
        ]
        order_by = ("full_name",)
        attrs = {"data-testid": "person-table"}

    def render_national_id(self, record):
        return format_html('<span class="font-monospace">{}</span>', self.value_national_id(record))

    def value_national_id(self, record):
        return national_id_for(self.request.user, record)

    def render_core(self, record):
        years = getattr(record, "core_years", [])
        if not years:
            return "—"
        return format_html_join(
            " ",
            '<span class="badge text-bg-warning">{} {}</span>',
            ((status.get_kind_display(), status.year) for status in years[:2]),
        )

    def value_core(self, record):
        return "; ".join(
            f"{s.get_kind_display()} {s.year}" for s in getattr(record, "core_years", [])
        )
