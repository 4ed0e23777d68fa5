"""The audit service: every write in boiduong goes through here.

Services call `save(actor=..., instance=..., reason=...)` (or `delete`, `record`) instead of
`instance.save()`. It validates with `full_clean`, computes the field diff against the stored
row, saves, and writes an `AuditEvent` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
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


def _typed_value(field, value):
    """A stored value as the field shows it elsewhere: moments in local time and dates as
    dd/mm/yyyy (the audit keeps them as ISO text, moments in UTC), JSON as text."""
    if value in (None, ""):
        return value
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "d/m/Y H:i")
    elif isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "d/m/Y")
    elif isinstance(field, models.JSONField) and isinstance(value, list | dict):
        return _json_text(value)
    return value


def _json_text(value: list | dict) -> str:
    """JSON for a reader: a list of notes (`{"text": …, "ok": …}`, as eligibility checks keep
    them) reads as its texts marked ✔ or ✘, a list of plain values as a list, anything else
    as compact JSON."""
    if isinstance(value, list) and all(isinstance(i, dict) and "text" in i for i in value):
        return " ".join(("✘ " if i.get("ok") is False else "✔ ") + str(i["text"]) for i in value)
    if isinstance(value, list) and not any(isinstance(i, list | dict) for i in value):
        return ", ".join(str(i) for i in value)  # recipients, audiences …
    return json.dumps(value, ensure_ascii=False)


# Keys read per query: SQLite caps the parameters of one statement.
RELATED_BATCH = 500


def _event_model(event: AuditEvent) -> type[models.Model] | None:
    # get_for_id is cached: a page of events costs no query per event for its record type.
    return ContentType.objects.get_for_id(event.content_type_id).model_class()


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _target(field) -> tuple[type[models.Model], models.Field] | None:
    """The model an audited relation points to and the field its stored keys name: a foreign
    key or one-to-one stores the target's key (its pk, or its `to_field`), a many-to-many a
    list of pks."""
    if isinstance(field, models.ForeignKey):  # one-to-one included
        return field.related_model, field.target_field
    if isinstance(field, models.ManyToManyField):
        return field.related_model, field.related_model._meta.pk
    return None


def _keys(value, key_field: models.Field) -> list:
    """The stored keys in one side of a diff (a list for a many-to-many)."""
    values = value if isinstance(value, list) else [value]
    wanted = int if isinstance(key_field, models.IntegerField) else str
    return [v for v in values if isinstance(v, wanted) and not isinstance(v, bool)]


class RelatedNames:
    """The names of the records that audit diffs point to by key, for the events given: one
    query per related model (per RELATED_BATCH keys), however many events a page shows.

    A name is the related record's str() and nothing more. That discloses nothing new: every
    history is shown only to someone who may see the audited record (detail pages are 404
    outside the viewer's scope, the audit trail is for administrators), and the audited record
    names the same related record on its own page (a person's workplace, a nomination's
    course). So a record scoped by province (a person, a nomination) named in a diff is shown
    to a viewer who could already see it through the record that points to it.
    """

    def __init__(self, events: Iterable[AuditEvent] = ()):
        self._names: dict[tuple[type[models.Model], models.Field, Any], str] = {}
        wanted: dict[tuple[type[models.Model], models.Field], set] = defaultdict(set)
        for event in events:
            model = _event_model(event)
            for name, change in (event.changes or {}).items():
                target = _target(_field(model, name))
                if target is None:
                    continue
                for value in change if isinstance(change, list) else [change]:
                    wanted[target].update(_keys(value, target[1]))
        for (related, key_field), keys in wanted.items():
            ordered = sorted(keys)
            for start in range(0, len(ordered), RELATED_BATCH):
                # select_related(): a str() that reads another record (a nomination's person
                # and course) costs no query per name.
                found = related._base_manager.select_related().filter(
                    **{f"{key_field.name}__in": ordered[start : start + RELATED_BATCH]}
                )
                for obj in found:
                    key = getattr(obj, key_field.attname)
                    if not isinstance(key_field, models.IntegerField):
                        key = str(key)  # a UUID is stored in the diff as text
                    self._names[(related, key_field, key)] = str(obj)

    def label(self, field, value):
        """`value` with every key of `field`'s related model read as its record's name; a
        record deleted since reads "#123 (deleted)"."""
        target = _target(field)
        if target is None:
            return value
        keys = _keys(value, target[1])

        def name(key) -> str:
            found = self._names.get((*target, key))
            return found if found is not None else gettext("#%(id)s (deleted)") % {"id": key}

        if isinstance(value, list):  # many-to-many; none reads empty
            return ", ".join(name(v) if v in keys else str(v) for v in value)
        return name(value) if keys else value


def readable_changes(
    event: AuditEvent, *, names: RelatedNames | None = None
) -> list[tuple[str, str]]:
    """An event's field diff as (field label, "old → new"); a creation lists only what was set.
    Related records read by name: pass `names` built for all the events of a page (or use
    `readable_changes_many`) so that a page reads them at once."""
    model = _event_model(event)
    if names is None:
        names = RelatedNames([event])
    rows = []
    for name, change in (event.changes or {}).items():
        old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        if event.action == AuditEvent.Action.CREATE and new in (None, "", [], {}):
            continue
        label = name
        field = _field(model, name)
        if field is not None:
            label = capfirst(getattr(field, "verbose_name", name))
            if _target(field) is not None:
                old, new = names.label(field, old), names.label(field, new)
            else:
                choices = dict(getattr(field, "flatchoices", None) or [])
                if choices:
                    old, new = _choice_label(choices, old), _choice_label(choices, new)
                else:
                    old, new = _typed_value(field, old), _typed_value(field, new)
        if event.action == AuditEvent.Action.CREATE:
            rows.append((str(label), _shorten(new)))
        else:
            rows.append((str(label), f"{_shorten(old)} → {_shorten(new)}"))
    return rows


def readable_changes_many(events: Iterable[AuditEvent]) -> list[list[tuple[str, str]]]:
    """`readable_changes` of each event, in order, reading the related records of all of them
    with one query per related model."""
    events = list(events)
    names = RelatedNames(events)
    return [readable_changes(event, names=names) for event in events]
