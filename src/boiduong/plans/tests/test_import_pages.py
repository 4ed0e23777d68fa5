"""The import pages: paste or upload, preview, confirm; the text stays on the server."""

from __future__ import annotations

import io

from docx import Document as Docx

from boiduong.plans.models import Document, ImportDraft, Plan, Programme

from . import factories


def _paste(client, text):
    return client.post("/plans/import/", {"text": text})


def test_paste_preview_confirm(world):
    client = world.client_for("cuc.ngcbqlgd")
    response = _paste(client, factories.text(factories.HANOI))
    draft = ImportDraft.objects.get(created_by=world.user("cuc.ngcbqlgd"))
    assert response["Location"] == f"/plans/import/{draft.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert "2150/KH-SGDĐT" in preview
    assert "Tháng 9-10/2021" in preview and "01/09/2021" in preview and "31/10/2021" in preview
    assert "đã có trong hệ thống" in preview  # KH 361, its legal basis
    assert not Document.objects.filter(code="2150/KH-SGDĐT").exists()
    kh361 = factories.seed_plan("361/KH-BGDĐT")
    confirmed = client.post(
        f"/plans/import/{draft.pk}/confirm/",
        {"programme": kh361.programme_id, "parent": kh361.pk, "kind": "provincial"},
    )
    plan = Plan.objects.get(document__code="2150/KH-SGDĐT")
    assert confirmed["Location"] == f"/plans/{plan.pk}/"
    assert plan.parent == kh361 and plan.tasks.count() == 3
    assert plan.document.attachments.get().name == "noi-dung-dan.txt"
    draft.refresh_from_db()
    assert draft.plan == plan
    again = client.post(
        f"/plans/import/{draft.pk}/confirm/", {"kind": "provincial"}, follow=True
    ).content.decode()
    assert "đã được nhập" in again
    assert Plan.objects.filter(document__code="2150/KH-SGDĐT").count() == 1


def test_what_is_confirmed_is_what_was_previewed(world):
    """Posting other text at confirmation changes nothing: the draft's text is imported."""
    client = world.client_for("cuc.ngcbqlgd")
    _paste(client, factories.text(factories.CAMAU))
    draft = ImportDraft.objects.get(created_by=world.user("cuc.ngcbqlgd"))
    client.post(
        f"/plans/import/{draft.pk}/confirm/",
        {"kind": "provincial", "text": factories.text(factories.HANOI)},
    )
    assert Document.objects.filter(code="87/KH-SGDĐT", is_placeholder=False).exists()
    assert not Document.objects.filter(code="2150/KH-SGDĐT").exists()


def test_another_users_draft_is_not_found(world):
    draft = factories.draft_for(world.user("admin"))
    client = world.client_for("cuc.ngcbqlgd")
    assert client.get(f"/plans/import/{draft.pk}/").status_code == 404
    assert (
        client.post(f"/plans/import/{draft.pk}/confirm/", {"kind": "thematic"}).status_code == 404
    )


def test_upload_a_docx(world):
    doc = Docx()
    for line in factories.text(factories.HANOI).split("\n"):
        if not line.startswith("|"):
            doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=6)
    header = ["STT", "Nội dung công việc", "Thời gian", "Sản phẩm", "Chủ trì", "Phối hợp"]
    row = ["1", "Rà soát danh sách", "Tháng 8/2021", "Danh sách", "Phòng GDMN", "Văn phòng Sở"]
    for index, (head, value) in enumerate(zip(header, row, strict=True)):
        table.rows[0].cells[index].text = head
        table.rows[1].cells[index].text = value
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    buffer.name = "ke-hoach-ha-noi.docx"
    client = world.client_for("cuc.ngcbqlgd")
    response = client.post("/plans/import/", {"file": buffer})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = client.get(response["Location"]).content.decode()
    assert "2150/KH-SGDĐT" in preview and "Rà soát danh sách" in preview
    draft = ImportDraft.objects.get(created_by=world.user("cuc.ngcbqlgd"))
    client.post(f"/plans/import/{draft.pk}/confirm/", {"kind": "provincial"})
    plan = Plan.objects.get(document__code="2150/KH-SGDĐT")
    attachment = plan.document.attachments.get()
    assert attachment.name == "ke-hoach-ha-noi.docx"
    download = client.get(f"/plans/documents/{plan.document_id}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_unreadable_input_is_refused_on_the_form(world):
    client = world.client_for("cuc.ngcbqlgd")
    page = _paste(client, "Hôm nay trời đẹp, chúng tôi đi dạo quanh hồ.").content.decode()
    assert "Không nhận ra văn bản hành chính" in page
    both = client.post("/plans/import/", {"text": ""}).content.decode()
    assert "một trong hai" in both
    assert not ImportDraft.objects.exists()


def test_a_decision_previews_as_a_document_and_is_imported_without_a_plan(world):
    text = (factories.DOCUMENTS.parent / "fixtures/qd_ban_chi_dao_2023.txt").read_text()
    client = world.client_for("cuc.ngcbqlgd")
    response = _paste(client, text)
    preview = client.get(response["Location"]).content.decode()
    assert "sẽ được lưu thành văn bản, không có bảng nhiệm vụ" in preview
    assert "Kiểm tra văn bản trước khi nhập" in preview
    assert "không phải kế hoạch" in preview and 'data-testid="confirm"' in preview
    assert 'data-testid="preview-tasks"' not in preview
    # a decision may be placed in the plan tree; left empty, it stays a document
    assert 'data-testid="decision-plan-help"' in preview and "id_kind" in preview
    confirmed = client.post(response["Location"] + "confirm/", {})
    document = Document.objects.get(code="1289/QĐ-BGDĐT")
    assert confirmed["Location"] == f"/plans/documents/{document.pk}/"
    assert not document.is_placeholder and not Plan.objects.filter(document=document).exists()
    assert document.attachments.get().name == "noi-dung-dan.txt"
    assert document.basis_links.count() == 3
    assert not ImportDraft.objects.exists()  # used up
    page = client.get(confirmed["Location"]).content.decode()
    assert "Đã nhập văn bản 1289/QĐ-BGDĐT" in page
    again = _paste(client, text)
    refused = client.post(again["Location"] + "confirm/", {}).content.decode()
    assert "đã có trong hệ thống" in refused
    assert Document.objects.filter(code="1289/QĐ-BGDĐT").count() == 1


def test_a_cited_decision_fills_its_placeholder_from_the_ui(world):
    text = (factories.DOCUMENTS.parent / "fixtures/qd296_bgddt_2020.txt").read_text()
    placeholder = Document.objects.get(code="296/QĐ-BGDĐT", year=2020)
    client = world.client_for("cuc.ngcbqlgd")
    response = _paste(client, text)
    preview = client.get(response["Location"]).content.decode()
    assert "Văn bản này đã được trích dẫn trước đây" in preview
    confirmed = client.post(response["Location"] + "confirm/", {})
    assert confirmed["Location"] == f"/plans/documents/{placeholder.pk}/"
    link = Document.objects.get(code="451/KH-BGDĐT").basis_links.get(cited__code="296/QĐ-BGDĐT")
    assert link.cited_id == placeholder.pk and not link.cited.is_placeholder


# --- a decision or a công văn under a programme or a parent plan --------------------------------

FIXTURES = factories.DOCUMENTS.parent / "fixtures"


def _preview(client, name):
    response = _paste(client, (FIXTURES / name).read_text())
    return response["Location"], client.get(response["Location"]).content.decode()


def test_a_decision_placed_under_a_programme_becomes_a_plan(world):
    programme = Programme.objects.get(code="gdmn-2018-2025")
    client = world.client_for("cuc.ngcbqlgd")
    location, _page = _preview(client, "qd_ban_chi_dao_2023.txt")
    confirmed = client.post(location + "confirm/", {"programme": programme.pk, "kind": ""})
    plan = Plan.objects.get(document__code="1289/QĐ-BGDĐT")
    assert confirmed["Location"] == f"/plans/documents/{plan.document_id}/"
    assert plan.programme == programme and plan.parent is None and plan.kind == "annual"
    page = client.get(confirmed["Location"]).content.decode()
    assert "Quyết định được ghi thành một kế hoạch không có bảng nhiệm vụ" in page
    assert f'href="/plans/{plan.pk}/"' in page


def test_a_decision_keeps_its_plan_when_replaced_from_the_ui(world):
    annual = Plan.objects.get(document__code="296/QĐ-BGDĐT")
    client = world.client_for("cuc.ngcbqlgd")
    location, page = _preview(client, "qd296_bgddt_2020.txt")
    assert "Kế hoạch QĐ 296/QĐ-BGDĐT gắn với văn bản này được giữ nguyên" in page
    assert 'data-testid="decision-plan-help"' not in page  # it is already in the tree
    form = {"programme": annual.programme_id, "parent": "", "kind": "annual"}  # as shown
    client.post(location + "confirm/", form)
    location, page = _preview(client, "qd296_bgddt_2020.txt")
    assert "đã có trong hệ thống" in page and "được giữ nguyên" in page
    confirmed = client.post(location + "confirm/", {**form, "replace": "on"})
    assert confirmed.status_code == 302
    kept = Plan.objects.get(document__code="296/QĐ-BGDĐT")
    assert (kept.pk, kept.programme_id, kept.parent_id, kept.kind) == (
        annual.pk,
        annual.programme_id,
        None,
        "annual",
    )
    assert Plan.objects.get(document__code="451/KH-BGDĐT").parent_id == annual.pk
    page = client.get(confirmed["Location"]).content.decode()
    assert "Đã nhập văn bản 296/QĐ-BGDĐT" in page and "được giữ nguyên" in page


def test_a_decision_under_its_own_sub_plan_is_refused_from_the_ui(world):
    annual = Plan.objects.get(document__code="296/QĐ-BGDĐT")
    child = Plan.objects.get(document__code="451/KH-BGDĐT")
    placeholder = Document.objects.get(code="296/QĐ-BGDĐT")
    client = world.client_for("cuc.ngcbqlgd")
    location, _page = _preview(client, "qd296_bgddt_2020.txt")
    refused = client.post(location + "confirm/", {"parent": child.pk, "kind": ""})
    assert refused.status_code == 200
    assert (
        "QĐ 296/QĐ-BGDĐT không thể triển khai KH 451/KH-BGDĐT: KH 451/KH-BGDĐT chính là kế "
        "hoạch đó hoặc một kế hoạch con của nó."
    ) in refused.content.decode()
    assert Document.objects.get(pk=placeholder.pk).is_placeholder
    assert Plan.objects.get(pk=annual.pk).parent_id is None
    assert ImportDraft.objects.filter(created_by=world.user("cuc.ngcbqlgd")).exists()


def test_an_official_letter_has_no_plan_fields_and_says_what_it_did_not_apply(world):
    programme = Programme.objects.get(code="gdmn-2018-2025")
    client = world.client_for("cuc.ngcbqlgd")
    location, page = _preview(client, "cv5807_bgddt_cntt.txt")
    assert "id_kind" not in page and "id_programme" not in page
    confirmed = client.post(location + "confirm/", {"programme": programme.pk})
    document = Document.objects.get(code="5807/BGDĐT-CNTT")
    assert not Plan.objects.filter(document=document).exists()
    page = client.get(confirmed["Location"]).content.decode()
    assert "Không áp dụng: Đề án gdmn-2018-2025. Văn bản này là công văn" in page
