import datetime as dt

from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views import View

from boiduong.core import access
from boiduong.core.views import ObjectDetailView, ObjectListView, PermissionMixin

from . import selectors
from .filters import OrgUnitFilter, ProvinceFilter
from .models import OrgUnit, Province
from .tables import OrgUnitTable, ProvinceTable


def _as_of(request) -> dt.date | None:
    return parse_date(request.GET.get("as_of") or "") if request.GET.get("as_of") else None


class UnitListView(ObjectListView):
    permission = "orgs.view"
    model = OrgUnit
    filterset_class = OrgUnitFilter
    table_class = OrgUnitTable
    title = _("Organisational units")
    export_name = "don-vi"
    template_name = "orgs/unit_list.html"

    def base_queryset(self):
        return OrgUnit.objects.select_related("province__region", "successor")


class UnitTreeView(PermissionMixin, View):
    """The unit tree, one level at a time (children load with HTMX)."""

    permission = "orgs.view"

    def get(self, request, pk=None):
        as_of = _as_of(request)
        parent = (
            access.get_or_404(OrgUnit.objects.all(), request.user, self.permission, pk=pk)
            if pk
            else None
        )
        nodes = selectors.orgunit_children(user=request.user, parent=parent, as_of=as_of)
        template = "orgs/_tree_nodes.html" if request.htmx or pk else "orgs/unit_tree.html"
        return render(
            request,
            template,
            {"nodes": nodes, "as_of": as_of, "parent": parent, "title": _("Unit tree")},
        )


class UnitDetailView(ObjectDetailView):
    permission = "orgs.view"
    model = OrgUnit
    template_name = "orgs/unit_detail.html"

    def base_queryset(self):
        return OrgUnit.objects.select_related("province__region", "successor", "parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["predecessors"] = access.restrict(
            unit.predecessors.all(), self.request.user, self.permission
        )
        context["names"] = unit.names.all()
        context["ancestors"] = unit.ancestors()
        context["child_count"] = access.restrict(
            unit.children.all(), self.request.user, self.permission
        ).count()
        return context


class ProvinceListView(ObjectListView):
    permission = "orgs.view"
    model = Province
    filterset_class = ProvinceFilter
    table_class = ProvinceTable
    title = _("Provinces")
    export_name = "tinh-thanh"
    template_name = "orgs/province_list.html"

    def base_queryset(self):
        return selectors.province_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.request.htmx:  # the map sits above the table, outside what HTMX swaps
            context["merger"] = selectors.province_merger()
        return context


class ProvinceDetailView(ObjectDetailView):
    permission = "orgs.view"
    model = Province
    template_name = "orgs/province_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        province = self.object
        context["predecessors"] = province.predecessors.select_related("region").order_by("code")
        context["departments"] = OrgUnit.objects.filter(
            province=province, kind="provincial_department"
        )
        return context
