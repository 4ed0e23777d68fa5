"""Choosing an organisational unit in a form, with thousands of schools to choose from."""

from __future__ import annotations

import copy
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core.text import fold

from .models import OrgUnit


def unit_option(unit: OrgUnit) -> dict:
    """One unit as the picker shows it: its name, then its province and kind."""
    parts = (unit.province.name if unit.province else "", unit.get_kind_display())
    detail = " · ".join(str(part) for part in parts if part)
    return {"id": unit.pk, "text": unit.name, "detail": detail}


class UnitSearch(str):
    """Text typed in the picker's no-JavaScript search box instead of a chosen unit."""


class UnitPickerWidget(forms.Select):
    """A <select> of units that Tom Select turns into a search box (orgs/unit-picker.js).

    With few units in the field's queryset (a school's own manager) every unit is an option
    and the select works without JavaScript. With more (a provincial department's thousands
    of preschools) the page holds only the chosen unit and the rest load from
    `orgs:unit_lookup` as the user types; the field still validates the posted id against
    its own, scoped queryset, so nothing the browser sends is trusted. Without JavaScript a
    search box (<noscript>) is posted instead: the field looks the text up in its queryset
    and offers what it found (`matches`) as options on the returned form.
    """

    FULL_LIST_LIMIT = 300
    template_name = "orgs/widgets/unit_picker.html"
    matches: list[OrgUnit] = []
    search = ""

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
        placeholder = str(_("Type part of the name, e.g. hoa sen"))
        widget_attrs["data-placeholder"] = context["widget"]["placeholder"] = placeholder
        widget_attrs["data-no-results"] = str(_("No unit found."))
        context["widget"]["is_large"] = self._is_large()
        context["widget"]["search"] = self.search
        return context

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        search = (data.get(f"{name}__search") or "").strip()
        if not value and search and self._is_large():
            self.search = search
            return UnitSearch(search)
        return value

    def optgroups(self, name, value, attrs=None):
        if not self._is_large():
            return super().optgroups(name, value, attrs)
        # Only the chosen unit (and the empty choice): the others come from the lookup.
        chosen = [v for v in value if v and str(v).isdigit()]
        field = self.choices.field
        limited = copy.copy(self)
        offered = list(self.choices.queryset.filter(pk__in=chosen))
        offered += [unit for unit in self.matches if unit not in offered]
        limited.choices = [("", field.empty_label or "")] + [
            (unit.pk, field.label_from_instance(unit)) for unit in offered
        ]
        return forms.Select.optgroups(limited, name, value, attrs)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit from `queryset` (which the caller scopes), picked with `UnitPickerWidget`;
    `permission` is what the lookup searches with, so it offers the same units."""

    def __init__(self, *args, permission: str = "orgs.view", kind: str = "", **kwargs):
        kwargs.setdefault("widget", UnitPickerWidget(permission=permission, kind=kind))
        super().__init__(*args, **kwargs)

    SEARCH_LIMIT = 20

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u2003" * max(obj.depth - 1, 0) + obj.name

    def to_python(self, value):
        if not isinstance(value, UnitSearch):
            return super().to_python(value)
        # The no-JavaScript search: one match is the answer; several are offered to choose.
        found = self.queryset.all()
        for word in fold(value).split():
            found = found.filter(search_text__contains=word)
        matches = list(found.order_by("depth", "search_text", "pk")[: self.SEARCH_LIMIT + 1])
        if len(matches) == 1:
            return matches[0]
        self.widget.matches = matches[: self.SEARCH_LIMIT]
        if not matches:
            raise ValidationError(_("No unit found."), code="invalid_choice")
        raise ValidationError(_("Several units match: choose one."), code="invalid_choice")
