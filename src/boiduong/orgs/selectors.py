"""Reads of organisations, time-aware."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from boiduong.core import access
from boiduong.core.text import fold

from .models import OrgUnit, Province, valid_on_q


def orgunit_list(*, user, as_of: dt.date | None = None):
    qs = access.restrict(
        OrgUnit.objects.select_related("province__region", "successor"), user, "orgs.view"
    )
    return qs.filter(valid_on_q(as_of)) if as_of else qs


def orgunit_children(*, user, parent: OrgUnit | None, as_of: dt.date | None = None):
    qs = orgunit_list(user=user, as_of=as_of)
    qs = qs.filter(parent=parent) if parent else qs.filter(parent__isnull=True)
    visible_children = Q(children__isnull=False)
    if as_of:
        visible_children &= valid_on_q(as_of, prefix="children__")
    return qs.annotate(n_children=Count("children", filter=visible_children)).order_by(
        "kind", "search_text"
    )


def province_list(*, as_of: dt.date | None = None):
    qs = Province.objects.select_related("region", "successor").prefetch_related(
        Prefetch("predecessors", queryset=Province.objects.order_by("code"))
    )
    return qs.valid_on(as_of)


def province_merger() -> dict:
    """The 2025 merger at a glance (Nghị quyết 202/2025/QH15): each pre-2025 province counts
    one, so on a province map the 34 show how many provinces each absorbed."""
    old = list(Province.objects.filter(successor__isnull=False).select_related("successor"))
    absorbed: dict[int | None, int] = {}
    for province in old:
        absorbed[province.successor_id] = absorbed.get(province.successor_id, 0) + 1
    return {
        "values": dict.fromkeys(old, 1),
        "before": len(old),
        "after": len(absorbed),
        "unchanged": sum(1 for n in absorbed.values() if n == 1),
        "merged": sum(1 for n in absorbed.values() if n > 1),
    }


LOOKUP_LIMIT = 20


def orgunit_choices(
    *, user, permission: str, q: str = "", kind: str = "", on: dt.date | None = None
) -> QuerySet[OrgUnit]:
    """Units valid on `on` (today by default) inside `user`'s scope for `permission`: what a
    form may offer (a workplace, a role's unit). Unlike `orgunit_list`, the public directory
    kinds outside the scope are not included: choosing is acting, not reading. `q` matches
    the folded name, short name, abbreviation and code word by word ("hoa sen" finds
    "Hoa Sen")."""
    found = access.scope(user, permission)
    qs = OrgUnit.objects.valid_on(on or timezone.localdate()).filter(found.q("path"))
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("province")
