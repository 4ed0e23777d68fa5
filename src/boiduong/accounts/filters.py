import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boiduong.core import access
from boiduong.core.filters import FoldedSearchFilter, StyledFilterSet
from boiduong.orgs.models import OrgUnit, Province

from .models import User
from .roles import Role
from .services import MANAGE


def _current_provinces(request):
    return Province.objects.valid_on(timezone.localdate()).order_by("search_text")


def _units(request):
    """The ministry's directory for a manager of everything; otherwise the units they manage."""
    units = OrgUnit.objects.valid_on(timezone.localdate())
    if request is None:
        return units.none()
    found = access.scope(request.user, MANAGE)
    if found.everything:
        return units.filter(kind__in=OrgUnit.PUBLIC_KINDS)
    return units.filter(found.q("path"))


class UserFilter(StyledFilterSet):
    q = FoldedSearchFilter(
        label=_("Name or username"), widget=forms.TextInput(attrs={"type": "search"})
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), method="filter_role")
    province = django_filters.ModelChoiceFilter(
        queryset=_current_provinces, label=_("Province"), method="filter_province"
    )
    unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"), method="filter_unit")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "province", "unit", "is_active"]

    def filter_role(self, qs, name, value):
        return qs.filter(pk__in=User.objects.filter(role_assignments__role=value).values("pk"))

    def filter_province(self, qs, name, value):
        """Working or holding a role under the province's department (Sở GDĐT), or under the
        department of a province merged into it."""
        departments = OrgUnit.objects.filter(
            Q(province=value) | Q(province__successor=value), kind="provincial_department"
        )
        condition = Q(pk__in=[])
        for path in departments.values_list("path", flat=True):
            condition |= Q(workplace__path__startswith=path)
            condition |= Q(role_assignments__org_unit__path__startswith=path)
        return qs.filter(pk__in=User.objects.filter(condition).values("pk"))

    def filter_unit(self, qs, name, value):
        """Working or holding a role at the unit or below it."""
        condition = Q(workplace__path__startswith=value.path) | Q(
            role_assignments__org_unit__path__startswith=value.path
        )
        return qs.filter(pk__in=User.objects.filter(condition).values("pk"))
