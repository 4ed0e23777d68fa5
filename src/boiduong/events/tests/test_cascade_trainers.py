"""A cascade trainer whose national certificate is revoked is flagged, not removed
(KH 361/KH-BGDĐT §V.5: the trainers are core staff certified nationally)."""

from django.core import mail

from boiduong.core.models import AuditEvent
from boiduong.events import selectors, services
from boiduong.events.choices import CertificateStatus, StaffRole
from boiduong.events.models import Certificate, Course, StaffMember


def _trainer_and_certificate():
    cascade = Course.objects.get(code="361-MB-HN1")
    member = cascade.staff.filter(role=StaffRole.REPORTER, person__isnull=False).first()
    certificate = Certificate.objects.get(
        course=cascade.parent, nomination__person=member.person, status=CertificateStatus.VALID
    )
    return cascade, member, certificate


def test_revoking_flags_the_cascade_keeps_the_trainer_and_tells_the_department(
    world, django_capture_on_commit_callbacks
):
    cascade, member, certificate = _trainer_and_certificate()
    officer = world.user("so.hanoi")
    officer.email = "so.hanoi@hanoi.edu.vn"
    officer.save()
    hanoi = world.client_for("so.hanoi")
    before = hanoi.get(cascade.get_absolute_url()).content.decode()
    assert 'data-testid="revoked-trainer"' not in before

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("cuc.ngcbqlgd").post(
            f"/events/certificates/{certificate.pk}/act/",
            {"action": "revoke", "reason": "Hồ sơ cử không đúng đối tượng"},
            follow=True,
        )
    assert "361-MB-HN1" in response.content.decode()  # the ministry is told where they train
    assert StaffMember.objects.filter(pk=member.pk).exists()
    page = hanoi.get(cascade.get_absolute_url()).content.decode()
    assert 'data-testid="revoked-trainer"' in page
    assert member.full_name in page and certificate.number in page
    assert "Hồ sơ cử không đúng đối tượng" in page
    flagged = AuditEvent.objects.filter(
        object_id=str(cascade.pk), reason__contains=certificate.number
    )
    assert flagged.exists()
    told = [m for m in mail.outbox if "báo cáo viên" in m.subject and "361-MB-HN1" in m.subject]
    assert told and told[0].to == ["so.hanoi@hanoi.edu.vn"]


def test_a_replacement_certificate_clears_the_flag(world):
    cascade, member, certificate = _trainer_and_certificate()
    services.certificate_revoke(actor=None, certificate=certificate, reason="Sai thông tin")
    assert [w["member"] for w in selectors.revoked_trainers(cascade)] == [member]
    services.certificates_issue(actor=None, course=cascade.parent)  # a valid one again
    assert selectors.revoked_trainers(cascade) == []


def test_revoking_someone_who_trains_nowhere_flags_nothing(world):
    national = Course.objects.get(code="361-MB")
    trainers = StaffMember.objects.filter(course__parent=national).values("person")
    certificate = (
        Certificate.objects.filter(course=national, status=CertificateStatus.VALID)
        .exclude(nomination__person__in=trainers)
        .first()
    )
    before = AuditEvent.objects.count()
    services.certificate_revoke(actor=None, certificate=certificate, reason="Sai thông tin")
    assert services.cascades_trained_by(certificate) == []
    assert AuditEvent.objects.count() == before + 1  # the certificate's own record only
