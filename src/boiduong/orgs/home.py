from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from boiduong.core import access

from .models import OrgUnit


def home_cards(request) -> list[dict]:
    if not access.has_perm(request.user, "orgs.view"):
        return []
    today = timezone.localdate()
    departments = OrgUnit.objects.valid_on(today).filter(kind="provincial_department").count()
    cards = []
    unit = request.user.workplace
    if unit is not None:
        cards.append(
            {
                "title": _("Your unit"),
                "icon": "building",
                "stat": None,
                "rows": [{"label": unit.name, "url": unit.get_absolute_url(), "note": ""}],
                "link": reverse("orgs:unit_list") + f"?parent={unit.pk}",
                "link_label": _("Units below it"),
            }
        )
    return cards + [
        {
            "title": _("Provincial departments today"),
            "icon": "diagram-3",
            "stat": departments,
            "link": reverse("orgs:unit_tree"),
            "link_label": _("Browse the unit tree"),
        }
    ]
