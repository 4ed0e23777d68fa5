"""Writes to users and their roles, all audited.

Who may do what:
- `accounts.manage` (roles.py) opens user management; its scope is where a manager may act.
- Anti-escalation: a role may be granted on unit U only by someone whose accounts.manage
  assignment reaches U and whose role lists it in `roles.GRANTABLE` (`grantable_roles`).
- A user may be changed (password reset, deactivation, a role revoked) only by a manager who
  could have granted every role that user holds (`may_manage`): otherwise resetting a ministry
  officer's password would hand a provincial officer the ministry's access.
- Nobody deactivates themselves or removes their own last role that manages users, and the
  system always keeps one active ministry administrator.

Passwords set here (at creation and on reset) are generated, shown once to the manager who set
them, stored only as a hash, and must be changed by the user at their next login.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from boiduong.core import access, audit
from boiduong.core.models import AuditEvent
from boiduong.orgs.models import OrgUnit

from .models import RoleAssignment, User
from .roles import GRANTABLE, Role, roles_with

MANAGE = "accounts.manage"
# No look-alikes (0/O, 1/l/I): the password is read off a screen and typed in by someone else.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _reaches(scope_unit: OrgUnit, unit: OrgUnit) -> bool:
    """Whether a role held on `scope_unit` applies to `unit` (subtree and absorbed units)."""
    if scope_unit.depth == 0 or unit.path.startswith(scope_unit.path):
        return True
    return any(unit.path.startswith(p.path) for p in scope_unit.predecessor_tree())


def grantable_roles(actor, unit: OrgUnit) -> set[Role]:
    """The roles `actor` may grant or revoke on `unit` (roles.GRANTABLE, per assignment)."""
    if not getattr(actor, "is_active", False):
        return set()
    if actor.is_superuser:
        return set(Role)
    roles: set[Role] = set()
    for assignment in access._assignments(actor):
        role = Role(assignment.role)
        if role in GRANTABLE and _reaches(assignment.org_unit, unit):
            roles |= GRANTABLE[role]
    return roles


def in_scope(actor, user: User) -> bool:
    """Whether `user` works or holds a role inside `actor`'s accounts.manage scope."""
    return access.restrict(User.objects.filter(pk=user.pk), actor, MANAGE).exists()


def may_manage(actor, user: User) -> bool:
    """Whether `actor` may reset `user`'s password, (de)activate them or revoke their roles."""
    if not in_scope(actor, user):
        return False
    if user.is_superuser or user.is_staff:  # Django admin access: only a superuser touches it
        return bool(actor.is_superuser)
    for assignment in user.role_assignments.select_related("org_unit"):
        if assignment.role not in grantable_roles(actor, assignment.org_unit):
            return False
    return True


def _check_manage(actor, user: User) -> None:
    if not may_manage(actor, user):
        raise PermissionDenied(
            _("You may not change %(user)s: they hold a role you cannot grant.") % {"user": user}
        )


def _check_grant(actor, role: str, unit: OrgUnit) -> None:
    if not access.scope(actor, MANAGE).covers(unit.path) and not actor.is_superuser:
        raise PermissionDenied(_("%(unit)s is outside the units you manage.") % {"unit": unit})
    if role not in grantable_roles(actor, unit):
        raise PermissionDenied(
            _("You may not grant the role “%(role)s”.") % {"role": Role(role).label}
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    return reason


def generate_password(user: User | None = None) -> str:
    """A random password like `Xk7m-Pq3r-Wz9t` (about 69 bits) that passes the validators."""
    while True:
        groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
        password = "-".join(groups)
        if not (
            any(c.islower() for c in password)
            and any(c.isupper() for c in password)
            and any(c.isdigit() for c in password)
        ):
            continue
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def _active_admins_at_root(*, excluding_user=None, excluding_assignment=None) -> int:
    today = timezone.localdate()
    holders = (
        RoleAssignment.objects.filter(
            role=Role.MINISTRY_ADMIN, org_unit__depth=0, user__is_active=True
        )
        .exclude(valid_from__gt=today)
        .exclude(valid_to__lt=today)
    )
    if excluding_user is not None:
        holders = holders.exclude(user=excluding_user)
    if excluding_assignment is not None:
        holders = holders.exclude(pk=excluding_assignment.pk)
    return holders.values("user").distinct().count()


def _is_root_admin(assignment: RoleAssignment) -> bool:
    return (
        assignment.role == Role.MINISTRY_ADMIN
        and assignment.org_unit.depth == 0
        and assignment.is_current()
    )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    email: str = "",
    workplace: OrgUnit,
    role: str,
    role_unit: OrgUnit | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> tuple[User, str]:
    """Create a login for someone working at `workplace`, with one initial role (on
    `role_unit`, by default the workplace). Returns the user and their generated password,
    which the caller shows once; the user must change it at first login."""
    if not access.scope(actor, MANAGE).covers(workplace.path):
        raise PermissionDenied(_("%(unit)s is outside the units you manage.") % {"unit": workplace})
    _check_grant(actor, role, role_unit or workplace)
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        email=email.strip(),
        workplace=workplace,
        must_change_password=True,
    )
    password = generate_password(user)
    user.set_password(password)
    audit.save(actor=actor, instance=user)
    role_grant(
        actor=actor,
        user=user,
        role=role,
        org_unit=role_unit or workplace,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return user, password


@transaction.atomic
def user_update(
    *, actor, user: User, full_name: str, email: str = "", workplace: OrgUnit, reason: str
) -> User:
    """Correct a user's full name, e-mail or workplace, with a reason. The rule of the other
    changes to a user (`may_manage`): only a manager who could have granted every role they
    hold. A new workplace must lie inside the actor's accounts.manage scope: moving someone to
    another province is that province's officer's business."""
    reason = _require_reason(reason)
    _check_manage(actor, user)
    if workplace.pk != user.workplace_id and not access.scope(actor, MANAGE).covers(workplace.path):
        raise PermissionDenied(_("%(unit)s is outside the units you manage.") % {"unit": workplace})
    user.full_name = full_name.strip()
    user.email = email.strip()
    user.workplace = workplace
    return audit.save(actor=actor, instance=user, reason=reason)


@transaction.atomic
def role_grant(
    *,
    actor,
    user: User,
    role: str,
    org_unit: OrgUnit,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    reason: str = "",
) -> RoleAssignment:
    """Give `user` a role on `org_unit` (anti-escalation: roles.GRANTABLE within the actor's
    accounts.manage scope)."""
    _check_grant(actor, role, org_unit)
    if not in_scope(actor, user):
        raise PermissionDenied(_("%(user)s is outside the units you manage.") % {"user": user})
    assignment = RoleAssignment(
        user=user, role=role, org_unit=org_unit, valid_from=valid_from, valid_to=valid_to
    )
    return audit.save(actor=actor, instance=assignment, reason=reason)


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, reason: str) -> None:
    """Take a role away, with a reason. Only a role the actor could grant; never the actor's own
    last role that manages users, nor the last ministry administrator's."""
    reason = _require_reason(reason)
    _check_grant(actor, assignment.role, assignment.org_unit)
    if assignment.user_id == actor.pk and assignment.role in roles_with(MANAGE):
        others = [
            a
            for a in RoleAssignment.objects.filter(user_id=actor.pk, role__in=roles_with(MANAGE))
            .exclude(pk=assignment.pk)
            .select_related("org_unit")
            if a.is_current()
        ]
        if not others:
            raise ValidationError(
                _(
                    "You cannot remove your own last role that manages users; "
                    "ask another administrator."
                )
            )
    if _is_root_admin(assignment) and not _active_admins_at_root(excluding_assignment=assignment):
        raise ValidationError(_("The system must keep at least one ministry administrator."))
    audit.delete(actor=actor, instance=assignment, reason=reason)


@transaction.atomic
def user_deactivate(*, actor, user: User, reason: str) -> User:
    """Stop a user from logging in (their sessions and API tokens stop working); never a
    deletion — the record and its history stay."""
    reason = _require_reason(reason)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    _check_manage(actor, user)
    if not user.is_active:
        raise ValidationError(_("%(user)s is already inactive.") % {"user": user})
    held = user.role_assignments.select_related("org_unit")
    if any(_is_root_admin(a) for a in held) and not _active_admins_at_root(excluding_user=user):
        raise ValidationError(_("The system must keep at least one ministry administrator."))
    user.is_active = False
    return audit.save(actor=actor, instance=user, reason=reason)


@transaction.atomic
def user_reactivate(*, actor, user: User, reason: str) -> User:
    """Let a deactivated user log in again."""
    reason = _require_reason(reason)
    _check_manage(actor, user)
    if user.is_active:
        raise ValidationError(_("%(user)s is already active.") % {"user": user})
    user.is_active = True
    return audit.save(actor=actor, instance=user, reason=reason)


@transaction.atomic
def user_password_reset(*, actor, user: User, reason: str = "") -> str:
    """Set a new generated password (returned, to be shown once), require a change at the next
    login and lift a login lock-out. Not for oneself: that is "Change password", which asks
    for the current one."""
    if user.pk == actor.pk:
        raise ValidationError(_("Use “Change password” for your own password."))
    _check_manage(actor, user)
    password = generate_password(user)
    before = user.must_change_password
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit.record(
        actor=actor,
        instance=user,
        action=AuditEvent.Action.UPDATE,
        changes={"password": ["•••", "•••"], "must_change_password": [before, True]},
        reason=reason or _("password reset"),
    )
    from axes.utils import reset as axes_reset

    axes_reset(username=user.username)
    return password


@transaction.atomic
def password_changed(*, user: User) -> None:
    """The user set their own password: they no longer have to."""
    stored = User.objects.get(pk=user.pk)  # the request's user may be a lazy wrapper
    if stored.must_change_password:
        stored.must_change_password = False
        audit.save(actor=stored, instance=stored, validate=False)
    user.must_change_password = False
