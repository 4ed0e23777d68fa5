"""Editing in the UI: document metadata, plan parts and duties, programme indicators. Each write
is audited, needs a reason where it matters, and is scoped (404 outside the scope, 403 without
plans.manage / documents.manage)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from boiduong.accounts.models import RoleAssignment, User
from boiduong.accounts.roles import Role
from boiduong.core import audit
from boiduong.core.models import AuditEvent
from boiduong.plans import services
from boiduong.plans.models import Document, Indicator, Programme

from . import factories


def _document_data(document: Document, **changes) -> dict:
    data = {
        "number": document.number or "",
        "notation": document.notation,
        "issued_on": document.issued_on.isoformat() if document.issued_on else "",
        "place": document.place,
        "signer_authority": document.signer_authority,
        "signer_principal": document.signer_principal,
        "signer_title": document.signer_title,
        "signer_name": document.signer_name,
        "title": document.title,
        "recipients": "\n".join(document.recipients),
        "basis": services.document_basis_text(document),
        "reason": "",
    }
    data.update(changes)
    return data


def _hanoi_manager(world) -> User:
    """A ministry officer whose role is granted on Sở GDĐT Hà Nội only."""
    user = User.objects.create(username="quanly.hanoi", full_name="Quản lý Hà Nội")
    RoleAssignment.objects.create(
        user=user, role=Role.MINISTRY_OFFICER, org_unit=world.unit("SGD01-2025")
    )
    return user


# --- documents ----------------------------------------------------------------------------------


def test_document_metadata_is_edited_with_a_reason_and_audited(world):
    document = factories.hanoi_plan().document
    client = world.client_for("cuc.ngcbqlgd")
    page = client.get(f"/plans/documents/{document.pk}/edit/").content.decode()
    assert 'name="signer_name"' in page and "Lưu: VT, GDMN." in page
    recipients = "\n".join(document.recipients[:-1] + ["Các trường mầm non", "Lưu: VT, GDMN."])
    data = _document_data(
        document,
        signer_name="Trần Thị Lan Anh",
        signer_authority="KT",
        signer_principal="GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        recipients=recipients,
    )
    refused = client.post(f"/plans/documents/{document.pk}/edit/", data)
    assert refused.status_code == 200  # an issued document needs a reason
    document.refresh_from_db()
    assert document.signer_name == "Nguyễn Thị Lan Anh"

    data["reason"] = "Sửa tên người ký theo bản gốc."
    response = client.post(f"/plans/documents/{document.pk}/edit/", data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.signer_name == "Trần Thị Lan Anh"
    assert document.authority_line == "KT. GIÁM ĐỐC"
    assert document.recipients[-2:] == ["Các trường mầm non", "Lưu: VT, GDMN."]
    event = audit.history(document).first()
    assert event.reason == "Sửa tên người ký theo bản gốc."
    assert event.changes["signer_name"] == ["Nguyễn Thị Lan Anh", "Trần Thị Lan Anh"]
    assert "recipients" in event.changes
    shown = client.get(document.get_absolute_url()).content.decode()
    assert "Sửa tên người ký theo bản gốc." in shown and "KT. GIÁM ĐỐC" in shown
    again = client.post(f"/plans/documents/{document.pk}/edit/", data, follow=True)
    assert "Không có thay đổi nào." in again.content.decode()  # saving twice records nothing
    assert audit.history(document).count() == 2


def test_number_and_notation_make_the_code_and_stay_unique_per_year(world):
    document = factories.hanoi_plan().document
    services.document_update(
        actor=None, document=document, reason="Số in sai.", number=2151, notation="KH-SGDĐT"
    )
    document.refresh_from_db()
    assert (document.code, document.year) == ("2151/KH-SGDĐT", 2021)
    with pytest.raises(ValidationError) as error:
        services.document_update(
            actor=None, document=document, reason="Thử.", number=361, notation="KH-BGDĐT"
        )
    assert "đã có" in " ".join(error.value.messages)  # 361/KH-BGDĐT already exists in 2021


def test_registered_numbers_and_drafts_keep_the_register_rules(world):
    draft = factories.import_plan(factories.DRAFT).document
    with pytest.raises(ValidationError) as error:
        services.document_update(actor=None, document=draft, number=12, notation="KH-NGCBQLGD")
    assert "number" in error.value.message_dict
    services.document_update(actor=None, document=draft, title="Dự thảo đã sửa trích yếu")
    signed = services.document_sign(actor=None, document=draft)
    code = signed.code
    with pytest.raises(ValidationError) as error:
        services.document_update(actor=None, document=signed, reason="Thử.", number=99)
    assert "number" in error.value.message_dict
    services.document_update(actor=None, document=signed, reason="Sửa nơi nhận.", place="Hà Nội")
    signed.refresh_from_db()
    assert signed.code == code  # the register's "05/…" form is kept
    services.document_update(actor=None, document=signed, reason="Sửa ký hiệu.", notation="KH-GDMN")
    signed.refresh_from_db()
    assert signed.code == f"{signed.number:02d}/KH-GDMN"
    page = world.client_for("cuc.ngcbqlgd").get(f"/plans/documents/{draft.pk}/edit/")
    assert 'name="number"' in page.content.decode() and "disabled" in page.content.decode()


def test_legal_basis_is_rewritten_from_citing_sentences(world):
    document = factories.hanoi_plan().document
    sentences = (
        "Căn cứ Thông tư số 19/2019/TT-BGDĐT ngày 12/11/2019 của Bộ trưởng Bộ Giáo dục và "
        "Đào tạo ban hành Quy chế bồi dưỡng thường xuyên giáo viên;\n"
        + services.document_basis_text(document)
    )
    services.document_update(
        actor=None, document=document, reason="Bổ sung căn cứ.", basis=sentences
    )
    cited = [link.cited.code for link in document.basis_links.order_by("position")]
    assert cited == ["19/2019/TT-BGDĐT", "361/KH-BGDĐT"]
    circular = Document.objects.get(code="19/2019/TT-BGDĐT")
    assert circular.is_placeholder and circular.issued_on.isoformat() == "2019-11-12"
    event = audit.history(document).first()
    assert event.changes["legal_basis"] == ["361/KH-BGDĐT", "19/2019/TT-BGDĐT; 361/KH-BGDĐT"]

    with pytest.raises(ValidationError) as error:
        services.document_update(
            actor=None, document=document, reason="x", basis="Căn cứ tình hình thực tế"
        )
    assert "basis" in error.value.message_dict
    assert document.basis_links.count() == 2  # nothing changed


def test_document_editing_is_scoped(world):
    hanoi, camau = factories.hanoi_plan().document, factories.camau_plan().document
    manager = world.client_for(None)
    manager.force_login(_hanoi_manager(world))
    assert manager.get(f"/plans/documents/{hanoi.pk}/edit/").status_code == 200
    assert manager.get(f"/plans/documents/{camau.pk}/edit/").status_code == 404
    assert manager.post(f"/plans/documents/{camau.pk}/edit/", {}).status_code == 404
    officer = world.client_for("so.hanoi")
    assert officer.get(f"/plans/documents/{hanoi.pk}/edit/").status_code == 403
    assert "/edit/" not in officer.get(hanoi.get_absolute_url()).content.decode()


# --- plans --------------------------------------------------------------------------------------


def _plan_data(plan, **changes) -> dict:
    rows = list(plan.responsibilities.all())
    data = {name: getattr(plan, name) for name in plan.FIELDS_TEXT}
    data.update(
        {
            "resp-TOTAL_FORMS": str(len(rows) + 1),
            "resp-INITIAL_FORMS": str(len(rows)),
            "resp-MIN_NUM_FORMS": "0",
            "resp-MAX_NUM_FORMS": "1000",
            "reason": "",
        }
    )
    for index, row in enumerate(rows):
        data[f"resp-{index}-id"] = str(row.pk)
        data[f"resp-{index}-unit_text"] = row.unit_text
        data[f"resp-{index}-duties"] = row.duties
    data.update(changes)
    return data


def test_plan_parts_and_duties_are_edited_with_a_reason(world):
    plan = factories.hanoi_plan()
    rows = list(plan.responsibilities.all())
    client = world.client_for("cuc.ngcbqlgd")
    page = client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert "resp-TOTAL_FORMS" in page and rows[0].unit_text in page
    extra = len(rows)
    data = _plan_data(
        plan,
        funding="Ngân sách thành phố năm 2021.",
        **{
            "resp-0-duties": "Chủ trì, tổng hợp kết quả tập huấn và báo cáo Sở.",
            "resp-1-DELETE": "on",
            f"resp-{extra}-unit_text": "Trường Đại học Sư phạm Hà Nội",
            f"resp-{extra}-duties": "Cử báo cáo viên.",
        },
    )
    refused = client.post(f"/plans/{plan.pk}/edit/", data)  # no reason
    assert refused.status_code == 200
    assert 'id="id_resp-1-DELETE" checked' in refused.content.decode()  # rows keep their state
    data["reason"] = "Bổ sung đơn vị phối hợp."
    response = client.post(f"/plans/{plan.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    plan.refresh_from_db()
    assert plan.funding == "Ngân sách thành phố năm 2021."
    duties = list(plan.responsibilities.order_by("position"))
    assert [r.unit_text for r in duties] == [rows[0].unit_text, "Trường Đại học Sư phạm Hà Nội"]
    assert duties[1].unit is not None and duties[1].unit.code == "DHSPHN"  # linked
    assert duties[0].duties.startswith("Chủ trì, tổng hợp")
    event = audit.history(plan).first()
    assert event.reason == "Bổ sung đơn vị phối hợp."
    assert "funding" in event.changes
    assert sum(key.startswith("responsibility") for key in event.changes) == 3
    history = client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert "Bổ sung đơn vị phối hợp." in history


def test_plan_editing_needs_plans_manage(world):
    plan = factories.hanoi_plan()
    assert world.client_for("so.hanoi").get(f"/plans/{plan.pk}/edit/").status_code == 403
    overview = world.client_for("so.hanoi").get(f"/plans/{plan.pk}/").content.decode()
    assert 'data-testid="edit-plan"' not in overview
    manager = world.client_for(None)
    manager.force_login(_hanoi_manager(world))
    assert manager.get(f"/plans/{factories.camau_plan().pk}/edit/").status_code == 404
    assert manager.get(f"/plans/{plan.pk}/edit/").status_code == 200
    cuc = world.client_for("cuc.ngcbqlgd").get(f"/plans/{plan.pk}/").content.decode()
    assert 'data-testid="edit-plan"' in cuc


def test_a_draft_plan_changes_without_a_reason(world):
    plan = factories.import_plan(factories.DRAFT)
    services.plan_update(actor=None, plan=plan, purpose="Mục đích mới.")
    plan.refresh_from_db()
    assert plan.purpose == "Mục đích mới."
    issued = factories.hanoi_plan()
    with pytest.raises(ValidationError):
        services.plan_update(actor=None, plan=issued, purpose="Mục đích mới.")


# --- indicators ---------------------------------------------------------------------------------


def test_indicators_are_added_edited_and_removed_with_reasons(world):
    programme = Programme.objects.get(code="gdmn-2018-2025")
    client = world.client_for("cuc.ngcbqlgd")
    page = client.get(programme.get_absolute_url()).content.decode()
    assert 'data-testid="add-indicator"' in page
    response = client.post(
        f"/plans/programmes/{programme.pk}/indicators/new/",
        {
            "name": "Tỷ lệ giáo viên mầm non đạt chuẩn trình độ đào tạo",
            "unit": "%",
            "baseline": "75",
            "target": "100",
            "year": "2025",
            "source": "QĐ 33/QĐ-TTg",
        },
    )
    assert response.status_code == 302
    indicator = programme.indicators.get(name__startswith="Tỷ lệ giáo viên")
    assert indicator.position == 4 and indicator.target == Decimal(100)
    assert audit.history(indicator).first().action == AuditEvent.Action.CREATE

    url = f"/plans/programmes/{programme.pk}/indicators/{indicator.pk}/edit/"
    data = {"name": indicator.name, "unit": "%", "baseline": "75", "target": "95", "year": "2025"}
    assert client.post(url, data).status_code == 200  # a new target needs a reason
    indicator.refresh_from_db()
    assert indicator.target == Decimal(100)
    data["reason"] = "Điều chỉnh theo báo cáo sơ kết."
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == Decimal(95)
    event = audit.history(indicator).first()
    assert event.reason == "Điều chỉnh theo báo cáo sơ kết."
    assert event.changes["target"] == ["100.00", "95.00"]
    # a change of wording alone needs no reason
    data.update(name="Tỷ lệ giáo viên mầm non đạt chuẩn", reason="")
    assert client.post(url, data).status_code == 302

    delete = f"/plans/programmes/{programme.pk}/indicators/{indicator.pk}/delete/"
    assert client.post(delete, {"reason": ""}).status_code == 302
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert client.post(delete, {"reason": "Trùng chỉ tiêu."}).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    removed = AuditEvent.objects.filter(
        action=AuditEvent.Action.DELETE, object_id=str(indicator.pk), reason="Trùng chỉ tiêu."
    )
    assert removed.exists()
    history = client.get(programme.get_absolute_url()).content.decode()
    history = history[history.index('id="history"') :]
    assert "Trùng chỉ tiêu." in history and "Điều chỉnh theo báo cáo sơ kết." in history


def test_indicator_of_another_programme_is_not_found(world):
    other = services.programme_create(
        actor=None, code="gdmn-2026-2030", name="Đề án 2026-2030", start_year=2026, end_year=2030
    )
    indicator = services.indicator_create(actor=None, programme=other, name="Chỉ tiêu")
    programme = Programme.objects.get(code="gdmn-2018-2025")
    client = world.client_for("cuc.ngcbqlgd")
    url = f"/plans/programmes/{programme.pk}/indicators/{indicator.pk}/edit/"
    assert client.get(url).status_code == 404
    assert world.client_for("so.hanoi").get(url).status_code == 403


def test_a_number_typed_from_the_paper_is_never_given_again(world):
    import datetime as dt

    from boiduong.plans.models import NumberCounter

    first = factories.import_plan(factories.DRAFT).document
    day = dt.date(2026, 3, 2)
    signed = services.document_sign(actor=None, document=first, signed_on=day)
    paper = Document.objects.create(  # imported from paper: not in the system's register
        doc_type="KH",
        number=3,
        year=2026,
        notation="KH-NGCBQLGD",
        code="3/KH-NGCBQLGD",
        issued_on=day,
        issuer=signed.issuer,
        owner=signed.owner,
        title="Kế hoạch in trên giấy",
    )
    services.document_update(actor=None, document=paper, reason="Số in trên bản giấy.", number=7)
    counter = NumberCounter.objects.get(issuer=signed.issuer, year=2026)
    assert counter.last_number == 7
    second = Document.objects.create(
        doc_type="KH", issuer=signed.issuer, owner=signed.owner, title="Dự thảo thứ hai"
    )
    assert services.document_sign(actor=None, document=second, signed_on=day).number == 8
