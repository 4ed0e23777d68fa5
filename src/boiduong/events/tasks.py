"""Background job: issue a course's certificates and render them, one PDF each, into a ZIP."""

from __future__ import annotations

import io
import zipfile

from celery import shared_task
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core import jobs
from boiduong.core.models import Job

from . import notify, services
from .certificates import certificate_text, render_pdf
from .choices import CertificateStatus
from .models import Certificate, Course

CERTIFICATES_JOB = "events.certificates"


def render_zip(certificates, *, base_url: str, progress=None) -> bytes:
    """A ZIP with one PDF per certificate, named by its number."""
    buffer = io.BytesIO()
    total = len(certificates)
    # The PDFs are compressed already; storing them saves time and no space.
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for index, certificate in enumerate(certificates, start=1):
            pdf = render_pdf([certificate_text(certificate, base_url=base_url)])
            archive.writestr(f"{certificate.number}.pdf", pdf)
            if progress is not None:
                progress(index, total)
    return buffer.getvalue()


@jobs.register(
    CERTIFICATES_JOB,
    label=_("Generate certificates"),
    restart=lambda job: reverse("events:certificate_list", args=[job.params["course"]]),
)
def run_certificates(job: Job, progress: jobs.Progress) -> dict:
    """Issue the missing certificates of a course (numbered, audited), then render every valid
    certificate of the course into a ZIP; holders are e-mailed once the job commits."""
    course = Course.objects.select_related("certificate_template").get(pk=job.params["course"])
    base_url = job.params.get("base_url") or ""
    progress.update(0, 1, "Đang cấp số giấy chứng nhận…")
    issued = services.certificates_issue(actor=job.created_by, course=course)
    certificates = list(
        Certificate.objects.filter(course=course, status=CertificateStatus.VALID)
        .select_related("course", "template", "nomination__result", "nomination__person")
        .order_by("serial")
    )

    def step(done: int, total: int) -> None:
        progress.update(done, total, f"Đã tạo {done}/{total} giấy chứng nhận")

    archive = render_zip(certificates, base_url=base_url, progress=step)
    job.result_file.save(f"giay-chung-nhan-{course.code}.zip", ContentFile(archive))
    notify.certificates_issued(
        [c for c in certificates if c.pk in {i.pk for i in issued}], base_url=base_url
    )
    return {
        "message": (
            f"Đã cấp {len(issued)} giấy chứng nhận mới; tệp ZIP có {len(certificates)} giấy."
        ),
        "issued": len(issued),
        "rendered": len(certificates),
        "next_url": reverse("events:certificate_list", args=[course.pk]),
    }


@shared_task(name="events.send_reminders")
def send_reminders() -> int:
    """Celery beat runs this every hour; each department is reminded at most once a day."""
    return services.reminders_send()
