import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from boiduong.core.tables import DateColumn, table_attrs

from .models import OrgUnit, Province


class OrgUnitTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("search_text",))
    kind = tables.Column(verbose_name=_("Kind"))
    abbreviation = tables.Column(verbose_name=_("Abbreviation"))
    province = tables.Column(verbose_name=_("Province"), accessor="province__full_name")
    region = tables.Column(verbose_name=_("Region"), accessor="province__region__name")
    valid_from = DateColumn(verbose_name=_("Valid from"))
    valid_to = DateColumn(verbose_name=_("Valid to"))
    successor = tables.Column(verbose_name=_("Succeeded by"), linkify=True)

    class Meta:
        model = OrgUnit
        fields = [
            "name",
            "kind",
            "abbreviation",
            "province",
            "region",
            "valid_from",
            "valid_to",
            "successor",
        ]
        attrs = table_attrs("orgunit-table")


class ProvinceTable(tables.Table):
    code = tables.Column(verbose_name=_("GSO code"))
    full_name = tables.Column(verbose_name=_("Name"), linkify=True, order_by=("search_text",))
    unit_type = tables.Column(verbose_name=_("Type"))
    region = tables.Column(verbose_name=_("Region"))
    valid_from = DateColumn(verbose_name=_("Valid from"))
    valid_to = DateColumn(verbose_name=_("Valid to"))
    successor = tables.Column(verbose_name=_("Merged into"), linkify=True)
    predecessors = tables.Column(verbose_name=_("Formed from"), empty_values=(), orderable=False)

    class Meta:
        model = Province
        fields = [
            "code",
            "full_name",
            "unit_type",
            "region",
            "valid_from",
            "valid_to",
            "successor",
            "predecessors",
        ]
        attrs = table_attrs("province-table")

    def render_predecessors(self, record):
        names = [p.full_name for p in record.predecessors.all()]
        return format_html("{}", ", ".join(names)) if names else "—"

    def value_predecessors(self, record):
        return ", ".join(p.full_name for p in record.predecessors.all())
