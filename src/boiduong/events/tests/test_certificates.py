"""Certificates: numbering, the verification code (valid / revoked / superseded / altered /
unknown) on the page and the API, the PDF's text, the bulk job's ZIP, templates."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from boiduong.core import jobs
from boiduong.core.models import Job
from boiduong.events import services
from boiduong.events.certificates import (
    certificate_text,
    check_placeholders,
    number_from_code,
    render_pdf,
    verification_code,
)
from boiduong.events.choices import CertificateStatus, Outcome
from boiduong.events.models import Certificate, Course
from boiduong.events.tasks import CERTIFICATES_JOB

from . import factories as f


def _mb():
    return Course.objects.get(code="361-MB")


def _valid():
    return Certificate.objects.filter(course__code="361-MB", status="valid").order_by("serial")[0]


def test_numbers_run_per_course_without_gaps(world):
    numbers = list(_mb().certificates.order_by("serial").values_list("number", flat=True))
    assert numbers[0] == "361-MB-0001"
    assert numbers == [f"361-MB-{i:04d}" for i in range(1, len(numbers) + 1)]


def test_the_code_carries_the_number_and_rejects_any_change():
    code = verification_code("361-MB-0001")
    assert code.startswith("361-MB-0001-") and number_from_code(code) == "361-MB-0001"
    assert number_from_code(code.lower()) == "361-MB-0001"  # typed in lower case
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert number_from_code(altered) is None
    forged = "361-MB-0002-" + code.rsplit("-", 1)[1]  # a real signature on another number
    assert number_from_code(forged) is None
    assert number_from_code("") is None and number_from_code("abc") is None


def test_public_page_shows_valid_revoked_and_superseded(world):
    client = world.client_for(None)
    valid = _valid()
    page = client.get(valid.verify_path)
    assert page.status_code == 200
    assert 'data-status="valid"' in page.content.decode()
    assert valid.holder_name in page.content.decode()

    revoked = Certificate.objects.get(course__code="361-MB", status="revoked")
    text = client.get(revoked.verify_path).content.decode()
    assert 'data-status="revoked"' in text and revoked.revoke_reason in text
    assert revoked.revoked_at.strftime("%d/%m/%Y") in text

    superseded = Certificate.objects.get(course__code="361-MB", status="superseded")
    text = client.get(superseded.verify_path).content.decode()
    assert 'data-status="superseded"' in text and superseded.superseded_by.number in text


def test_altered_and_unknown_codes_are_404(world):
    client = world.client_for(None)
    code = _valid().code
    altered = code[:-2] + ("ZZ" if not code.endswith("ZZ") else "YY")
    for bad in (altered, "361-MB-9999-" + "A" * 12, "khong-phai-ma"):
        response = client.get(f"/verify/{bad}/")
        assert response.status_code == 404
        assert 'data-status="invalid"' in response.content.decode()
    assert client.get("/verify/", {"code": code.lower()}).status_code == 302


def test_verification_api_is_public_and_answers_status(world):
    client = world.client_for(None)
    valid = _valid()
    data = client.get(f"/api/certificates/verify/{valid.code}/").json()
    assert data["status"] == "valid" and data["number"] == valid.number
    revoked = Certificate.objects.get(course__code="361-MB", status="revoked")
    data = client.get(f"/api/certificates/verify/{revoked.code}/").json()
    assert data["status"] == "revoked" and data["revoke_reason"] == revoked.revoke_reason
    assert client.get(f"/api/certificates/verify/{valid.code[:-1]}X/").status_code == 404
    assert client.get("/api/certificates/verify/361-MB-0404-AAAAAAAAAAAA/").status_code == 404


def test_certificate_list_api_is_scoped_and_filters_by_status(world):
    hanoi = world.client_for("so.hanoi").get("/api/certificates/?status=valid").json()
    assert hanoi["count"] >= 1
    assert all(row["status"] == "valid" for row in hanoi["results"])
    assert all(number_from_code(row["code"]) == row["number"] for row in hanoi["results"])
    every = world.client_for("cuc.ngcbqlgd").get("/api/certificates/").json()["count"]
    assert every > world.client_for("so.hanoi").get("/api/certificates/").json()["count"]
    revoked = world.client_for("cuc.ngcbqlgd").get("/api/certificates/?status=revoked").json()
    assert [row["status"] for row in revoked["results"]] == ["revoked"]
    assert world.client_for("so.camau").get("/api/certificates/").json()["count"] == 0


def test_revocation_is_a_state_with_reason_never_a_deletion(world):
    ministry = world.user("cuc.ngcbqlgd")
    certificate = _valid()
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=ministry, certificate=certificate, reason=" ")
    services.certificate_revoke(actor=ministry, certificate=certificate, reason="Cấp nhầm người")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoked_by == ministry
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=ministry, certificate=certificate, reason="Lần hai")


def test_revoking_through_the_page(world):
    certificate = _valid()
    client = world.client_for("cuc.ngcbqlgd")
    response = client.post(
        f"/events/certificates/{certificate.pk}/act/",
        {"action": "revoke", "reason": "Hồ sơ không hợp lệ"},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert world.client_for("so.hanoi").post(
        f"/events/certificates/{certificate.pk}/act/", {"action": "revoke", "reason": "x"}
    ).status_code in {403, 404}


def _text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_prints_the_holder_course_result_and_code_in_vietnamese(world):
    certificate = _valid()
    client = world.client_for("so.hanoi")
    response = client.get(f"/events/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text_of(response.content)
    assert certificate.holder_name in text
    assert "GIẤY CHỨNG NHẬN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Kết quả: Đạt" in text and certificate.number in text
    assert certificate.code in text and "19/07/2021 – 23/07/2021" in text


def test_bulk_generation_issues_numbers_and_zips_every_valid_certificate(
    world, django_capture_on_commit_callbacks
):
    ministry = world.user("cuc.ngcbqlgd")
    course = f.course(capacity=10, days=2, days_required=2)
    quota = f.quota(course, seats=5)
    people = [f.person(email=f"hv{i}@example.vn") for i in range(3)]
    for person in people:
        nomination = services.nomination_nominate(actor=None, quota=quota, person=person)
        nomination = services.nomination_confirm(actor=ministry, nomination=nomination)
        for day in (1, 2):
            services.attendance_set(actor=None, nomination=nomination, day=day, is_present=True)
        services.result_record(actor=None, nomination=nomination, outcome=Outcome.PASSED)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            user=ministry,
            kind=CERTIFICATES_JOB,
            title="GCN",
            params={"course": course.pk, "base_url": "https://boiduong.example/"},
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.result["issued"] == 3 and job.result["rendered"] == 3
    names = zipfile.ZipFile(job.result_file.open("rb")).namelist()
    assert names == [f"{course.code}-000{i}.pdf" for i in (1, 2, 3)]
    pdf = zipfile.ZipFile(job.result_file.open("rb")).read(names[0])
    assert "https://boiduong.example/verify/" in _text_of(pdf)
    assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in people]
    # A second run issues nothing new and keeps the numbers.
    again = services.certificates_issue(actor=ministry, course=course)
    assert again == [] and course.certificates.count() == 3


def test_a_failed_participant_gets_no_certificate(world):
    mb = _mb()
    failed = mb.nominations.filter(result__outcome=Outcome.FAILED)
    assert failed.exists()
    assert not Certificate.objects.filter(nomination__in=failed).exists()


def test_the_job_page_polls_a_progress_bar(world, django_capture_on_commit_callbacks):
    client = world.client_for("cuc.ngcbqlgd")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/events/{_mb().pk}/certificates/generate/")
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and 'data-status="succeeded"' in page


def test_template_placeholders_are_checked():
    check_placeholders("Chứng nhận {holder} — {course} ({dates}): {result}")
    with pytest.raises(ValidationError):
        check_placeholders("Chứng nhận {ho_ten}")
    with pytest.raises(ValidationError):
        check_placeholders("Chứng nhận {holder")


def test_templates_are_edited_by_certificate_managers_and_used(world):
    client = world.client_for("cuc.ngcbqlgd")
    response = client.post(
        "/events/templates/new/",
        {
            "name": "Mẫu riêng",
            "issuer": "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
            "title": "CHỨNG CHỈ",
            "body": "Cấp cho {holder}\nĐã học {course}\nXếp loại: {result}",
            "place": "Hà Nội",
            "signer_title": "CỤC TRƯỞNG",
            "signer_name": "Nguyễn Văn Ký",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        "/events/templates/new/",
        {
            "name": "Sai",
            "issuer": "B",
            "title": "T",
            "body": "{sai}",
            "place": "HN",
            "signer_title": "X",
            "signer_name": "Y",
        },  # fmt: skip
    )
    assert bad.status_code == 200 and "{sai}" in bad.content.decode()
    from boiduong.events.models import CertificateTemplate

    template = CertificateTemplate.objects.get(name="Mẫu riêng")
    certificate = _valid()
    certificate.template = template
    text = _text_of(render_pdf([certificate_text(certificate, base_url="http://x/")]))
    assert "CHỨNG CHỈ" in text and f"Cấp cho {certificate.holder_name}" in text
    preview = client.get(f"/events/templates/{template.pk}/preview/")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert world.client_for("so.hanoi").get("/events/templates/").status_code == 403
