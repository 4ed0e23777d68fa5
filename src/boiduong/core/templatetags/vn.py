"""Template filters for Vietnamese dates: {{ d|official_date }}, {{ d|dmy }}."""

from django import template

from boiduong.core import text

register = template.Library()


@register.filter
def official_date(value):
    return text.official_date(value)


@register.filter
def dmy(value):
    return text.table_date(value)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for export and sort links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def audit_value(value):
    """A value in a history diff (core.audit.empty_mark)."""
    from boiduong.core.audit import empty_mark

    return empty_mark(value)


@register.filter
def money(value):
    return text.money(value)


@register.filter
def readable_history(events):
    """(event, its diff as (field label, "old → new") pairs) for each event of a history, the
    records they point to named with one query per related model, not one per event:
    {% for event, changes in history|readable_history %}."""
    from boiduong.core.audit import readable_changes_many

    events = list(events)
    return list(zip(events, readable_changes_many(events), strict=True))
