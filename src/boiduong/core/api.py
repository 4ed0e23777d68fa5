"""API plumbing shared by every app: the permission gate and the scoped viewset."""

from rest_framework import viewsets

from . import access


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint over the access layer: objects out of scope are 404."""

    permission: str = ""

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        return access.restrict(self.base_queryset(), self.request.user, self.permission)
