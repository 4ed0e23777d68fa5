"""Loading many new people at once: secondary indexes built after the rows, not row by row.

PostgreSQL's own advice for populating a database ("Populating a Database" in its manual) is
to load the rows first and create the indexes and foreign keys after: building a b-tree from
sorted rows costs a fraction of inserting the same keys one at a time into a growing tree.
Measured on 400,000 people: COPY into people_person with its five indexes 7.5 s, without them
1.4 s plus 1.5 s to build the four secondary ones (the `(sort_key, id)` index alone costs
3 s row by row: its keys arrive in random order).

So an import that brings many new people into a registry that has few (see
`Writer._bulk_pays`) takes the people tables for itself (ACCESS EXCLUSIVE: others wait until
it commits rather than see a half-indexed table), drops the secondary indexes and unique
constraints of people_person and the facts' foreign keys to it, writes, and builds them again
before the commit — all in the import's transaction, so a failure or a kill puts everything
back as it was. What is dropped is read from the catalogue (`pg_get_indexdef`,
`pg_get_constraintdef`) and rebuilt from the same text, so a migration that adds an index is
followed without a change here. Kept: primary keys (other tables reference them), the facts'
unique indexes (the upserts of known people need them as ON CONFLICT arbiters) and the
people's own foreign keys (dropping one would lock the referenced table, `orgs_orgunit` or
`accounts_user`, which every page reads).

If the tables cannot be locked within `LOCK_TIMEOUT` (someone is reading them), the import
goes on the ordinary way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import OperationalError, transaction

PEOPLE = "people_person"
FACTS = ("people_professionalrating", "people_corestaffstatus", "people_trainingresult")
LOCK_TIMEOUT = "5s"
_LOCK_NOT_AVAILABLE = "55P03"


@dataclass
class SuspendedIndexes:
    """The definitions dropped by `suspend`, in the order `restore` creates them again."""

    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    constraints: list[tuple[str, str, str]] = field(default_factory=list)  # (table, name, def)

    def __bool__(self) -> bool:
        return bool(self.indexes or self.constraints)


def suspend(connection) -> SuspendedIndexes | None:
    """Lock the people tables and drop what `restore` will rebuild; None if the lock could
    not be had in time (nothing changed then)."""
    tables = (PEOPLE, *FACTS)
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
                cursor.execute(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
                raise
            return None
        finally:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
        suspended = SuspendedIndexes(
            indexes=_secondary_indexes(cursor),
            constraints=_unique_constraints(cursor) + _facts_foreign_keys(cursor),
        )
        for table, name, _ in reversed(suspended.constraints):
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in suspended.indexes:
            cursor.execute(f"DROP INDEX {name}")
    return suspended


def restore(connection, suspended: SuspendedIndexes) -> None:
    """Build again what `suspend` dropped, with the same names and definitions. A unique
    constraint that the new rows break fails here, and the import with it."""
    with connection.cursor() as cursor:
        for _, definition in suspended.indexes:
            cursor.execute(definition)
        for table, name, definition in suspended.constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """people_person's indexes that no constraint owns (the primary key's and the unique
    constraints' are handled as constraints)."""
    cursor.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [PEOPLE],
    )
    return cursor.fetchall()


def _unique_constraints(cursor) -> list[tuple[str, str, str]]:
    """people_person's unique constraints that no foreign key depends on."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = %s::regclass AND c.contype = 'u'
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid
          )
        ORDER BY c.conname
        """,
        [PEOPLE],
    )
    return cursor.fetchall()


def _facts_foreign_keys(cursor) -> list[tuple[str, str, str]]:
    """The facts tables' foreign keys to people_person (checked once, by a join, when they
    are added again, instead of once per row at COMMIT)."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, quote_ident(c.conname), pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.confrelid = %s::regclass
          AND c.conrelid = ANY(%s::regclass[])
        ORDER BY 1, 2
        """,
        [PEOPLE, list(FACTS)],
    )
    return cursor.fetchall()
