"""The API's permission gate (kept apart from viewsets: DRF imports it while loading itself)."""

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import BasePermission

from . import access


class HasRolePermission(BasePermission):
    """Anonymous -> 401/403; no role with the view's `permission` -> 403."""

    def has_permission(self, request, view) -> bool:
        permission = getattr(view, "permission", None)
        if permission is None:
            raise PermissionDenied("This endpoint declares no permission.")
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated()
        return access.has_perm(request.user, permission)
