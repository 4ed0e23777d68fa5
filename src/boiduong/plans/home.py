from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from boiduong.core import access

from . import selectors
from .choices import CLOSED_STATUSES, DueState


def home_cards(request) -> list[dict]:
    """The tasks of the user's unit that need attention, and the way to the plans."""
    user = request.user
    if not access.has_perm(user, "plans.view"):
        return []
    cards = []
    if user.workplace is not None:
        today = timezone.localdate()
        open_tasks = selectors.my_unit_tasks(user=user, today=today).exclude(
            status__in=CLOSED_STATUSES
        )
        urgent = list(
            open_tasks.filter(due__in=[DueState.OVERDUE, DueState.DUE_SOON]).order_by("ends_on")[:5]
        )
        cards.append(
            {
                "title": _("Open tasks of your unit"),
                "icon": "list-check",
                "stat": open_tasks.count(),
                "rows": [
                    {
                        "label": f"{task.plan.document.short_label} · {task.ordinal} "
                        f"{task.content[:70]}",
                        "url": task.get_absolute_url(),
                        "note": DueState(task.due).label,
                    }
                    for task in urgent
                ],
                "empty": _("Nothing overdue or due within two weeks."),
                "link": reverse("plans:my_tasks"),
                "link_label": _("All tasks of your unit"),
            }
        )
    cards.append(
        {
            "title": _("Plans you can follow"),
            "icon": "journal-text",
            "stat": selectors.plan_list(user=user).filter(document__is_placeholder=False).count(),
            "link": reverse("plans:programme_list"),
            "link_label": _("Programmes and plans"),
        }
    )
    return cards
