"""User and role management pages. Each view parses input, calls one selector or service and
renders; who may grant what is decided in services.py (roles.GRANTABLE). A user outside the
manager's scope is 404, a missing accounts.manage is 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from boiduong.core import access
from boiduong.core.audit import readable_changes_many
from boiduong.core.models import AuditEvent
from boiduong.core.views import ObjectListView, PermissionMixin

from . import selectors, services
from .filters import UserFilter
from .forms import ReasonForm, RoleGrantForm, UserCreateForm, UserEditForm
from .models import User
from .roles import Role
from .tables import UserTable

MANAGE = services.MANAGE


def _errors(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("You may not do this."))


def _all_grantable(user) -> set[Role]:
    """Roles the user may grant somewhere (to offer in forms; the service checks the unit)."""
    if user.is_superuser:
        return set(Role)
    from .roles import GRANTABLE

    roles: set[Role] = set()
    for role in access.roles_of(user):
        roles |= GRANTABLE.get(role, frozenset())
    return roles


def _password_page(request, *, target: User, password: str, created: bool):
    """The one time a generated password is shown; never cached, never stored in clear."""
    response = render(
        request,
        "accounts/password_once.html",
        {"target": target, "password": password, "created": created, "title": str(target)},
    )
    response["Cache-Control"] = "no-store"
    return response


# Fields whose change says nothing to a reader of a user's history.
QUIET_FIELDS = {"date_joined", "user", "role", "org_unit"}


def _history_rows(events) -> list[dict]:
    """Events for the history card: a role's grant or revoke reads from its record ("trainer @
    school"); a user's own changes read as every history does (core.audit: units by name, yes
    and no for flags), without the fields that say nothing here nor a new account's flags that
    are off."""
    events = [_shown(event) for event in events]
    return [
        {"event": event, "changes": changes}
        for event, changes in zip(events, readable_changes_many(events), strict=True)
    ]


def _shown(event):
    """A copy of `event` whose diff holds only what the history card shows."""
    from copy import copy

    creating = event.action == AuditEvent.Action.CREATE
    trimmed = copy(event)
    trimmed.changes = {
        name: change
        for name, change in (event.changes or {}).items()
        if name not in QUIET_FIELDS
        and not (creating and isinstance(change, list) and change and change[-1] is False)
    }
    return trimmed


class UserListView(ObjectListView):
    permission = MANAGE
    model = User
    filterset_class = UserFilter
    table_class = UserTable
    title = gettext_lazy("Users")
    export_name = "nguoi-dung"

    def get_queryset(self):
        return selectors.user_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = [(_("New user"), reverse("accounts:user_create"), "person-plus")]
        return context


class UserDetailView(PermissionMixin, View):
    permission = MANAGE

    def get(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk)
        can_manage = services.may_manage(request.user, target)
        today_assignments = []
        for assignment in target.role_assignments.select_related("org_unit").order_by("role"):
            today_assignments.append(
                {
                    "assignment": assignment,
                    "current": assignment.is_current(),
                    "can_revoke": assignment.role
                    in services.grantable_roles(request.user, assignment.org_unit),
                }
            )
        history = _history_rows(list(selectors.user_history(target)[:50]))
        return render(
            request,
            "accounts/user_detail.html",
            {
                "object": target,
                "title": str(target),
                "assignments": today_assignments,
                "can_manage": can_manage,
                "is_self": target.pk == request.user.pk,
                "history": history,
            },
        )


class UserCreateView(PermissionMixin, View):
    permission = MANAGE
    template_name = "accounts/user_form.html"

    def _form(self, data=None):
        units = selectors.units_to_choose(user=self.request.user)
        initial = {"role": Role.PARTICIPANT}
        return UserCreateForm(
            data, roles=_all_grantable(self.request.user), units=units, initial=initial
        )

    def _render(self, request, form):
        return render(request, self.template_name, {"form": form, "title": _("New user")})

    def get(self, request):
        return self._render(request, self._form())

    def post(self, request):
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, password = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    email=data["email"],
                    workplace=data["workplace"],
                    role=data["role"],
                    role_unit=data["org_unit"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return _password_page(request, target=user, password=password, created=True)
        return self._render(request, form)


class UserMixin(PermissionMixin):
    """Loads `self.target` through the access layer (404 outside scope)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access.require(request.user, self.permission)
        self.target = selectors.user_get(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class RoleGrantView(UserMixin, View):
    permission = MANAGE
    template_name = "accounts/role_grant.html"

    def _form(self, data=None):
        units = selectors.units_to_choose(user=self.request.user)
        initial = {"org_unit": self.target.workplace_id}
        return RoleGrantForm(data, roles=set(Role), units=units, initial=initial)

    def _render(self, request, form):
        return render(
            request,
            self.template_name,
            {"form": form, "object": self.target, "title": _("Grant a role")},
        )

    def get(self, request, pk):
        form = self._form()
        form.fields["role"].choices = [("", "—")] + [
            (r.value, r.label) for r in Role if r in _all_grantable(request.user)
        ]
        return self._render(request, form)

    def post(self, request, pk):
        # Every role is accepted by the form so that a refused one is refused by the rule
        # (services.role_grant), with its reason, not by a "not a valid choice" message.
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assignment = services.role_grant(
                    actor=request.user,
                    user=self.target,
                    role=data["role"],
                    org_unit=data["org_unit"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Granted: %(role)s.") % {"role": assignment})
                return redirect(self.target)
        form.fields["role"].choices = [("", "—")] + [
            (r.value, r.label)
            for r in Role
            if r in _all_grantable(request.user) or r == form.data.get("role")
        ]
        return self._render(request, form)


class UserEditView(UserMixin, View):
    """Correct a user's name, e-mail and workplace (services.user_update: same rule as the
    other changes to a user, with a reason)."""

    permission = MANAGE
    template_name = "accounts/user_edit.html"

    def _form(self, data=None):
        units = selectors.units_to_choose(user=self.request.user)
        initial = {
            "full_name": self.target.full_name,
            "email": self.target.email,
            "workplace": self.target.workplace_id,
        }
        return UserEditForm(data, units=units, initial=initial)

    def _render(self, request, form):
        return render(
            request,
            self.template_name,
            {"form": form, "object": self.target, "title": _("Edit the user")},
        )

    def get(self, request, pk):
        return self._render(request, self._form())

    def post(self, request, pk):
        form = self._form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_update(
                    actor=request.user,
                    user=self.target,
                    full_name=data["full_name"],
                    email=data["email"],
                    workplace=data["workplace"],
                    reason=data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved: %(user)s.") % {"user": self.target})
                return redirect(self.target)
        return self._render(request, form)


class PostOnlyUserView(UserMixin, View):
    permission = MANAGE

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


class RoleRevokeView(PostOnlyUserView):
    def post(self, request, pk, assignment_pk):
        assignment = selectors.assignment_get(
            user=request.user, target=self.target, pk=assignment_pk
        )
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason."))
            return redirect(self.target)
        try:
            services.role_revoke(
                actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Revoked: %(role)s.") % {"role": assignment})
        return redirect(self.target)


class UserActivationView(PostOnlyUserView):
    activate = False

    def post(self, request, pk):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason."))
            return redirect(self.target)
        service = services.user_reactivate if self.activate else services.user_deactivate
        try:
            service(actor=request.user, user=self.target, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            done = (
                _("%(user)s can log in again.")
                if self.activate
                else _("%(user)s can no longer log in.")
            )
            messages.success(request, done % {"user": self.target})
        return redirect(self.target)


class PasswordResetView(PostOnlyUserView):
    def post(self, request, pk):
        try:
            password = services.user_password_reset(
                actor=request.user, user=self.target, reason=request.POST.get("reason", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            return redirect(self.target)
        return _password_page(request, target=self.target, password=password, created=False)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; on success the "must change at next login" flag is cleared."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response
