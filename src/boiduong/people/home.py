from django.urls import reverse
from django.utils.translation import gettext as _

from boiduong.core import access

from .models import Person


def home_cards(request) -> list[dict]:
    if not access.has_perm(request.user, "people.view"):
        return []
    count = access.restrict(Person.objects.all(), request.user, "people.view").count()
    return [
        {
            "title": _("People in your scope"),
            "icon": "people",
            "stat": count,
            "link": reverse("people:person_list"),
            "link_label": _("Search the registry"),
        }
    ]
