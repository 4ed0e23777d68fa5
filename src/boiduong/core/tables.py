import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

TABLE_CLASS = "table table-hover table-sm align-middle bg-white mb-0"


def table_attrs(testid: str) -> dict:
    """Table attributes: the house style plus a test id."""
    return {"class": TABLE_CLASS, "data-testid": testid}


class DateColumn(tables.DateColumn):
    """dd/mm/yyyy, as Vietnamese tables write dates."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "d/m/Y")
        super().__init__(*args, **kwargs)


class AuditEventTable(tables.Table):
    at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name=_("At"))
    actor = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Record type"))
    object_repr = tables.Column(verbose_name=_("Record"))
    changes = tables.Column(verbose_name=_("Changes"), orderable=False)
    reason = tables.Column(verbose_name=_("Reason"))

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "content_type", "object_repr", "changes", "reason"]

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else value.name

    def render_changes(self, value, record):
        rows = _readable_changes(record)
        shown = format_html_join(
            "", "<div><span class='text-secondary'>{}:</span> {}</div>", rows[:MAX_CHANGES]
        )
        if len(rows) > MAX_CHANGES:
            more = _("… and %(n)s more") % {"n": len(rows) - MAX_CHANGES}
            return format_html("{}<div class='text-secondary'>{}</div>", shown, more)
        return shown

    def value_content_type(self, value):
        return self.render_content_type(value)

    def value_changes(self, value, record):
        return "; ".join(f"{label}: {text}" for label, text in _readable_changes(record))


MAX_CHANGES = 6


def _shorten(value) -> str:
    text = "∅" if value is None or value == "" else str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _choice_label(choices: dict, value):
    if isinstance(value, list):  # a multiple choice stored as a list
        return ", ".join(str(_choice_label(choices, item)) for item in value)
    try:
        return choices.get(value, value)
    except TypeError:  # unhashable: not a choice
        return value


def _readable_changes(event: AuditEvent) -> list[tuple[str, str]]:
    """An event's field diff as (field label, "old → new"); a creation lists only what was set."""
    model = event.content_type.model_class()
    rows = []
    for name, change in (event.changes or {}).items():
        old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        if event.action == AuditEvent.Action.CREATE and new in (None, "", [], {}):
            continue
        label, choices = name, {}
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None:
            label = capfirst(getattr(field, "verbose_name", name))
            choices = dict(getattr(field, "flatchoices", None) or [])
            old, new = _choice_label(choices, old), _choice_label(choices, new)
        if event.action == AuditEvent.Action.CREATE:
            rows.append((str(label), _shorten(new)))
        else:
            rows.append((str(label), f"{_shorten(old)} → {_shorten(new)}"))
    return rows
