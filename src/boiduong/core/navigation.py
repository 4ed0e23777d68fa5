"""The menu: one declaration, filtered per user by the access layer."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from . import access

# (label, url name, permission, icon)
MENU = [
    (_("Home"), "core:home", None, "house"),
    (_("Programmes & plans"), "plans:programme_list", "plans.view", "journal-text"),
    (_("My unit's tasks"), "plans:my_tasks", "plans.view", "list-check"),
    (_("Documents"), "plans:document_list", "documents.view", "file-earmark-text"),
    (_("Import a plan"), "plans:import", "plans.manage", "upload"),
    (_("Courses"), "events:course_list", "events.view", "mortarboard"),
    (_("People"), "people:person_list", "people.view", "people"),
    (_("Import people"), "people:import", "people.manage", "file-earmark-spreadsheet"),
    (_("Organisations"), "orgs:unit_list", "orgs.view", "diagram-3"),
    (_("Provinces"), "orgs:province_list", "orgs.view", "map"),
    (_("Users"), "accounts:user_list", "accounts.manage", "person-gear"),
    (_("Background jobs"), "core:job_list", "jobs.view", "hourglass-split"),
    (_("Audit trail"), "core:audit_log", "audit.view_all", "clock-history"),
    (_("API"), "api-docs", None, "braces"),
]


def menu_for(user) -> list[dict]:
    items = []
    for label, url_name, permission, icon in MENU:
        if permission and not access.has_perm(user, permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # the app providing it is not installed
        items.append({"label": label, "url": url, "icon": icon, "name": url_name})
    return items
