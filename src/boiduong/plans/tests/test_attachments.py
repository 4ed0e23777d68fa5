"""Files kept with a document: upload (type, content and size checked), list, download through
the access layer, removal with a reason — all recorded in the document's history."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from boiduong.core import audit
from boiduong.plans import services
from boiduong.plans.models import Attachment

from . import factories

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
XLSX = b"PK\x03\x04" + b"\x00" * 64


def _upload(client, document, name: str, data: bytes):
    return client.post(
        f"/plans/documents/{document.pk}/attachments/",
        {"file": SimpleUploadedFile(name, data)},
    )


def test_upload_list_download_and_remove(world, django_capture_on_commit_callbacks):
    document = factories.hanoi_plan().document
    client = world.client_for("cuc.ngcbqlgd")
    page = client.get(document.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-upload"' in page
    response = _upload(client, document, "Bản ký số KH 2150.pdf", PDF)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    attachment = document.attachments.get(is_source=False)
    assert attachment.name == "Bản_ký_số_KH_2150.pdf"
    stored = Path(attachment.file.path)
    assert stored.is_file() and Path(settings.MEDIA_ROOT) in stored.parents
    assert audit.history(document).first().changes == {"attachment": [None, attachment.name]}

    page = world.client_for("so.hanoi").get(document.get_absolute_url()).content.decode()
    assert attachment.name in page and 'data-testid="attachment-delete"' not in page
    download = world.client_for("so.hanoi").get(
        f"/plans/documents/{document.pk}/attachments/{attachment.pk}/"
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment;" in download["Content-Disposition"]
    assert (
        world.client_for("so.camau")
        .get(f"/plans/documents/{document.pk}/attachments/{attachment.pk}/")
        .status_code
        == 404
    )

    delete = f"/plans/documents/{document.pk}/attachments/{attachment.pk}/delete/"
    client.post(delete, {"reason": ""})
    assert Attachment.objects.filter(pk=attachment.pk).exists()  # a reason is needed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete, {"reason": "Tải nhầm tệp."})
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()
    event = audit.history(document).first()
    assert event.reason == "Tải nhầm tệp."
    assert event.changes == {"attachment": [attachment.name, None]}


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("virus.exe", b"MZ\x90\x00", "không đính kèm được"),
        ("renamed.pdf", b"MZ\x90\x00", "không phải"),
        ("empty.pdf", b"", "rỗng"),
        ("table.xlsx", b"not a zip", "không phải"),
    ],
)
def test_refused_files(world, name, data, message):
    document = factories.hanoi_plan().document
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=None, document=document, name=name, data=data)
    assert message in " ".join(error.value.messages)
    assert document.attachments.count() == 1  # only the imported source


def test_size_limit_and_safe_names(world, monkeypatch):
    document = factories.hanoi_plan().document
    monkeypatch.setattr(services, "ATTACHMENT_MAX_BYTES", 1000)
    client = world.client_for("cuc.ngcbqlgd")
    response = _upload(client, document, "big.pdf", PDF + b" " * 2000)
    assert response.status_code == 302
    assert document.attachments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "20 MB" in page
    attachment = services.attachment_add(
        actor=None, document=document, name="../../etc/Danh sách.xlsx", data=XLSX
    )
    assert attachment.name == "Danh_sách.xlsx"
    assert attachment.file.name.startswith("plans/attachments/")
    assert ".." not in attachment.file.name


def test_the_imported_source_file_is_kept(world):
    source = factories.hanoi_plan().document.attachments.get(is_source=True)
    with pytest.raises(services.AttachmentDeleteError):
        services.attachment_delete(actor=None, attachment=source, reason="Thử.")
    client = world.client_for("cuc.ngcbqlgd")
    client.post(
        f"/plans/documents/{source.document_id}/attachments/{source.pk}/delete/",
        {"reason": "Thử."},
    )
    assert Attachment.objects.filter(pk=source.pk).exists()


def test_uploads_are_scoped_and_need_documents_manage(world):
    from boiduong.accounts.models import RoleAssignment, User
    from boiduong.accounts.roles import Role

    hanoi, camau = factories.hanoi_plan().document, factories.camau_plan().document
    assert _upload(world.client_for("so.hanoi"), hanoi, "a.pdf", PDF).status_code == 403
    user = User.objects.create(username="quanly.hanoi", full_name="Quản lý Hà Nội")
    RoleAssignment.objects.create(
        user=user, role=Role.MINISTRY_OFFICER, org_unit=world.unit("SGD01-2025")
    )
    manager = world.client_for(None)
    manager.force_login(user)
    assert _upload(manager, camau, "a.pdf", PDF).status_code == 404
    assert camau.attachments.count() == 1
    assert _upload(manager, hanoi, "a.pdf", PDF).status_code == 302
    assert hanoi.attachments.count() == 2


def test_a_missing_file_is_not_found_and_the_page_still_opens(world):
    document = factories.hanoi_plan().document
    attachment = services.attachment_add(actor=None, document=document, name="a.pdf", data=PDF)
    attachment.file.storage.delete(attachment.file.name)
    client = world.client_for("so.hanoi")
    url = f"/plans/documents/{document.pk}/attachments/{attachment.pk}/"
    assert client.get(url).status_code == 404
    page = client.get(document.get_absolute_url())
    assert page.status_code == 200 and "không còn tệp" in page.content.decode()
