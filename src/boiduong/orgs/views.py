import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views import View

from boiduong.accounts.roles import PERMISSIONS
from boiduong.core import access
from boiduong.core.views import ObjectDetailView, ObjectListView, PermissionMixin

from . import selectors
from .choices import OrgUnitKind
from .filters import OrgUnitFilter, ProvinceFilter
from .forms import unit_option
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


class UnitLookupView(LoginRequiredMixin, View):
    """The unit picker's search (`forms.UnitPickerWidget`): up to 20 units valid today that the
    user may choose with the permission named in `for` (default orgs.view), as JSON. Without
    that permission anywhere: 403; units outside its scope are simply never found."""

    def get(self, request):
        permission = request.GET.get("for") or "orgs.view"
        if permission not in PERMISSIONS:
            raise PermissionDenied
        access.require(request.user, permission)
        kind = request.GET.get("kind", "")
        if kind and kind not in OrgUnitKind.values:
            kind = ""
        units = selectors.orgunit_choices(
            user=request.user, permission=permission, q=request.GET.get("q", ""), kind=kind
        ).order_by("depth", "search_text", "pk")[: selectors.LOOKUP_LIMIT]
        return JsonResponse({"results": [unit_option(unit) for unit in units]})
