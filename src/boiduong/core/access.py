"""The access layer: the one place that decides who sees what.

Every page, API endpoint, export and download reads through `restrict()` (or `get_or_404()`),
so a record outside the user's scope is simply not there: 404, never 403. A user without the
permission at all gets 403 from the view gate (`require()`).

Models opt in to scoping with a `scope_path` attribute naming the lookup to the owning unit's
materialised path (e.g. OrgUnit: "path"; Person: "workplace__path"). Models with
`scope_path = None` are visible to everyone holding the permission (national plans).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from boiduong.accounts.roles import Role, roles_with


@dataclass(frozen=True)
class Scope:
    """What one user may reach with one permission: nothing, everything, or unit subtrees."""

    allowed: bool
    paths: tuple[str, ...] = ()
    everything: bool = False

    def q(self, lookup: str) -> Q:
        if self.everything:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in self.paths))

    def covers(self, path: str | None) -> bool:
        if self.everything:
            return True
        if not path:
            return False
        return any(path.startswith(p) for p in self.paths)


def _assignments(user):
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_boiduong_roles", None)
    if cache is None:
        today = timezone.localdate()
        cache = [
            a
            for a in user.role_assignments.select_related("org_unit")
            if (a.valid_from is None or a.valid_from <= today)
            and (a.valid_to is None or a.valid_to >= today)
        ]
        user._boiduong_roles = cache
    return cache


def roles_of(user) -> set[Role]:
    return {Role(a.role) for a in _assignments(user)}


def scope(user, permission: str) -> Scope:
    """The units on which `user` holds `permission` (with everything below and absorbed).

    Computed once per request and permission (cached on the user object).
    """
    cache = user.__dict__.setdefault("_boiduong_scopes", {})
    if permission not in cache:
        cache[permission] = _compute_scope(user, permission)
    return cache[permission]


def _compute_scope(user, permission: str) -> Scope:
    wanted = roles_with(permission)
    if getattr(user, "is_superuser", False) and user.is_active:
        return Scope(allowed=True, everything=True)
    units = [a.org_unit for a in _assignments(user) if a.role in wanted]
    if not units:
        return Scope(allowed=False)
    if any(unit.depth == 0 for unit in units):
        return Scope(allowed=True, everything=True)
    absorbed = user.__dict__.setdefault("_boiduong_absorbed", {})
    paths = {unit.path for unit in units}
    for unit in units:
        if unit.pk not in absorbed:
            absorbed[unit.pk] = [p.path for p in unit.predecessor_tree()]
        paths.update(absorbed[unit.pk])
    # Drop paths already covered by a shorter one.
    minimal = tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))
    return Scope(allowed=True, paths=minimal)


def has_perm(user, permission: str) -> bool:
    return scope(user, permission).allowed


def require(user, permission: str) -> Scope:
    """The gate for a view: 403 without the permission anywhere, else the user's scope."""
    found = scope(user, permission)
    if not found.allowed:
        raise PermissionDenied
    return found


def restrict(queryset: QuerySet, user, permission: str) -> QuerySet:
    """`queryset` cut down to what `user` may see with `permission`."""
    found = scope(user, permission)
    if not found.allowed:
        return queryset.none()
    if found.everything:
        return queryset
    custom = getattr(queryset.model, "scope_q", None)
    if custom is not None:
        return queryset.filter(custom(found))
    lookup = getattr(queryset.model, "scope_path", None)
    if lookup is None:
        return queryset
    return queryset.filter(found.q(lookup))


def get_or_404(queryset: QuerySet, user, permission: str, **lookup) -> Model:
    """One record within the user's scope, or 404 (never 403: existence is not disclosed)."""
    try:
        return restrict(queryset, user, permission).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
