"""A large first import builds the people's indexes after its rows (PostgreSQL): same result,
same schema afterwards, nothing changed when it fails, the ordinary way when it cannot lock."""

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from boiduong.people import bulkload, importing, upsert
from boiduong.people.models import CoreStaffStatus, Person, ProfessionalRating, TrainingResult

from .files import person, xlsx

pytestmark = pytest.mark.postgres

TABLES = [bulkload.PEOPLE, *bulkload.FACTS]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the indexes are built after the rows on PostgreSQL only")


@pytest.fixture
def bulk(monkeypatch):
    """Every import takes the bulk path; `bulk.used` records what `suspend` dropped."""
    used: list = []
    suspend = bulkload.suspend

    def spy(conn):
        suspended = suspend(conn)
        used.append(suspended)
        return suspended

    monkeypatch.setattr(upsert.Writer, "_bulk_pays", lambda self, chunk: True)
    monkeypatch.setattr(bulkload, "suspend", spy)
    spy.used = used  # type: ignore[attr-defined]
    return spy


def schema() -> list[tuple]:
    """Every index and constraint of the people tables, as PostgreSQL would create them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'index', indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index WHERE indrelid = ANY(%s::regclass[])
            UNION ALL
            SELECT 'constraint', conname, pg_get_constraintdef(oid) || ' ' || condeferred
            FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [TABLES, TABLES],
        )
        return cursor.fetchall()


def indexes_of_people(on=connection) -> set[str]:
    with on.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [bulkload.PEOPLE])
        return {name for (name,) in cursor.fetchall()}


def run(path, *, actor=None, dry_run=False):
    return importing.people_import(actor=actor, path=str(path), filename=path.name, dry_run=dry_run)


def test_a_bulk_import_writes_what_the_ordinary_one_writes(world, tmp_path, bulk, monkeypatch):
    before = schema()
    seen: list[set[str]] = []
    # Checkpoints run in the writer thread: look through the import's own connection.
    importing_connection = connections[DEFAULT_DB_ALIAS]
    monkeypatch.setattr(
        importing,
        "_checkpoint",
        lambda stage, rows: seen.append(indexes_of_people(importing_connection)),
    )
    rows = [
        person(1, core="GV cốt cán", result="Đạt", course="Bồi dưỡng cốt cán 2020"),
        person(2, name="Trần Thị Bích Ngọc", school="Trường Mầm non Ban Mai Mới"),
        person(3, name="Lê Văn Hùng", gender="Nam", position="Hiệu trưởng", rating="Tốt"),
    ]
    outcome = run(xlsx(tmp_path / "ds.xlsx", rows))

    assert outcome.ok and outcome.committed
    assert (outcome.new, outcome.updated, outcome.schools_created) == (3, 0, 1)
    suspended = bulk.used[0]
    dropped = {name for name, _ in suspended.indexes} | {c[1] for c in suspended.constraints}
    assert {"people_person_sort", "people_person_national_id"} <= dropped
    assert any("FOREIGN KEY" in definition for _, _, definition in suspended.constraints)
    # While the rows were written the secondary indexes were gone; afterwards all is back.
    assert seen and seen[0] == {"people_person_pkey"}
    assert schema() == before
    lan = Person.objects.get(national_id="001189000001")
    assert ProfessionalRating.objects.get(person=lan, year=2020).rating == "kha"
    assert CoreStaffStatus.objects.get(person=lan, year=2020).kind == "gv_cot_can"
    assert TrainingResult.objects.get(person=lan, year=2020).result == "dat"
    # The rebuilt indexes serve lookups: the unique national ID still refuses a duplicate.
    assert Person.objects.filter(national_id="001189000002").count() == 1


def test_a_bulk_import_updates_known_people_and_keeps_the_scope(world, tmp_path, bulk):
    assert run(xlsx(tmp_path / "a.xlsx", [person(1), person(2)])).new == 2
    camau = Person.objects.filter(workplace__province__code="96").first()
    rows = [
        person(1, phone="0987654321"),
        person(2),
        person(3),
        person(4, id=camau.national_id, name=camau.full_name),
    ]
    outcome = run(xlsx(tmp_path / "b.xlsx", rows), actor=world.user("so.hanoi"))

    assert (outcome.new, outcome.updated, outcome.unchanged, outcome.error_rows) == (1, 1, 1, 1)
    assert "ngoài phạm vi" in "\n".join(outcome.messages())
    assert not outcome.committed
    assert Person.objects.get(national_id="001189000001").phone == "0912345678"
    assert all(bulk.used)


def test_a_failed_bulk_import_leaves_the_registry_and_its_indexes(
    world, tmp_path, bulk, monkeypatch
):
    before, people = schema(), Person.objects.count()

    def die(stage, rows):
        if stage == "facts":
            raise RuntimeError("the worker was killed")

    monkeypatch.setattr(importing, "_checkpoint", die)
    with pytest.raises(RuntimeError):
        run(xlsx(tmp_path / "ds.xlsx", [person(n) for n in range(1, 6)]))

    assert all(bulk.used)
    assert schema() == before and Person.objects.count() == people
    assert "people_person_sort" in indexes_of_people()


def test_a_dry_run_takes_the_same_way_and_leaves_nothing(world, tmp_path, bulk):
    before, people = schema(), Person.objects.count()
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1), person(2)]), dry_run=True)
    assert outcome.ok and outcome.new == 2 and not outcome.committed
    assert all(bulk.used)
    assert schema() == before and Person.objects.count() == people


def test_when_someone_reads_the_people_the_import_goes_the_ordinary_way(
    world, tmp_path, bulk, monkeypatch
):
    """A reader holds the people table: the import waits `LOCK_TIMEOUT` for it, then writes
    row by row with the indexes in place instead of waiting on."""
    monkeypatch.setattr(bulkload, "LOCK_TIMEOUT", "200ms")
    settings = connection.settings_dict
    reader = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        reader.execute("BEGIN")
        reader.execute(f"LOCK TABLE {bulkload.PEOPLE} IN ACCESS SHARE MODE")
        outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1), person(2, rating="Tốt")]))
    finally:
        reader.close()

    assert bulk.used == [None]
    assert outcome.ok and outcome.committed and outcome.new == 2
    assert ProfessionalRating.objects.get(person__national_id="001189000002").rating == "tot"


@pytest.mark.parametrize(
    ("fresh", "expected_rows", "registry", "pays"),
    [
        (10_000, 400_000, 0, True),  # a national first load
        (10_000, 60_000, 40_000, True),  # a province bigger than what is there
        (10_000, 30_000, 0, False),  # too small to be worth a lock
        (10_000, 400_000, 500_000, False),  # fewer new people than the registry holds
        (100, 400_000, 0, False),  # mostly known people
    ],
)
def test_when_the_bulk_way_pays(fresh, expected_rows, registry, pays):
    writer = upsert.Writer(
        present=set(), scope_paths=None, checkpoint=lambda *_: None,
        expected_rows=lambda: expected_rows,
    )  # fmt: skip
    writer.person_ids = {str(n): n for n in range(registry)}
    chunk = upsert.Prepared(rows=10_000, fresh=[()] * fresh)
    assert writer._bulk_pays(chunk) is pays
