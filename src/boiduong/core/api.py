"""API plumbing shared by every app: the scoped viewset, per-action permissions, and how a
service's refusal becomes a 400."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from . import access


def service_error(exc: DjangoValidationError) -> ValidationError:
    """A service's refusal as a 400: `{"detail": [message, …]}`, in the request's language
    (Vietnamese unless the client asks otherwise)."""
    return ValidationError({"detail": exc.messages})


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint over the access layer: objects out of scope are 404.

    A viewset that writes names the permission of each write in `action_permissions`
    (`{"partial_update": "plans.update_task", "confirm": "events.confirm"}`); the gate
    (`HasRolePermission`) and, by default, the queryset use it, so a user without it is 403
    and an object outside its scope is 404."""

    permission: str = ""
    action_permissions: dict[str, str] = {}

    @property
    def route_action(self) -> str | None:
        """The action this request is for — also when its method is not one the route takes
        (a GET on a POST-only action), so that request is 403/404 before it is 405."""
        if self.action:
            return self.action
        names = set(getattr(self, "action_map", {}).values())
        return names.pop() if len(names) == 1 else None

    def get_permission(self) -> str:
        return self.action_permissions.get(self.route_action or "", self.permission)

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return access.restrict(self.base_queryset(), self.request.user, self.get_permission())

    def http_method_not_allowed(self, request, *args, **kwargs):
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup in self.kwargs:
            self.get_object()  # outside the scope: 404, existence not disclosed
        return super().http_method_not_allowed(request, *args, **kwargs)
