"""PostgreSQL: compare national IDs and sort keys byte by byte (COLLATE "C").

Both columns hold only ASCII digits and letters (`core.text.sortable` encodes names into
[a-z]), so their order is the same under any collation; but a database created with
C.UTF-8 or a language collation makes every index comparison call strcoll. With "C", the
people import's COPY into the table and its indexes measured 2.1-2.7 s instead of 2.8-3.2 s
per 100,000 rows (docs/performance.md). SQLite compares bytes already: nothing to do there.
The model state is unchanged on purpose (a db_collation would not exist on SQLite).
"""

from django.db import migrations

COLUMNS = (("national_id", "varchar(12)"), ("sort_key", "varchar(400)"))


def _alter(schema_editor, collation: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    changes = ", ".join(
        f'ALTER COLUMN {name} TYPE {kind} COLLATE "{collation}"' for name, kind in COLUMNS
    )
    schema_editor.execute(f"ALTER TABLE people_person {changes}")


def forwards(apps, schema_editor):
    _alter(schema_editor, "C")


def backwards(apps, schema_editor):
    _alter(schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
