"""The API's permission gate (kept apart from viewsets: DRF imports it while loading itself)."""

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import BasePermission

from . import access


class HasRolePermission(BasePermission):
    """Anonymous -> 401/403; no role with the view's permission -> 403. The permission is the
    view's `get_permission()` (per action, see `core.api.ScopedReadOnlyViewSet`) or its
    `permission` attribute."""

    def has_permission(self, request, view) -> bool:
        getter = getattr(view, "get_permission", None)
        permission = getter() if getter is not None else getattr(view, "permission", None)
        if not permission:
            raise PermissionDenied("This endpoint declares no permission.")
        if not request.user or not request.user.is_authenticated:
            raise NotAuthenticated()
        return access.has_perm(request.user, permission)
