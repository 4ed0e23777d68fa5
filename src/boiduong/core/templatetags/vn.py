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
    """A value in a history diff: empty and missing read "∅", while 0 and False stay shown."""
    return "∅" if value is None or value == "" else value


@register.filter
def money(value):
    return text.money(value)
