"""Benchmark: issue and render 600 certificates (the bulk job of issue 5), against a baseline.

    .venv/bin/python bench/certificates.py --count 600 --json

It builds a scratch database (SQLite in a temporary folder by default; pass --database-url to
use another), loads the reference data, creates one course with `--count` participants who
passed, and then, in the same run:

1. the real job: `events.tasks.run_certificates` through `core.jobs.execute` — numbers and issues
   every certificate (one audited batch), renders each to its own PDF (the Times New Roman
   compatible serif with every Vietnamese glyph, the national header, the template's body,
   the signature block and a vector QR code to the verification page) and stores the ZIP;
2. the baseline: the same number of one-page PDFs, each with the same lines of text in the
   same font drawn with `drawString` (no layout, no QR code, no database), zipped the same way.

Prints certificates/s and seconds for both, and with --json a last line
{"certificates", "seconds", "per_s", "ratio_vs_bare", ...}. The issue asks for 600 in ≤ 30 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def setup(database_url: str | None) -> Path:
    scratch = Path(tempfile.mkdtemp(prefix="boiduong-bench-certificates-"))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boiduong.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = scratch / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # 600 mails: not shown
    call_command("migrate", verbosity=0)
    from boiduong.orgs.services import load_reference_data

    load_reference_data()
    return scratch


def participants(count: int):
    """One course of `count` confirmed participants rated đạt with full attendance, written
    with bulk_create (the set-up is not what is measured)."""
    from boiduong.events import rules, services
    from boiduong.events.choices import NominationStatus, Outcome
    from boiduong.events.demo import MODULES, TITLE, _template
    from boiduong.events.models import Attendance, Nomination, Quota, Result
    from boiduong.orgs.models import OrgUnit, Region
    from boiduong.people.models import Person
    from boiduong.people.sample import RegistryGenerator

    template = _template(log)
    course = services.course_create(
        actor=None,
        code="361-MB",
        title=f"{TITLE} — miền Bắc",
        owner=OrgUnit.objects.get(code="NGCBQLGD"),
        region=Region.objects.get(code="mien-bac"),
        starts_on=dt.date(2021, 7, 19),
        ends_on=dt.date(2021, 7, 23),
        is_tentative=False,
        venue="Trường Đại học Sư phạm Hà Nội, 136 Xuân Thủy, Cầu Giấy, Hà Nội",
        capacity=count,
        eligibility_rule=dict(rules.KH361_RULE),
        modules=MODULES,
    )
    services.course_update(actor=None, course=course, certificate_template=template)
    department = OrgUnit.objects.get(code="SGD01")
    school = OrgUnit(
        kind="school",
        name="Trường Mầm non Hoa Sen",
        parent=department,
        province=department.province,
    )
    school.save()
    quota = Quota.objects.create(
        course=course, department=department, audience="gv_cot_can", seats=count, seats_held=count
    )
    type(course).objects.filter(pk=course.pk).update(seats_held=count)
    generator = RegistryGenerator(seed=600, provinces={"01": "Thành phố Hà Nội"})
    people = []
    for number, row in enumerate(generator.rows(count), start=1):
        person = Person(
            national_id=f"0011{number:08d}",
            full_name=row[1],
            birth_date=row[3],
            email=row[5],
            workplace=school,
        )
        person.sort_key = person.full_name
        people.append(person)
    Person.objects.bulk_create(people)
    people = list(Person.objects.filter(workplace=school).order_by("id"))
    Nomination.objects.bulk_create(
        [
            Nomination(
                course=course,
                quota=quota,
                department=department,
                person=p,
                audience="gv_cot_can",
                status=NominationStatus.CONFIRMED,
                is_eligible=True,
            )
            for p in people
        ]
    )
    nominations = list(Nomination.objects.filter(course=course))
    Attendance.objects.bulk_create(
        [Attendance(nomination=n, day=d) for n in nominations for d in range(1, 6)]
    )
    Result.objects.bulk_create(
        [Result(nomination=n, outcome=Outcome.PASSED, score=8) for n in nominations]
    )
    return course


def run_job(course) -> tuple[float, int, int]:
    from boiduong.core import jobs
    from boiduong.core.models import Job
    from boiduong.events.tasks import CERTIFICATES_JOB

    job = Job.objects.create(
        kind=CERTIFICATES_JOB,
        title="Bench",
        params={"course": course.pk, "base_url": "https://boiduong.moet.gov.vn/"},
    )
    started = time.perf_counter()
    jobs.execute(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != Job.Status.SUCCEEDED:
        raise SystemExit(f"The job failed: {job.message}\n{job.log}")
    with job.result_file.open("rb") as handle:
        size = len(handle.read())
    return seconds, job.result["rendered"], size


def bare_baseline(course, count: int) -> tuple[float, int]:
    """The same lines of text in the same font, one bare page per PDF, zipped."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from boiduong.events.certificates import faces
    from boiduong.events.models import Certificate

    f = faces()
    lines = []
    for certificate in Certificate.objects.filter(course=course).select_related("course")[:count]:
        lines.append(
            [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "GIẤY CHỨNG NHẬN",
                f"Chứng nhận: {certificate.holder_name}",
                f"Đơn vị công tác: {certificate.holder_workplace}",
                f"Đã hoàn thành chương trình {course.title[:90]}",
                f"Thời gian: {course.dates_label}, tại {course.venue}",
                "Kết quả: Đạt",
                f"Số: {certificate.number}  Mã tra cứu: {certificate.code}",
            ]
        )
    started = time.perf_counter()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for index, text in enumerate(lines):
            pdf = io.BytesIO()
            canvas = Canvas(pdf, pagesize=landscape(A4), pageCompression=1)
            y = 520
            for line in text:
                canvas.setFont(f.regular, 14)
                canvas.drawString(60, y, line)
                y -= 26
            canvas.showPage()
            canvas.save()
            archive.writestr(f"{index:04d}.pdf", pdf.getvalue())
    return time.perf_counter() - started, len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folder (ZIP, DB).")
    args = parser.parse_args()

    log("Preparing a scratch database…")
    scratch = setup(args.database_url)
    course = participants(args.count)
    from boiduong.events.certificates import faces

    faces()  # register the font once, outside both timings
    log(f"Issuing and rendering {args.count} certificates (the real job)…")
    seconds, rendered, zip_bytes = run_job(course)
    log("Baseline: bare pages with the same text…")
    bare_seconds, bare_bytes = bare_baseline(course, rendered)
    per_s = rendered / seconds
    result = {
        "certificates": rendered,
        "seconds": round(seconds, 2),
        "per_s": round(per_s, 1),
        "ratio_vs_bare": round(seconds / bare_seconds, 2),
        "bare_seconds": round(bare_seconds, 2),
        "bare_per_s": round(rendered / bare_seconds, 1),
        "zip_mb": round(zip_bytes / 1e6, 2),
        "bare_zip_mb": round(bare_bytes / 1e6, 2),
        "target_seconds": 30,
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
    }
    print(
        f"certificates: {rendered} in {seconds:.2f} s ({per_s:.1f}/s); "
        f"bare reportlab pages: {bare_seconds:.2f} s ({rendered / bare_seconds:.1f}/s); "
        f"ratio {seconds / bare_seconds:.2f}x; ZIP {zip_bytes / 1e6:.1f} MB"
    )
    print("within the 30 s target" if seconds <= 30 else "SLOWER than the 30 s target")
    if args.keep:
        log(f"Scratch folder kept: {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
