"""Home-page cards: the inbox of calls (departments), nominations waiting for the ministry,
the courses a trainer runs, and a teacher's own courses."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from boiduong.core import access

from . import selectors
from .choices import NominationStatus
from .models import Course


def home_cards(request) -> list[dict]:
    user = request.user
    cards = []
    if (
        access.has_perm(user, "events.nominate")
        and not access.scope(user, "events.nominate").everything
    ):
        today = timezone.localdate()
        entries = selectors.inbox(user=user)
        open_entries = [e for e in entries if e.recipient.call.deadline >= today]
        cards.append(
            {
                "title": _("Open calls for nominations"),
                "icon": "inbox",
                "stat": len(open_entries),
                "rows": [
                    {
                        "label": (
                            f"{e.recipient.call.course.code} · {e.recipient.department.short_name}"
                        ),
                        "url": reverse(
                            "events:nominate",
                            args=[e.recipient.call.course_id, e.recipient.department_id],
                        ),
                        "note": (
                            _("%(held)s/%(seats)s seats, deadline %(deadline)s")
                            if e.recipient.call.deadline >= today
                            else _("%(held)s/%(seats)s seats, closed on %(deadline)s")
                        )
                        % {
                            "held": e.held,
                            "seats": e.seats,
                            "deadline": e.recipient.call.deadline.strftime("%d/%m/%Y"),
                        },
                    }
                    # open calls first; the stat counts only those
                    for e in sorted(entries, key=lambda e: e.recipient.call.deadline < today)[:5]
                ],
                "empty": _("No call for nominations for your departments."),
                "link": reverse("events:inbox"),
                "link_label": _("Open the inbox"),
            }
        )
    if access.has_perm(user, "events.confirm"):
        courses = list(
            Course.objects.filter(parent__isnull=True)
            .annotate(
                waiting=Count(
                    "nominations", filter=Q(nominations__status=NominationStatus.SUBMITTED)
                )
            )
            .filter(waiting__gt=0)
            .order_by("-waiting")[:5]
        )
        cards.append(
            {
                "title": _("Nominations to confirm"),
                "icon": "check2-square",
                "stat": sum(c.waiting for c in courses),
                "rows": [
                    {
                        "label": c.code,
                        "url": reverse("events:nomination_list", args=[c.pk]) + "?status=submitted",
                        "note": _("%(n)s waiting") % {"n": c.waiting},
                    }
                    for c in courses
                ],
                "empty": _("No nomination is waiting for a decision."),
                "link": reverse("events:course_list"),
                "link_label": _("All courses"),
            }
        )
    if access.has_perm(user, "events.attendance") and not access.has_perm(user, "events.manage"):
        mine = list(Course.objects.filter(staff__user=user).distinct().order_by("-starts_on")[:5])
        cards.append(
            {
                "title": _("Courses you teach"),
                "icon": "person-video3",
                "stat": len(mine),
                "rows": [
                    {
                        "label": c.code,
                        "url": reverse("events:attendance", args=[c.pk]),
                        "note": c.dates_label,
                    }
                    for c in mine
                ],
                "empty": _("You are not on a course's staff yet."),
                "link": reverse("events:course_list"),
                "link_label": _("All courses"),
            }
        )
    own = list(selectors.my_nominations(user=user)[:3])
    if own:
        cards.append(
            {
                "title": _("My courses"),
                "icon": "mortarboard",
                "stat": None,
                "rows": [
                    {
                        "label": n.course.code,
                        "url": reverse("events:my_courses"),
                        "note": n.get_status_display(),
                    }
                    for n in own
                ],
                "link": reverse("events:my_courses"),
                "link_label": _("My courses"),
            }
        )
    return cards
