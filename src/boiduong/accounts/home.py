from django.urls import reverse
from django.utils.translation import gettext as _

from boiduong.core import access

from . import selectors
from .services import MANAGE


def home_cards(request) -> list[dict]:
    """For user managers: how many active logins they look after, and the new ones that have
    not chosen their own password yet (someone may still be waiting for it)."""
    if not access.has_perm(request.user, MANAGE):
        return []
    users = selectors.user_list(user=request.user).filter(is_active=True)
    waiting = users.filter(must_change_password=True).order_by("-date_joined")[:5]
    return [
        {
            "title": _("Users"),
            "icon": "person-gear",
            "stat": users.count(),
            "rows": [
                {
                    "label": str(user),
                    "url": user.get_absolute_url(),
                    "note": _("has not set a password yet"),
                }
                for user in waiting
            ],
            "empty": _("Every user has set their own password."),
            "link": reverse("accounts:user_list"),
            "link_label": _("Manage users"),
        }
    ]
