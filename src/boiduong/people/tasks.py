"""The background job that checks or imports a registry file."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core import audit, jobs
from boiduong.core.models import AuditEvent, Job

from .importing import ImportOutcome, people_import
from .services import IMPORT_JOB
from .workbooks import error_report_xlsx


def _message(outcome: ImportOutcome) -> str:
    if outcome.file_errors:
        return outcome.file_errors[0]
    counts = (
        f"{outcome.rows} dòng: {outcome.new} mới, {outcome.updated} cập nhật, "
        f"{outcome.unchanged} không đổi, {outcome.error_rows} lỗi"
    )
    if outcome.committed:
        return f"Đã nhập {counts}."
    if outcome.error_rows:
        return f"Chưa nhập gì: {counts}. Hãy sửa các dòng lỗi rồi tải lên lại."
    return f"Kiểm tra xong {counts}."


def _start_again(job: Job) -> str:
    """A failed check starts again at the upload form; a failed import at the checked file,
    which can be imported again (the failure changed nothing)."""
    preview = job.params.get("preview")
    if preview and not job.params.get("dry_run", True):
        return reverse("people:import_detail", args=[preview])
    return reverse("people:import")


@jobs.register(IMPORT_JOB, label=_("Import people"), restart=_start_again)
def run_import(job: Job, progress: jobs.Progress) -> dict:
    """Check (dry run) or import the job's file; keep an error report; audit a real import
    with one record for the whole file."""
    outcome = people_import(
        actor=job.created_by,
        path=job.input_file.path,
        filename=job.params.get("filename", ""),
        dry_run=bool(job.params.get("dry_run", True)),
        progress=progress.update,
    )
    if outcome.issues or outcome.file_errors:
        job.result_file.save("bao-cao-loi.xlsx", ContentFile(error_report_xlsx(outcome)))
    if outcome.committed:
        audit.record(
            actor=job.created_by,
            instance=job,
            action=AuditEvent.Action.OTHER,
            changes={
                key: [None, value]
                for key, value in outcome.as_result().items()
                if key in {"rows", "new", "updated", "unchanged", "schools_created"}
            },
            reason=f"Nhập danh sách nhân sự từ {job.params.get('filename', '')}",
        )
    result = outcome.as_result()
    result["message"] = _message(outcome)
    result["next_url"] = reverse("people:import_detail", args=[job.pk])
    return result
