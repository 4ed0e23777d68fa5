"""The audit service: every write in boiduong goes through here.

Services call `save(actor=..., instance=..., reason=...)` (or `delete`, `record`) instead of
`instance.save()`. It validates with `full_clean`, computes the field diff against the stored
row, saves, and writes an `AuditEvent` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent
from .text import fold


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the diff."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


# Never in a diff: bookkeeping, and secrets (a password hash does not belong in the trail).
UNAUDITED = {"id", "created_at", "updated_at", "search_text", "sort_key", "password", "last_login"}


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Concrete field values of a record, keyed by field name (FKs by their id)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in UNAUDITED:
            continue
        data[field.name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def record(
    *,
    actor,
    instance: models.Model,
    action: str,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit event for `instance`."""
    text = str(instance)[:300]
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=text,
        changes=changes or {},
        reason=reason,
        search_text=fold(f"{text} {reason}"),
    )


def record_export(
    *, actor, model: type[models.Model], rows: int, fmt: str, query: str
) -> AuditEvent:
    """Log that `actor` took `rows` records of `model` out as a file (Nghị định 13/2023/NĐ-CP:
    personal data leaving the system is recorded), with the filters that chose them."""
    text = f"{model._meta.verbose_name_plural} ({rows})"
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=AuditEvent.Action.EXPORT,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id="",
        object_repr=text[:300],
        changes={"format": fmt, "rows": rows, "query": query},
        search_text=fold(text),
    )


@transaction.atomic
def save(*, actor, instance: models.Model, reason: str = "", validate: bool = True):
    """Validate and save `instance`, recording what changed. Returns the instance."""
    if validate:
        instance.full_clean()
    creating = instance._state.adding or instance.pk is None
    before: dict[str, Any] = {}
    if not creating:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        before = snapshot(stored) if stored else {}
        creating = stored is None
    instance.save()
    after = snapshot(instance)
    changes = diff(before, after)
    if creating or changes:
        record(
            actor=actor,
            instance=instance,
            action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
            changes=changes,
            reason=reason,
        )
    return instance


@transaction.atomic
def delete(*, actor, instance: models.Model, reason: str = "") -> None:
    """Delete `instance`, keeping its last values in the audit trail."""
    record(
        actor=actor,
        instance=instance,
        action=AuditEvent.Action.DELETE,
        changes={name: [value, None] for name, value in snapshot(instance).items()},
        reason=reason,
    )
    instance.delete()


def history(instance: models.Model):
    """Audit events of one record, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
    ).select_related("actor")


# --- reading the trail -----------------------------------------------------------------


def empty_mark(value):
    """A value in a diff: empty and missing read "∅", while 0 and False stay shown."""
    return "∅" if value is None or value == "" else value


def _shorten(value) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    text = str(empty_mark(value))
    return text if len(text) <= 80 else text[:79] + "…"


def _choice_label(choices: dict, value):
    if isinstance(value, list):  # a multiple choice stored as a list
        return ", ".join(str(_choice_label(choices, item)) for item in value)
    try:
        return choices.get(value, value)
    except TypeError:  # unhashable: not a choice
        return value


def readable_changes(event: AuditEvent) -> list[tuple[str, str]]:
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
