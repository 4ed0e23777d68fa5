"""Benchmark: import a national people registry from XLSX into PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boiduong_dev \\
        .venv/bin/python bench/import_people.py --rows 400000 --json

It creates a fresh database next to the one in DATABASE_URL (`boiduong_bench`), migrates it and
loads the reference data (34 provinces and their departments), generates a realistic registry
(Vietnamese names with realistic frequencies, 34 provinces, ~13,500 preschools spread by
province size, positions, ratings, core staff ~1.5 %) as XLSX, and then, in the same run:

1. imports it with boiduong's importer (full checks, new schools, upsert by national ID), in a
   child process so that its peak memory is measured alone;
2. imports the same file again: it must report 0 updates;
3. baseline A: PostgreSQL COPY of the same rows, read from the same file with the same streaming
   reader but without any check, into a bare table of 15 text columns (file -> table, nothing
   else); the in-memory COPY speed (rows already in Python) is printed too, for reference;
4. baseline B: django-import-export's default ModelResource (import_id_fields = national_id)
   importing a sample of the same rows read from the file (default 2,000), scaled to rows/s.

With --json the last line of stdout is one JSON object: rows, rows_per_s, ratio_vs_copy,
speedup_vs_import_export, peak_rss_mb, reimport_updates (and more).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BENCH_DB = "boiduong_bench"
CACHE = ROOT / "var" / "bench"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _database_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL (the bench creates boiduong_bench there)")
    parts = urlsplit(base)
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    return admin, bench


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    # As a deployed worker runs: with DEBUG on, Django would also log every statement's text.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boiduong.settings")
    import django

    django.setup()


def create_database(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def prepare(bench_url: str) -> None:
    _setup_django(bench_url)
    from django.core.management import call_command

    from boiduong.orgs.services import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()


# --- The registry file ----------------------------------------------------------------------


def _provinces() -> dict[str, str]:
    import csv

    path = ROOT / "src/boiduong/orgs/data/provinces_34_from_2025-07-01.csv"
    with open(path, encoding="utf-8") as handle:
        return {row["code"]: row["full_name"] for row in csv.DictReader(handle)}


def generate(rows: int, path: Path) -> float:
    """Write the registry with XlsxWriter, with shared strings as Excel writes them."""
    import xlsxwriter

    from boiduong.people.sample import RegistryGenerator, header

    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Danh sách")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    text = workbook.add_format({"num_format": "@"})
    sheet.write_row(0, 0, header())
    generator = RegistryGenerator(seed=2021, provinces=_provinces())
    for number, row in enumerate(generator.rows(rows), start=1):
        sheet.write_string(number, 0, row[0], text)
        sheet.write_row(number, 1, row[1:3])
        sheet.write_datetime(number, 3, dt.datetime.combine(row[3], dt.time()), date_format)
        sheet.write_string(number, 4, row[4], text)
        sheet.write_row(number, 5, row[5:])
    workbook.close()
    return time.perf_counter() - started


# --- Phases run in a child process -----------------------------------------------------------


def phase_import(path: str) -> dict:
    import psutil
    from django.db import connection

    from boiduong.people.importing import people_import

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = psutil.Process(cursor.fetchone()[0])
    server_before, own_before = sum(backend.cpu_times()[:2]), _own_cpu()
    started = time.perf_counter()
    outcome = people_import(actor=None, path=path, filename=path, dry_run=False)
    elapsed = time.perf_counter() - started
    server_cpu, own_cpu = sum(backend.cpu_times()[:2]) - server_before, _own_cpu() - own_before
    if not outcome.ok:
        raise SystemExit("import failed: " + "; ".join(outcome.messages(10)))
    return {
        "seconds": elapsed,
        "rows": outcome.rows,
        "new": outcome.new,
        "updated": outcome.updated,
        "unchanged": outcome.unchanged,
        "schools_created": outcome.schools_created,
        "peak_rss_mb": _peak_rss_mb(),
        "python_cpu_s": own_cpu,
        "postgres_cpu_s": server_cpu,
    }


def _peak_rss_mb() -> float:
    """This process's own peak resident memory. Not `ru_maxrss`: Linux carries the parent's
    peak over fork and exec into it, and the parent that has just generated the file holds
    800 MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_copy(path: str) -> dict:
    """Baseline: the same file's cells, unchecked, COPYed into a bare table."""
    from django.db import connection

    from boiduong.people.spreadsheets import open_sheet

    columns = ", ".join(f"c{i} text" for i in range(15))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(f"CREATE TABLE bench_copy ({columns})")
    connection.commit() if not connection.get_autocommit() else None
    started = time.perf_counter()
    count = 0
    rows = iter(open_sheet(path))
    next(rows)  # header
    with connection.cursor() as cursor, cursor.copy("COPY bench_copy FROM STDIN") as copy:
        for _, cells in rows:
            cells = (cells + [None] * 15)[:15]
            copy.write_row([None if c is None else str(c) for c in cells])
            count += 1
    file_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bench_copy")
        data = cursor.fetchall()
        cursor.execute("TRUNCATE bench_copy")
        started = time.perf_counter()
        with cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for row in data:
                copy.write_row(row)
        memory_seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return {"rows": count, "seconds": file_seconds, "memory_seconds": memory_seconds}


def phase_import_export(path: str, sample: int) -> dict:
    """Baseline: django-import-export's default ModelResource on the first `sample` rows."""
    import tablib
    from django.db import transaction
    from import_export import resources

    from boiduong.orgs.models import OrgUnit
    from boiduong.people.models import Person
    from boiduong.people.spreadsheets import open_sheet

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            import_id_fields = ("national_id",)
            fields = (
                "national_id",
                "full_name",
                "gender",
                "birth_date",
                "phone",
                "email",
                "workplace",
                "position",
                "qualification",
            )

    schools = dict(OrgUnit.objects.filter(kind="school").values_list("name", "pk"))
    rows = iter(open_sheet(path))
    next(rows)
    dataset = tablib.Dataset(headers=list(PersonResource.Meta.fields))
    for _, cells in rows:
        if len(dataset) >= sample:
            break
        dataset.append(
            [
                "9" + str(cells[0])[1:],  # new people, as in the measured import
                cells[1],
                "female" if cells[2] == "Nữ" else "male",
                cells[3],
                cells[4],
                cells[5],
                schools[cells[7]],
                "giao_vien",
                cells[9],
            ]
        )
    # Only import-export's own work is timed: the sample is read beforehand (reading the
    # whole national file's shared strings for 2,000 rows would be unfair to it).
    started = time.perf_counter()
    with transaction.atomic():
        result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"rows": len(dataset), "seconds": elapsed, "new": result.totals.get("new", 0)}


def run_child(phase: str, bench_url: str, *args: str) -> dict:
    command = [sys.executable, __file__, "--phase", phase, "--database-url", bench_url, *args]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        log(completed.stderr)
        raise SystemExit(f"phase {phase} failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=400_000)
    parser.add_argument("--sample", type=int, default=2_000, help="rows for import-export")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.phase:  # a child: one measured phase, its JSON on the last line
        _setup_django(options.database_url)
        if options.phase == "import":
            print(json.dumps(phase_import(options.file)))
        elif options.phase == "copy":
            print(json.dumps(phase_copy(options.file)))
        else:
            print(json.dumps(phase_import_export(options.file, options.sample)))
        return

    admin_url, bench_url = _database_urls()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"registry-{options.rows}.xlsx"
    if not path.exists():
        _setup_django(bench_url)  # settings only; no query before the database exists
        log(f"Generating {options.rows:,} rows into {path} …")
        log(f"  written in {generate(options.rows, path):.1f} s ({path.stat().st_size >> 20} MB)")
    log(f"Creating database {BENCH_DB} …")
    create_database(admin_url)
    subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); "
         f"import import_people as b; b.prepare({bench_url!r})"],
        check=True,
    )  # fmt: skip

    first = run_child("import", bench_url, str(path))
    log(f"Import: {first}")
    again = run_child("import", bench_url, str(path))
    log(f"Re-import: {again}")
    copy = run_child("copy", bench_url, str(path))
    log(f"COPY baseline: {copy}")
    baseline = run_child("import-export", bench_url, "--sample", str(options.sample), str(path))
    log(f"django-import-export baseline: {baseline}")

    rows_per_s = first["rows"] / first["seconds"]
    copy_per_s = copy["rows"] / copy["seconds"]
    ie_per_s = baseline["rows"] / baseline["seconds"]
    summary = {
        "rows": first["rows"],
        "seconds": round(first["seconds"], 2),
        "rows_per_s": round(rows_per_s),
        "copy_rows_per_s": round(copy_per_s),
        "copy_in_memory_rows_per_s": round(copy["rows"] / copy["memory_seconds"]),
        "ratio_vs_copy": round(copy_per_s / rows_per_s, 2),
        "import_export_rows_per_s": round(ie_per_s),
        "speedup_vs_import_export": round(rows_per_s / ie_per_s, 1),
        "peak_rss_mb": round(first["peak_rss_mb"]),
        # CPU seconds used by the importer (both threads) and by its PostgreSQL backend: on a
        # shared machine they say what the wall time would be with two free cores (the two
        # run side by side, so about the larger of the two).
        "python_cpu_s": round(first["python_cpu_s"], 1),
        "postgres_cpu_s": round(first["postgres_cpu_s"], 1),
        "cpu_bound_rows_per_s": round(
            first["rows"] / max(first["python_cpu_s"], first["postgres_cpu_s"])
        ),
        "load_average": round(os.getloadavg()[0], 1),
        "reimport_rows_per_s": round(again["rows"] / again["seconds"]),
        "reimport_updates": again["updated"],
        "reimport_new": again["new"],
        "schools_created": first["schools_created"],
    }
    if options.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>28}: {value}")


if __name__ == "__main__":
    main()
