import django_tables2 as tables
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

    def render_changes(self, value):
        return "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in value.items())

    def value_changes(self, value):
        return self.render_changes(value)
