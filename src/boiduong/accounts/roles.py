"""Roles and what they may do: the one declaration the access layer reads.

A role is granted to a user on an org unit and applies to that unit and every unit below it
(and to the units it absorbed in a merger). Permissions are stable dotted codes; views, API
endpoints, exports and downloads name the permission they need.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MINISTRY_ADMIN = "ministry_admin", _("ministry administrator")
    MINISTRY_OFFICER = "ministry_officer", _("ministry officer")
    PROVINCIAL_OFFICER = "provincial_officer", _("provincial officer")
    INSTITUTION_OFFICER = "institution_officer", _("institution officer")
    INSPECTOR = "inspector", _("inspector")
    TRAINER = "trainer", _("trainer")
    PARTICIPANT = "participant", _("participant / teacher")
    VIEWER = "viewer", _("viewer")


R = Role
STAFF = {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER, R.PROVINCIAL_OFFICER, R.INSTITUTION_OFFICER}
EVERYONE = set(Role)

# permission -> roles that hold it
PERMISSIONS: dict[str, set[Role]] = {
    "orgs.view": EVERYONE,
    "orgs.manage": {R.MINISTRY_ADMIN},
    "audit.view_all": {R.MINISTRY_ADMIN},
    # Users and their roles: ministry administrators everywhere, a provincial officer within
    # their department's subtree. What each may hand out is GRANTABLE below.
    "accounts.manage": {R.MINISTRY_ADMIN, R.PROVINCIAL_OFFICER},
    "jobs.view": EVERYONE,
    "people.view": STAFF | {R.INSPECTOR, R.TRAINER},
    "people.view_national_id": {R.MINISTRY_ADMIN, R.PROVINCIAL_OFFICER},
    "people.manage": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER, R.PROVINCIAL_OFFICER},
    "plans.view": EVERYONE - {R.PARTICIPANT},
    "plans.manage": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER},
    "plans.update_task": STAFF,
    "documents.view": EVERYONE - {R.PARTICIPANT},
    "documents.manage": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER},
    "events.view": EVERYONE,
    "events.manage": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER},
    "events.nominate": {R.MINISTRY_ADMIN, R.PROVINCIAL_OFFICER},
    "events.confirm": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER},
    "events.attendance": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER, R.TRAINER},
    "events.cascade": {R.MINISTRY_ADMIN, R.PROVINCIAL_OFFICER},
    "certificates.manage": {R.MINISTRY_ADMIN, R.MINISTRY_OFFICER},
    "reports.view": EVERYONE - {R.PARTICIPANT},
}

# Anti-escalation: the roles a holder of `accounts.manage` may grant (and revoke), on units
# inside their accounts.manage scope. Nobody hands out a role above their own station.
GRANTABLE: dict[Role, frozenset[Role]] = {
    R.MINISTRY_ADMIN: frozenset(Role),
    R.PROVINCIAL_OFFICER: frozenset({R.PROVINCIAL_OFFICER, R.TRAINER, R.PARTICIPANT, R.VIEWER}),
}
assert set(GRANTABLE) == PERMISSIONS["accounts.manage"], "every user manager needs a GRANTABLE row"


def roles_with(permission: str) -> set[Role]:
    try:
        return PERMISSIONS[permission]
    except KeyError as exc:  # a typo in a view must fail loudly, not deny silently
        raise KeyError(
            f"Unknown permission {permission!r}; declare it in accounts/roles.py"
        ) from exc
