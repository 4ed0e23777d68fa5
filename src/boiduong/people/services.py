"""Writes to the people registry. Every one is audited; a bulk import writes one audit record
for the whole job (see `tasks.run_import`), not one per row."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from boiduong.core import audit, jobs
from boiduong.core.models import AuditEvent, Job

from .models import Person

IMPORT_JOB = "people.import"
SYNC_PREVIEW_MAX_BYTES = 1024 * 1024  # about 15,000 rows: checked while the user waits


@transaction.atomic
def person_reveal_national_id(*, actor, person: Person, reason: str = "") -> str:
    """Show one person's full national ID and log who saw it (Nghị định 13/2023/NĐ-CP, Điều 9:
    processing of personal data is recorded). The caller has checked the permission."""
    audit.record(
        actor=actor,
        instance=person,
        action=AuditEvent.Action.REVEAL,
        changes={"national_id": ["••••", "revealed"]},
        reason=reason,
    )
    return person.national_id


@transaction.atomic
def person_link_user(*, actor, person: Person, user) -> Person:
    """Link a person to the login they use (a teacher who signs in to see her courses)."""
    person.user = user
    return audit.save(actor=actor, instance=person, reason=_("Linked to a login"))


def people_import_start(*, actor, upload: UploadedFile) -> Job:
    """Store an uploaded file and check it (a dry run). Small files are checked at once, in
    the request; larger ones in the background. Either way the preview is the job's result."""
    filename = upload.name or "danh-sach"
    job = Job(
        kind=IMPORT_JOB,
        title=f"Kiểm tra danh sách nhân sự: {filename}",
        params={"dry_run": True, "filename": filename},
        created_by=actor,
    )
    job.input_file.save(filename, upload, save=False)
    if (upload.size or 0) <= SYNC_PREVIEW_MAX_BYTES:
        job.save()
        jobs.execute(job.pk)
        job.refresh_from_db()
        return job
    return jobs.job_start(
        user=actor,
        kind=IMPORT_JOB,
        title=job.title,
        params=job.params,
        input_file=job.input_file,
    )


def people_import_confirm(*, actor, preview: Job) -> Job:
    """Import the file a preview checked, in the background, all or nothing."""
    result = preview.result or {}
    checked = preview.status == Job.Status.SUCCEEDED and preview.params.get("dry_run")
    if preview.kind != IMPORT_JOB or not checked:
        raise ValueError("Only a checked file (a preview) can be imported.")
    if result.get("error_rows") or result.get("file_errors") or not result.get("rows"):
        raise ValueError("A file with errors cannot be imported; fix it and upload it again.")
    filename = preview.params.get("filename", "")
    return jobs.job_start(
        user=actor,
        kind=IMPORT_JOB,
        title=f"Nhập danh sách nhân sự: {filename}",
        params={"dry_run": False, "filename": filename, "preview": preview.pk},
        input_file=preview.input_file.name,
    )
