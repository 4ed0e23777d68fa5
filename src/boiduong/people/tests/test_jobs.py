"""The import as a user runs it: upload, preview, confirm, background job; all or nothing."""

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from boiduong.core.models import AuditEvent, Job
from boiduong.orgs.models import OrgUnit
from boiduong.people import importing
from boiduong.people.models import CoreStaffStatus, Person, ProfessionalRating

from .files import person, xlsx


def _upload(client, path):
    with open(path, "rb") as handle:
        return client.post("/people/import/", {"file": handle})


def _state():
    return (
        Person.objects.count(),
        ProfessionalRating.objects.count(),
        CoreStaffStatus.objects.count(),
        OrgUnit.objects.count(),
        sorted(Person.objects.values_list("national_id", "phone")),
    )


def test_upload_preview_confirm_and_job(world, tmp_path, django_capture_on_commit_callbacks):
    client = world.client_for("so.hanoi")
    rows = [person(i, school="Trường Mầm non Ngôi Sao") for i in range(1, 4)]
    response = _upload(client, xlsx(tmp_path / "ds.xlsx", rows))
    preview = Job.objects.filter(kind="people.import").latest("pk")
    assert response["Location"] == f"/people/import/{preview.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="new">3<' in page and 'data-testid="confirm-import"' in page
    assert not Person.objects.filter(national_id="001189000001").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/people/import/{preview.pk}/confirm/")
    job = Job.objects.latest("pk")
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.result["new"] == 3 and job.result["committed"]
    assert job.result["next_url"] == f"/people/import/{job.pk}/"
    assert Person.objects.filter(national_id__in=["001189000001", "001189000003"]).count() == 2
    events = AuditEvent.objects.filter(object_id=str(job.pk), content_type__model="job")
    assert events.count() == 1 and events.get().changes["new"] == [None, 3]
    done = client.get(job.result["next_url"]).content.decode()
    assert 'data-testid="see-people"' in done


def test_preview_with_errors_offers_the_report_not_the_import(world, tmp_path):
    client = world.client_for("so.hanoi")
    rows = [person(1), person(2, id="12"), person(3, born="30/02/1991")]
    response = _upload(client, xlsx(tmp_path / "ds.xlsx", rows))
    page = client.get(response["Location"]).content.decode()
    assert "confirm-import" not in page and 'data-count="errors">2<' in page
    assert "ngày không có thật" in page
    job = Job.objects.latest("pk")
    report = client.get(f"/jobs/{job.pk}/download/")
    assert report.status_code == 200 and report["Content-Disposition"].endswith('.xlsx"')
    assert client.post(f"/people/import/{job.pk}/confirm/").status_code == 302
    assert Job.objects.latest("pk") == job  # nothing started


def test_large_files_are_checked_in_the_background(
    world, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("boiduong.people.services.SYNC_PREVIEW_MAX_BYTES", 10)
    client = world.client_for("so.hanoi")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, xlsx(tmp_path / "ds.xlsx", [person(1)]))
    job = Job.objects.latest("pk")
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["dry_run"]


def test_someone_elses_import_is_not_found(world, tmp_path):
    response = _upload(world.client_for("so.hanoi"), xlsx(tmp_path / "ds.xlsx", [person(1)]))
    assert world.client_for("so.camau").get(response["Location"]).status_code == 404


def _die_at(stage_name, *, after_rows=0):
    def checkpoint(stage, rows):
        if stage == stage_name and rows >= after_rows:
            raise RuntimeError(f"worker killed at {stage}")

    return checkpoint


@pytest.mark.parametrize("stage", ["rows", "schools", "inserted", "facts"])
def test_a_job_that_dies_midway_leaves_the_database_as_it_was(world, tmp_path, monkeypatch, stage):
    """Whatever step the worker dies at — reading, after the new schools, after the persons
    were written, between the facts — nothing of the import remains (SQLite and PostgreSQL)."""
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    first = xlsx(tmp_path / "a.xlsx", [person(1), person(2)])
    importing.people_import(actor=None, path=str(first), dry_run=False)
    before = _state()
    rows = [person(1, phone="0900000000", core="GV cốt cán")] + [
        person(n, school="Trường Mầm non Mới Mở") for n in range(3, 9)
    ]
    path = xlsx(tmp_path / "b.xlsx", rows)
    monkeypatch.setattr(importing, "_checkpoint", _die_at(stage, after_rows=4))
    job = Job.objects.create(
        kind="people.import",
        title="t",
        params={"dry_run": False, "filename": "b.xlsx"},
        created_by=world.user("so.hanoi"),
    )
    with open(path, "rb") as handle:
        job.input_file.save("b.xlsx", File(handle))
    from boiduong.core.jobs import execute

    execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and f"killed at {stage}" in job.message
    assert _state() == before
    with connection.cursor() as cursor:  # the staging tables went with the transaction
        tables = connection.introspection.table_names(cursor)
    assert "people_import_stage" not in tables


def test_uploading_something_that_is_not_a_file_is_refused(world):
    client = world.client_for("so.hanoi")
    empty = SimpleUploadedFile("rong.xlsx", b"")
    response = client.post("/people/import/", {"file": empty})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
