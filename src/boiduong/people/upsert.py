"""Bulk writes of an import, a chunk of checked rows at a time.

On PostgreSQL, new people and their ratings, core-staff statuses and training results are
COPYed straight into their tables, with ids taken from the table's sequence ahead of need (the
main thread writes whole COPY lines, the writer thread sends them). People
already in the registry go to a staging table, and are written with a handful of set-based
statements:

1. persons that differ are updated (only the columns the file has),
2. ratings, core-staff statuses and training results are upserted with
   INSERT … ON CONFLICT DO UPDATE … WHERE the value differs,

so a second import of the same file writes nothing and reports 0 updates. SQLite (the test
suite, `make run`) stages every row and inserts the new people with INSERT … SELECT.

On PostgreSQL the chunks are written by a second thread on the same connection (so in the
same transaction) while the main thread checks the next rows: the server works on one core
while Python works on the other. psycopg releases the GIL while it waits for the server.
SQLite writes each chunk in the main thread. Nothing here commits: the caller's transaction
decides, so a failed or killed import leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from boiduong.orgs.choices import OrgUnitKind
from boiduong.orgs.models import OrgUnit

from . import bulkload

if TYPE_CHECKING:
    from .importing import ProvinceTarget

# key (< 0), province, name as written, folded name
NewSchool = tuple[int, "ProvinceTarget", str, str]

STAGE = "people_import_stage"
STAGE_SCHOOL = 7  # position of school_key in a staged row
CHUNK_ROWS = 10_000
REFILL_IDS = 12_000  # ids fetched ahead: a chunk holds CHUNK_ROWS and at most a batch more
# An import expected to bring at least this many new people, and at least as many as the
# registry holds, builds the people's secondary indexes after its rows (see bulkload).
BULK_MIN_NEW = 50_000

_STAGE_COLUMNS = (
    ("row_no", "integer"),
    ("national_id", "varchar(12)"),
    ("full_name", "text"),
    ("gender", "text"),
    ("birth_date", "date"),
    ("phone", "text"),
    ("email", "text"),
    ("school_key", "bigint"),
    ("position", "text"),
    ("qualification", "text"),
    ("search_text", "text"),
    ("sort_key", "text"),
    ("year", "integer"),
    ("rating", "text"),
    ("core_kind", "text"),
    ("training_result", "text"),
    ("course", "text"),
    ("person_id", "bigint"),  # PostgreSQL: known before writing (Writer.person_ids)
    ("is_new", "boolean"),
)


def _stage_type(name: str, kind: str) -> str:
    """On PostgreSQL the keys joined with people_person share its "C" collation (people
    migration 0002), or the join could not pick a collation."""
    if name in {"national_id", "sort_key"} and _is_postgres():
        return f'{kind} COLLATE "C"'
    return kind


_PERSON_COLUMNS = (
    "full_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "position",
    "qualification",
)
# Ids first: the writer puts them in front of a line whose new school had no id yet
# (see Writer._prepare).
_NEW_PERSON_COLUMNS = (
    "id", "workplace_id", "national_id", "full_name", "gender", "birth_date", "phone", "email",
    "position", "qualification", "search_text", "sort_key", "created_at", "updated_at",
)  # fmt: skip
_NEW_FACTS = (  # column of the file, table, COPY columns
    ("rating", "people_professionalrating", ("person_id", "year", "rating")),
    ("core", "people_corestaffstatus", ("person_id", "year", "kind", "is_core")),
    ("training_result", "people_trainingresult", ("person_id", "year", "course_title", "result")),
)


@dataclass
class Prepared:
    """A chunk as the main thread hands it to the writer thread (PostgreSQL)."""

    rows: int
    fresh: list[tuple] = field(default_factory=list)  # staged rows of new people
    ids: list[int] = field(default_factory=list)  # their ids, from the sequence
    existing: list[tuple] = field(default_factory=list)  # staged rows + (person id, False)
    people: list[str] = field(default_factory=list)  # new people's COPY lines
    # Lines whose school is created by this chunk (or one still queued) lack their first two
    # fields, person id and workplace id: (line index, person id, new school key).
    unplaced: list[tuple[int, int, int]] = field(default_factory=list)
    facts: tuple[list, list, list] = field(default_factory=lambda: ([], [], []))
    no_birth_date: int = 0
    plain: bool = True

    def __len__(self) -> int:
        return self.rows


_WORKPLACE = "s.school_key"  # a school id once the writer has created the new schools


def _plain_copy_text(
    text: str, rows: int, columns: int, nulls: int = 0, *, missing_tabs: int = 0
) -> bool:
    """Whether COPY's text format reads `text` as `rows` lines of `columns` fields, the only
    backslashes being those of the `nulls` NULL markers written on purpose."""
    return (
        text.count("\\") == nulls
        and "\r" not in text
        and text.count("\n") == rows
        and text.count("\t") == rows * (columns - 1) - missing_tabs
    )


def _copy_text(cursor, table: str, columns: tuple[str, ...], text: str) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(text)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class Totals:
    new: int = 0
    changed: set[int] = field(default_factory=set)  # existing persons whose data changed
    outside: list[tuple[int, str, str]] = field(default_factory=list)  # refused rows


class Writer:
    """Takes chunks of checked rows (and the new schools they name) and writes them."""

    def __init__(
        self,
        *,
        present: set[str],
        scope_paths: tuple[str, ...] | None,
        checkpoint: Callable[[str, int], None],
        expected_rows: Callable[[], int] = lambda: 0,
    ):
        self.present = present
        self.expected_rows = expected_rows  # the file's rows, estimated while reading
        self.scope_paths = scope_paths  # None: no scope limit
        self.checkpoint = checkpoint
        self.totals = Totals()
        self.person_ids: dict[str, int] = {}  # PostgreSQL only, see _load_person_ids
        self._sequence = ""
        self.school_ids: dict[int, int] = {}  # new school key -> unit id
        self.rows_written = 0
        # The wrapper object itself (not the thread-local proxy): the writer thread must use
        # this very connection, which holds the transaction and the temporary tables.
        self._connection = connections[DEFAULT_DB_ALIAS]
        self._departments: dict[int, list[int]] = {}  # id -> [path depth, next child number]
        self._department_paths: dict[int, str] = {}
        self._thread: threading.Thread | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        # New people's ids (PostgreSQL): the main thread takes them from a pool that the
        # writer thread refills from the sequence ahead of need (see _take_ids).
        self._ids: list[int] = []
        self._id_requests: queue.Queue = queue.Queue()  # counts, served before any chunk
        self._refills: queue.Queue = queue.Queue()  # the ids fetched, one list per request
        self._refill_pending = False
        self._immediate_keys = ""  # see __enter__
        self._bulk: bool | None = None  # decided at the first chunk (PostgreSQL)
        self._suspended: bulkload.SuspendedIndexes | None = None

    # Life cycle (main thread) -----------------------------------------------------------

    def __enter__(self) -> Writer:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
            self.last_existing = cursor.fetchone()[0]
            columns = ", ".join(
                f"{name} {_stage_type(name, kind)}" for name, kind in _STAGE_COLUMNS
            )
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            suffix = " ON COMMIT DROP" if _is_postgres() else ""
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} ({columns}){suffix}")
        self.now = timezone.now()
        self._now_text = self.now.isoformat()  # formatted once, not per row
        if _is_postgres():
            self._load_person_ids()
            with connection.cursor() as cursor:
                # A chunk is small and the registry large: look people up by index. Without
                # this the planner, with stale statistics on a table that grows as we write,
                # hashes the whole registry for every chunk. Undone in _finish (or with the
                # transaction).
                cursor.execute("SET LOCAL enable_hashjoin = off")
                cursor.execute("SET LOCAL enable_mergejoin = off")
                # The people's own foreign keys (workplace, login) are checked as each COPY
                # ends, by the writer thread while the main thread checks the next rows,
                # instead of all at COMMIT when nothing else runs (about 2 s of 400,000 rows
                # off the serial end). The facts' keys to the people stay deferred: checked
                # per statement as well, they made the writer the bottleneck.
                self._immediate_keys = self._person_foreign_keys(cursor)
                if self._immediate_keys:
                    cursor.execute(f"SET CONSTRAINTS {self._immediate_keys} IMMEDIATE")
            connection.inc_thread_sharing()
            self._thread = threading.Thread(target=self._run, name="people-import-writer")
            self._thread.start()
        return self

    def submit(self, rows: list[tuple], schools: list[NewSchool], *, last: bool = False) -> None:
        """Queue one chunk; on PostgreSQL this returns while the chunk is being written.
        `last`: no chunk follows (so no ids are fetched ahead for one)."""
        if self._error is not None:
            raise self._error
        if self._thread is None:
            self._write(rows, schools)
            return
        known = self.person_ids
        fresh = sum(1 for row in rows if row[1] not in known)
        self._take_ids(fresh)
        chunk = self._prepare(rows)
        if self._bulk is None:  # the writer thread is idle: the connection is free
            self._bulk = self._bulk_pays(chunk) and self._suspend_indexes()
        self._queue.put((chunk, schools))
        if fresh and not last and len(self._ids) < 2 * REFILL_IDS:
            # Two chunks ahead: the writer serves a request only between chunks.
            self._request_ids(2 * REFILL_IDS - len(self._ids))

    def _take_ids(self, count: int) -> None:
        """Make sure the pool holds `count` ids (one per new person of a chunk), waiting
        for the writer thread to fetch them if it does not. Ids fetched and not used are
        skipped by the sequence, as a rolled-back insert's are."""
        while len(self._ids) < count:
            self._request_ids(count - len(self._ids))
            self._ids.extend(self._refills.get())
            self._refill_pending = False
            if self._error is not None:
                raise self._error

    def _request_ids(self, count: int) -> None:
        """Ask the writer thread for ids; it serves requests before its next chunk, and an
        idle writer is woken by an empty item (a busy one has a full queue: no need)."""
        if self._refill_pending:
            return
        self._refill_pending = True
        self._id_requests.put(count)
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait((None, []))

    def _bulk_pays(self, chunk: Prepared) -> bool:
        """Whether to build the indexes after the rows: the first chunk's share of new
        people, applied to the rows the file is expected to have, against the registry."""
        expected_new = len(chunk.fresh) * self.expected_rows() // max(chunk.rows, 1)
        return expected_new >= max(BULK_MIN_NEW, len(self.person_ids))

    def _suspend_indexes(self) -> bool:
        self._suspended = bulkload.suspend(connection)
        return self._suspended is not None

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._connection.dec_thread_sharing()
        if exc_type is None and self._error is not None:
            raise self._error
        if exc_type is None:
            self._finish()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            self._serve_id_requests()
            if item is None:
                return
            chunk, schools = item
            if chunk is not None and self._error is None:
                try:
                    self._write(chunk, schools)
                except BaseException as exc:  # handed to the main thread by submit/__exit__
                    self._error = exc

    def _serve_id_requests(self) -> None:
        while not self._id_requests.empty():
            count, ids = self._id_requests.get(), []
            if self._error is None:
                try:
                    with self._connection.cursor() as cursor:
                        ids = self._new_ids(cursor, count)
                except BaseException as exc:
                    self._error = exc
            self._refills.put(ids)  # even after an error: the main thread may be waiting

    def _finish(self) -> None:
        with connection.cursor() as cursor:
            for department_id, (_, next_child) in self._departments.items():
                cursor.execute(
                    "UPDATE orgs_orgunit SET child_count = %s WHERE id = %s",
                    [next_child - 1, department_id],
                )
            cursor.execute(f"DROP TABLE {STAGE}")
            if _is_postgres():
                if self._immediate_keys:
                    cursor.execute(f"SET CONSTRAINTS {self._immediate_keys} DEFERRED")
                cursor.execute("SET LOCAL enable_hashjoin TO DEFAULT")
                cursor.execute("SET LOCAL enable_mergejoin TO DEFAULT")
        if self._suspended:
            bulkload.restore(connection, self._suspended)

    # One chunk (writer thread on PostgreSQL) -------------------------------------------------

    def _write(self, rows: list[tuple] | Prepared, schools: list[NewSchool]) -> None:
        done = self.rows_written + len(rows)
        with self._connection.cursor() as cursor:
            if schools:
                self.school_ids.update(self._create_schools(cursor, schools))
                self.checkpoint("schools", done)
            if isinstance(rows, Prepared):
                self._write_postgres(cursor, rows, done)
            else:
                self._stage(cursor, self._with_school_ids(rows))
                if self.scope_paths is not None:
                    self._refuse_outside(cursor)
                self._write_people(cursor)
                self.checkpoint("inserted", done)
                for statement in self._fact_statements():
                    self.totals.changed |= self._changed_ids(cursor, statement)
                    self.checkpoint("facts", done)
        self.rows_written = done

    def _with_school_ids(self, rows: list[tuple]) -> list[tuple]:
        """New schools' keys (< 0) become the ids just created."""
        ids = self.school_ids
        key = STAGE_SCHOOL
        return [
            row if row[key] > 0 else (*row[:key], ids[row[key]], *row[key + 1 :]) for row in rows
        ]

    def _prepare(self, rows: list[tuple]) -> Prepared:
        """PostgreSQL, in the main thread: tell new people from known ones, give the new
        ones ids from the pool and write their COPY lines whole, so the writer thread only
        sends them and the server is kept busy rather than waiting for Python. A school
        created by a chunk the writer has not reached yet has no id: such a line lacks its
        first two fields, put in front by the writer (`Prepared.unplaced`)."""
        known, pool, schools = self.person_ids, self._ids, self.school_ids
        chunk = Prepared(rows=len(rows))
        now = self._now_text
        people, unplaced, facts = chunk.people, chunk.unplaced, chunk.facts
        fresh = chunk.fresh
        for row in rows:
            person_id = known.get(row[1])
            if person_id is not None:
                chunk.existing.append((*row, person_id, False))
                continue
            person_id = pool[len(fresh)]
            fresh.append(row)
            # fmt: off
            (_, national_id, name, gender, birth_date, phone, email, school, position,
             qualification, search_text, sort_key, year, rating, core, result, course) = row
            # fmt: on
            if birth_date is None:
                born: Any = r"\N"
                chunk.no_birth_date += 1
            else:
                born = birth_date
            if school < 0:
                school = schools.get(school, school)
            if school > 0:
                people.append(
                    f"{person_id}\t{school}\t{national_id}\t{name}\t{gender or ''}\t{born}"
                    f"\t{phone or ''}\t{email or ''}\t{position or ''}\t{qualification or ''}"
                    f"\t{search_text}\t{sort_key}\t{now}\t{now}\n"
                )
            else:
                unplaced.append((len(people), person_id, school))
                people.append(
                    f"\t{national_id}\t{name}\t{gender or ''}\t{born}\t{phone or ''}"
                    f"\t{email or ''}\t{position or ''}\t{qualification or ''}\t{search_text}"
                    f"\t{sort_key}\t{now}\t{now}\n"
                )
            if year is not None:
                if rating:
                    facts[0].append(f"{person_id}\t{year}\t{rating}\n")
                if core:
                    facts[1].append(f"{person_id}\t{year}\t{core}\tt\n")
                if result:
                    facts[2].append(f"{person_id}\t{year}\t{course}\t{result}\n")
        chunk.ids = pool[: len(fresh)]
        del pool[: len(fresh)]
        # An unplaced line has one tab fewer (its two leading fields come later).
        chunk.plain = _plain_copy_text(
            "".join(people),
            len(people),
            len(_NEW_PERSON_COLUMNS),
            chunk.no_birth_date,
            missing_tabs=len(unplaced),
        ) and all(
            _plain_copy_text("".join(lines), len(lines), len(columns))
            for (_, _, columns), lines in zip(_NEW_FACTS, facts, strict=True)
        )
        return chunk

    def _write_postgres(self, cursor, chunk: Prepared, done: int) -> None:
        """New people (and their facts) are COPYed straight into the registry's tables with
        ids taken from the sequence: no staging, no statement per row. Only the rows of
        people already in the registry are staged, to be compared and updated in SQL."""
        if chunk.fresh:
            self._copy_new_people(cursor, chunk)
            self.totals.new += len(chunk.fresh)
        self.checkpoint("inserted", done)
        if chunk.fresh:
            self.checkpoint("facts", done)
        if chunk.existing:
            self._copy_stage(cursor, self._with_school_ids(chunk.existing))
            if self.scope_paths is not None:
                self._refuse_outside(cursor)
            self.totals.changed |= self._update_known_people(cursor)
            self.checkpoint("inserted", done)
            for statement in self._fact_statements():
                self.totals.changed |= self._changed_ids(cursor, statement)
                self.checkpoint("facts", done)

    def _copy_new_people(self, cursor, chunk: Prepared) -> None:
        """New people and their facts, COPYed in text format as `_prepare` wrote them (the
        lines of schools created since get their two leading fields here). A chunk with a
        backslash anywhere (an escape in COPY's text format) or a stray tab goes through
        psycopg's own escaping instead."""
        if not chunk.plain:
            self._copy_new_people_escaped(cursor, chunk.ids, chunk.fresh)
            return
        people, schools = chunk.people, self.school_ids
        for index, person_id, school in chunk.unplaced:
            people[index] = f"{person_id}\t{schools[school]}{people[index]}"
        _copy_text(cursor, "people_person", _NEW_PERSON_COLUMNS, "".join(people))
        for (key, table, columns), lines in zip(_NEW_FACTS, chunk.facts, strict=True):
            if lines and key in self.present:
                _copy_text(cursor, table, columns, "".join(lines))

    def _copy_new_people_escaped(self, cursor, ids: list[int], rows: list[tuple]) -> None:
        schools = self.school_ids
        now = self._now_text
        people = []
        facts: tuple[list, list, list] = ([], [], [])
        for person_id, row in zip(ids, rows, strict=True):
            # fmt: off
            (_, national_id, name, gender, birth_date, phone, email, school, position,
             qualification, search_text, sort_key, year, rating, core, result, course) = row
            people.append((
                person_id, schools.get(school, school), national_id, name, gender or "",
                birth_date, phone or "", email or "", position or "", qualification or "",
                search_text, sort_key, now, now,
            ))
            # fmt: on
            if year is not None:
                if rating:
                    facts[0].append((person_id, year, rating))
                if core:
                    facts[1].append((person_id, year, core, True))
                if result:
                    facts[2].append((person_id, year, course, result))
        self._copy(cursor, "people_person", _NEW_PERSON_COLUMNS, people)
        for (key, table, columns), found in zip(_NEW_FACTS, facts, strict=True):
            if key in self.present:
                self._copy(cursor, table, columns, found)

    @staticmethod
    def _copy(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    def _stage(self, cursor, rows: list[tuple]) -> None:
        """SQLite: stage the chunk as it is (person ids are found by national ID)."""
        names = ", ".join(name for name, _ in _STAGE_COLUMNS)
        cursor.execute(f"DELETE FROM {STAGE}")
        marks = ", ".join(["%s"] * len(_STAGE_COLUMNS))
        cursor.executemany(
            f"INSERT INTO {STAGE} ({names}) VALUES ({marks})",
            [(*row, None, None) for row in rows],
        )

    def _copy_stage(self, cursor, rows: list[tuple]) -> None:
        names = ", ".join(name for name, _ in _STAGE_COLUMNS)
        cursor.execute(f"TRUNCATE {STAGE}")
        with cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    @staticmethod
    def _person_foreign_keys(cursor) -> str:
        """people_person's deferred foreign keys, schema-qualified, for SET CONSTRAINTS."""
        cursor.execute(
            """
            SELECT string_agg(quote_ident(n.nspname) || '.' || quote_ident(c.conname), ', ')
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE c.contype = 'f' AND c.condeferred
              AND c.conrelid = 'people_person'::regclass
            """
        )
        return cursor.fetchone()[0] or ""

    def _load_person_ids(self) -> None:
        """National ID -> id of everyone in the registry, read once (PostgreSQL). With them
        a chunk's new people are told apart from known ones without a query, new people get
        ids from the sequence, and the statements on known ones join on the primary key."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence('people_person', 'id')")
            self._sequence = cursor.fetchone()[0]
            cursor.execute("SELECT national_id, id FROM people_person")
            self.person_ids = dict(cursor.fetchall())

    def _new_ids(self, cursor, count: int) -> list[int]:
        if not count:
            return []
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self._sequence, count])
        return [row[0] for row in cursor.fetchall()]

    def _create_schools(self, cursor, schools: list[NewSchool]) -> dict[int, int]:
        """New schools go under their province's department, with paths allocated here from
        the department's child counter (read once under a row lock, written back at the end),
        so thousands of schools cost one statement per chunk."""
        rows = []
        for key, target, name, folded_name in schools:
            department = target.department
            assert department is not None  # rows of a province without one are refused
            slot = self._department_slot(cursor, department.pk)
            path = f"{self._department_paths[department.pk]}{slot[1]:0{OrgUnit.PATH_STEP}d}."
            slot[1] += 1
            rows.append(
                (key, name, department.pk, path, slot[0], department.province_id, folded_name)
            )
        insert = (
            "INSERT INTO orgs_orgunit (kind, name, short_name, abbreviation, code, parent_id, "
            "path, depth, child_count, province_id, search_text) "
        )
        if _is_postgres():
            keys, names, parents, paths, depths, provinces, folded = map(
                list, zip(*rows, strict=True)
            )
            cursor.execute(
                f"""
                {insert}
                SELECT %s, n, '', '', '', p, pa, d, 0, pr, f
                FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::int[], %s::bigint[],
                            %s::text[]) AS t(n, p, pa, d, pr, f)
                RETURNING path, id
                """,
                [OrgUnitKind.SCHOOL, names, parents, paths, depths, provinces, folded],
            )
            ids = dict(cursor.fetchall())
            return {key: ids[path] for key, path in zip(keys, paths, strict=True)}
        created = {}
        for key, name, parent, path, depth, province, folded_name in rows:
            cursor.execute(
                f"{insert} VALUES (%s, %s, '', '', '', %s, %s, %s, 0, %s, %s)",
                [OrgUnitKind.SCHOOL, name, parent, path, depth, province, folded_name],
            )
            created[key] = cursor.lastrowid
        return created

    def _department_slot(self, cursor, department_id: int) -> list[int]:
        slot = self._departments.get(department_id)
        if slot is None:
            cursor.execute(
                "SELECT path, depth, child_count FROM orgs_orgunit WHERE id = %s"
                + (" FOR UPDATE" if _is_postgres() else ""),
                [department_id],
            )
            path, depth, child_count = cursor.fetchone()
            self._department_paths[department_id] = path
            slot = self._departments[department_id] = [depth + 1, child_count + 1]
        return slot

    def _refuse_outside(self, cursor) -> None:
        """Set aside rows whose person exists but works outside the importing user's units:
        they are errors, and the rest of the chunk is still written (for the counts)."""
        outside = self._outside(cursor)
        if outside:
            self.totals.outside.extend(outside)
            rows = [row for row, _, _ in outside]
            marks = ", ".join(["%s"] * len(rows))
            cursor.execute(f"DELETE FROM {STAGE} WHERE row_no IN ({marks})", rows)

    def _outside(self, cursor) -> list[tuple[int, str, str]]:
        assert self.scope_paths is not None  # only asked of a scoped import
        inside = " OR ".join(["u.path LIKE %s"] * len(self.scope_paths)) or "FALSE"
        # PostgreSQL stages only known people, with their ids (the national-ID index may be
        # suspended, see bulkload); SQLite stages every row, before the ids are known.
        known = (
            "p.id = s.person_id"
            if _is_postgres()
            else "p.national_id = s.national_id AND s.is_new IS NOT TRUE"
        )
        cursor.execute(
            f"""
            SELECT s.row_no, s.national_id, s.full_name
            FROM {STAGE} s
            JOIN people_person p ON {known}
            JOIN orgs_orgunit u ON u.id = p.workplace_id
            WHERE NOT ({inside})
            ORDER BY s.row_no
            """,
            [f"{p}%" for p in self.scope_paths],
        )
        return cursor.fetchall()

    def _person_columns(self) -> list[str]:
        return [c for c in _PERSON_COLUMNS if c in self.present or c == "full_name"]

    def _write_people(self, cursor) -> None:
        """SQLite: existing people are updated where the file differs, new ones inserted."""
        self.totals.changed |= self._update_people(cursor)
        self.totals.new += self._insert_people(cursor)
        cursor.execute(
            f"UPDATE {STAGE} SET person_id = p.id FROM people_person p "
            f"WHERE p.national_id = {STAGE}.national_id"
        )

    def _update_known_people(self, cursor) -> set[int]:
        columns = self._person_columns()
        differs = " OR ".join(f"p.{c} IS DISTINCT FROM s.{c}" for c in columns)
        sets = ", ".join(f"{c} = s.{c}" for c in columns)
        cursor.execute(
            f"""
            UPDATE people_person AS p SET {sets}, workplace_id = {_WORKPLACE},
                search_text = s.search_text, sort_key = s.sort_key, updated_at = %s
            FROM {STAGE} s
            WHERE p.id = s.person_id AND NOT s.is_new
              AND ({differs} OR p.workplace_id <> {_WORKPLACE})
            RETURNING p.id
            """,
            [self.now],
        )
        return {row[0] for row in cursor.fetchall()}

    def _update_people(self, cursor) -> set[int]:
        columns = self._person_columns()
        differs = " OR ".join(f"p.{c} IS NOT s.{c}" for c in columns)
        sets = ", ".join(f"{c} = s.{c}" for c in columns)
        cursor.execute(
            f"""
            UPDATE people_person AS p SET {sets}, workplace_id = {_WORKPLACE},
                search_text = s.search_text, sort_key = s.sort_key, updated_at = %s
            FROM {STAGE} s
            WHERE p.national_id = s.national_id
              AND ({differs} OR p.workplace_id <> {_WORKPLACE})
            RETURNING id
            """,
            [self.now],
        )
        return {row[0] for row in cursor.fetchall()}

    def _insert_people(self, cursor) -> int:
        cursor.execute(
            f"""
            INSERT INTO people_person (national_id, full_name, gender, birth_date, phone, email,
                workplace_id, position, qualification, search_text, sort_key,
                created_at, updated_at)
            SELECT s.national_id, s.full_name, COALESCE(s.gender, ''), s.birth_date,
                COALESCE(s.phone, ''), COALESCE(s.email, ''), {_WORKPLACE},
                COALESCE(s.position, ''), COALESCE(s.qualification, ''), s.search_text,
                s.sort_key, %s, %s
            FROM {STAGE} s
            WHERE NOT EXISTS (SELECT 1 FROM people_person p WHERE p.national_id = s.national_id)
            """,
            [self.now, self.now],
        )
        return cursor.rowcount

    def _fact_statements(self) -> list[str]:
        """Facts of people already in the registry: upserts that return who changed."""
        statements = []
        if "rating" in self.present:
            statements.append(
                f"""
                INSERT INTO people_professionalrating (person_id, year, rating)
                SELECT s.person_id, s.year, s.rating FROM {STAGE} s
                WHERE s.is_new IS NOT TRUE AND s.year IS NOT NULL AND s.rating <> ''
                ON CONFLICT (person_id, year) DO UPDATE SET rating = excluded.rating
                WHERE people_professionalrating.rating <> excluded.rating
                RETURNING person_id
                """
            )
        if "core" in self.present:
            statements.append(
                f"""
                INSERT INTO people_corestaffstatus (person_id, year, kind, is_core)
                SELECT s.person_id, s.year, s.core_kind, TRUE FROM {STAGE} s
                WHERE s.is_new IS NOT TRUE AND s.year IS NOT NULL AND s.core_kind <> ''
                ON CONFLICT (person_id, year) DO UPDATE
                SET kind = excluded.kind, is_core = excluded.is_core
                WHERE people_corestaffstatus.kind <> excluded.kind
                   OR people_corestaffstatus.is_core <> excluded.is_core
                RETURNING person_id
                """
            )
            # An empty cell says "not core staff that year": clear a status stored before.
            statements.append(
                f"""
                UPDATE people_corestaffstatus AS c SET is_core = FALSE, kind = ''
                FROM {STAGE} s
                WHERE s.core_kind = '' AND c.person_id = s.person_id AND c.year = s.year
                  AND c.is_core
                RETURNING {"c." if _is_postgres() else ""}person_id
                """
            )
        if "training_result" in self.present:
            statements.append(
                f"""
                INSERT INTO people_trainingresult (person_id, year, course_title, result)
                SELECT s.person_id, s.year, s.course, s.training_result FROM {STAGE} s
                WHERE s.is_new IS NOT TRUE AND s.year IS NOT NULL AND s.training_result <> ''
                ON CONFLICT (person_id, year, course_title) DO UPDATE
                SET result = excluded.result
                WHERE people_trainingresult.result <> excluded.result
                RETURNING person_id
                """
            )
        return statements

    def _changed_ids(self, cursor, statement: str) -> set[int]:
        """Persons that existed before this import and whose facts the statement changed."""
        if _is_postgres():
            cursor.execute(
                f"WITH w AS ({statement}) SELECT DISTINCT person_id FROM w WHERE person_id <= %s",
                [self.last_existing],
            )
            return {row[0] for row in cursor.fetchall()}
        cursor.execute(statement)
        return {row[0] for row in cursor.fetchall() if row[0] <= self.last_existing}
