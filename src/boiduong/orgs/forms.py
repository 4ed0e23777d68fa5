"""Choosing an organisational unit in a form, with thousands of schools to choose from."""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import OrgUnit


def unit_option(unit: OrgUnit) -> dict:
    """One unit as the picker shows it: its name, then its province and kind."""
    parts = (unit.province.name if unit.province else "", unit.get_kind_display())
    detail = " · ".join(str(part) for part in parts if part)
    return {"id": unit.pk, "text": unit.name, "detail": detail}


class UnitPickerWidget(forms.Select):
    """A <select> of units that Tom Select turns into a search box (orgs/unit-picker.js).

    With few units in the field's queryset (a school's own manager) every unit is an option
    and the select works without JavaScript. With more (a provincial department's thousands
    of preschools) the page holds only the chosen unit and the rest load from
    `orgs:unit_lookup` as the user types; the field still validates the posted id against
    its own, scoped queryset, so nothing the browser sends is trusted.
    """

    FULL_LIST_LIMIT = 300

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/tom-select.base.min.js", "orgs/unit-picker.js"]

    def __init__(self, attrs=None, *, permission: str = "orgs.view", kind: str = ""):
        super().__init__(attrs)
        self.permission = permission
        self.kind = kind

    def _is_large(self) -> bool:
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return False
        cached = getattr(self, "_large", None)
        if cached is None:
            cached = self._large = queryset[: self.FULL_LIST_LIMIT + 1].count() > (
                self.FULL_LIST_LIMIT
            )
        return cached

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = {"for": self.permission} | ({"kind": self.kind} if self.kind else {})
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-unit-picker"] = f"{reverse('orgs:unit_lookup')}?{urlencode(query)}"
        widget_attrs["data-remote"] = "1" if self._is_large() else "0"
        widget_attrs["data-placeholder"] = str(_("Type part of the name, e.g. hoa sen"))
        widget_attrs["data-no-results"] = str(_("No unit found."))
        return context

    def optgroups(self, name, value, attrs=None):
        if not self._is_large():
            return super().optgroups(name, value, attrs)
        # Only the chosen unit (and the empty choice): the others come from the lookup.
        chosen = [v for v in value if v and str(v).isdigit()]
        field = self.choices.field
        limited = copy.copy(self)
        limited.choices = [("", field.empty_label or "")] + [
            (unit.pk, field.label_from_instance(unit))
            for unit in self.choices.queryset.filter(pk__in=chosen)
        ]
        return forms.Select.optgroups(limited, name, value, attrs)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit from `queryset` (which the caller scopes), picked with `UnitPickerWidget`;
    `permission` is what the lookup searches with, so it offers the same units."""

    def __init__(self, *args, permission: str = "orgs.view", kind: str = "", **kwargs):
        kwargs.setdefault("widget", UnitPickerWidget(permission=permission, kind=kind))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u2003" * max(obj.depth - 1, 0) + obj.name
