"""Reads of users and roles, through the access layer (accounts.manage scope)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from boiduong.core import access
from boiduong.core.models import AuditEvent
from boiduong.orgs.models import OrgUnit

from .models import RoleAssignment, User
from .services import MANAGE


def user_list(*, user) -> QuerySet[User]:
    assignments = RoleAssignment.objects.select_related("org_unit").order_by("role", "org_unit")
    return access.restrict(
        User.objects.select_related("workplace__province").prefetch_related(
            Prefetch("role_assignments", queryset=assignments)
        ),
        user,
        MANAGE,
    ).order_by("username")


def user_get(*, user, pk) -> User:
    return access.get_or_404(  # type: ignore[return-value]
        User.objects.select_related("workplace__province"), user, MANAGE, pk=pk
    )


def assignment_get(*, user, target: User, pk) -> RoleAssignment:
    """One role assignment of `target` (already read through the access layer), or 404."""
    return access.get_or_404(  # type: ignore[return-value]
        RoleAssignment.objects.filter(user=target).select_related("org_unit", "user"),
        user,
        MANAGE,
        pk=pk,
    )


def units_to_choose(*, user) -> QuerySet[OrgUnit]:
    """Units valid today inside the user's accounts.manage scope (workplaces, role units)."""
    found = access.scope(user, MANAGE)
    return (
        OrgUnit.objects.valid_on(timezone.localdate())
        .filter(found.q("path"))
        .select_related("province")
        .order_by("path")
    )


def user_history(target: User) -> QuerySet[AuditEvent]:
    """Audit events of the user and of the roles granted to and revoked from them."""
    user_type = ContentType.objects.get_for_model(User)
    role_type = ContentType.objects.get_for_model(RoleAssignment)
    return (
        AuditEvent.objects.filter(
            Q(content_type=user_type, object_id=str(target.pk))
            | Q(content_type=role_type, changes__user__1=target.pk)
            | Q(content_type=role_type, changes__user__0=target.pk)
        )
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )
