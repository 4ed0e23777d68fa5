"""The importer: the two seeds end to end, our own documents, placeholders, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from boiduong.core.models import AuditEvent
from boiduong.plans import services
from boiduong.plans.choices import PlanKind, SignerAuthority
from boiduong.plans.importing import classify, plan_import_preview, plan_texts
from boiduong.plans.models import Document, LegalBasis, Plan, PlanTask
from boiduong.plans.parsing import Section, parse_document

from . import factories


def test_kh361_seed_gives_seven_tasks_with_periods_products_and_lead_unit(world):
    plan = factories.seed_plan("361/KH-BGDĐT")
    tasks = list(plan.tasks.order_by("position"))
    assert len(tasks) == 7
    assert [t.period_text for t in tasks] == [
        "Tháng 3-6/2021",
        "Tháng 4-6/2021",
        "Tháng 5-7/2021",
        "Tháng 7-8/2021",
        "Tháng 7-8/2021",
        "Tháng 7-8/2021",
        "Tháng 8/2021",
    ]
    assert (tasks[0].starts_on, tasks[0].ends_on) == (dt.date(2021, 3, 1), dt.date(2021, 6, 30))
    assert (tasks[6].starts_on, tasks[6].ends_on) == (dt.date(2021, 8, 1), dt.date(2021, 8, 31))
    assert tasks[6].product == "Báo cáo kết quả tập huấn"
    ngcbqlgd = world.unit("NGCBQLGD")
    assert all(t.lead_unit == ngcbqlgd and t.lead_unit_text == "Cục NGCBQL" for t in tasks)
    assert all(t.cooperating_text == "Các đơn vị có liên quan" for t in tasks)
    assert not any(t.cooperating_units.exists() for t in tasks)  # a plural group never resolves


def test_kh361_seed_document_fields(world):
    document = factories.seed_plan("361/KH-BGDĐT").document
    assert (document.number, document.year, document.notation) == (361, 2021, "KH-BGDĐT")
    assert document.issued_on == dt.date(2021, 4, 7)
    assert document.issuer == world.unit("BGDDT")
    assert document.drafting_unit == world.unit("NGCBQLGD")
    assert document.signer_authority == SignerAuthority.ON_BEHALF
    assert document.authority_line == "KT. BỘ TRƯỞNG"
    assert document.signer_title == "THỨ TRƯỞNG"
    assert document.signer_name == "Trần Ngọc Thương"
    assert document.recipients[0] == "Bộ trưởng (để b/c)"
    assert "Các Sở GDĐT, Sở GD, KH và CN Bạc Liêu (để t/h)" in document.recipients
    assert document.recipients[-1] == "Lưu: VT, NGCBQLGD."
    basis = LegalBasis.objects.get(document=document)
    assert basis.cited.code == "51/KH-BGDĐT"
    assert basis.cited.issued_on == dt.date(2021, 1, 19)
    assert basis.sentence.startswith("Triển khai thực hiện Kế hoạch số 51/KH-BGDĐT")
    assert document.attachments.get().is_source
    appendix = document.appendices.get()
    assert appendix.has_task_table and appendix.note.startswith("(Ban hành kèm theo Kế hoạch")


def test_kh361_plan_texts_and_responsibilities(world):
    plan = factories.seed_plan("361/KH-BGDĐT")
    assert plan.purpose.startswith("Tăng cường năng lực")
    assert plan.requirements.startswith("- Bám sát nhiệm vụ")
    assert "20 người" in plan.participants
    assert "03 miền" in plan.locations
    assert "tháng 7-8/2021" in plan.timing
    assert plan.mode.startswith("Trực tiếp hoặc trực tuyến")
    assert plan.funding.startswith("Kinh phí lấy từ nguồn")
    units = {r.unit_text: r.unit for r in plan.responsibilities.all()}
    assert units["Cục Nhà giáo và Cán bộ quản lý giáo dục"] == world.unit("NGCBQLGD")
    assert units["Vụ Giáo dục Mầm non"] == world.unit("GDMN")
    # "Trường Đại học Sư phạm Hà Nội, trường Cao đẳng Sư phạm Trung ương": two units, two rows
    assert units["Trường Đại học Sư phạm Hà Nội"] == world.unit("DHSPHN")
    assert units["trường Cao đẳng Sư phạm Trung ương"] == world.unit("CDSPTW")
    assert units["Các Sở Giáo dục và Đào tạo"] is None


def test_kh451_seed_gives_basis_signer_place_and_sections(world):
    plan = factories.seed_plan("451/KH-BGDĐT")
    document = plan.document
    assert document.legal_basis.get().code == "296/QĐ-BGDĐT"
    assert document.legal_basis.get().issued_on == dt.date(2020, 2, 7)
    assert document.signer_name == "Hoàng Đức Minh"
    assert document.place == "Hà Nội"
    headings = list(document.sections.values_list("heading", flat=True))
    assert headings[:3] == [
        "I. Mục tiêu",
        "II. Nội dung",
        "1. Xây dựng các văn bản chỉ đạo, hội thảo góp ý kế hoạch",
    ]
    assert "3. Hội thảo rà soát, đánh giá một năm thực hiện Đề án" in headings
    assert plan.purpose.startswith("Thực hiện việc quản lý, chỉ đạo")
    assert "Khoảng 150 người" in plan.content
    assert any("bị cắt" in w for w in document.import_warnings)  # the seed stops at "[...]"


def test_demo_tree_programme_annual_placeholder_thematic(world):
    plan_361 = factories.seed_plan("361/KH-BGDĐT")
    plan_451 = factories.seed_plan("451/KH-BGDĐT")
    assert plan_361.parent.document.code == "51/KH-BGDĐT"
    assert plan_451.parent.document.code == "296/QĐ-BGDĐT"
    for annual in (plan_361.parent, plan_451.parent):
        assert annual.kind == PlanKind.ANNUAL and annual.document.is_placeholder
        assert annual.programme.deciding_document.code == "33/QĐ-TTg"
    programme = plan_361.programme
    assert (programme.start_year, programme.end_year) == (2018, 2025)
    assert programme.deciding_document.issued_on == dt.date(2019, 1, 8)
    assert programme.indicators.count() == 3


def test_demo_is_idempotent(world):
    from boiduong.plans import demo

    counts = (Document.objects.count(), Plan.objects.count(), PlanTask.objects.count())
    events = AuditEvent.objects.count()
    demo.build(log=lambda line: None)
    assert (Document.objects.count(), Plan.objects.count(), PlanTask.objects.count()) == counts
    assert AuditEvent.objects.count() == events


def test_provincial_plan_resolves_its_department_and_hangs_under_the_plan_it_cites(world):
    plan = factories.hanoi_plan()
    assert plan.owner == world.unit("SGD01")  # Hà Nội's department as it was in 2021
    assert plan.kind == PlanKind.PROVINCIAL and plan.is_provincial
    assert plan.parent == factories.seed_plan("361/KH-BGDĐT")
    assert plan.programme.code == "gdmn-2018-2025"
    assert plan.document.parent_issuer_name == "UBND thành phố Hà Nội"
    task = factories.first_task(plan)
    assert task.lead_unit_text == "Phòng GDMN"
    assert task.lead_unit == world.unit("SGD01")  # an internal division of the issuer
    second = plan.tasks.get(position=2)
    assert set(second.cooperating_units.values_list("code", flat=True)) == {"DHSPHN", "CDSPTW"}
    assert second.cooperating_text == "Trường Đại học Sư phạm Hà Nội, Trường CĐSP Trung ương"
    assert plan.participants.startswith("Giáo viên, cán bộ quản lý")
    assert plan.timing == "Tháng 9-11/2021."
    assert plan.mode == "Trực tuyến."


def test_side_by_side_header_and_unknown_cited_plan_becomes_a_placeholder(world):
    plan = factories.camau_plan()
    document = plan.document
    assert (document.code, document.issued_on) == ("87/KH-SGDĐT", dt.date(2022, 10, 14))
    assert plan.owner == world.unit("SGD96")
    cited = document.legal_basis.get()
    assert cited.code == "1102/KH-BGDĐT" and cited.is_placeholder
    assert cited.issuer == world.unit("BGDDT") and cited.owner == world.unit("BGDDT")
    assert plan.tasks.get(position=3).cooperating_units.get() == world.unit("NGCBQLGD")
    assert plan.tasks.get(position=1).starts_on == dt.date(2022, 10, 1)  # "Quý IV/2022"


def test_importing_a_cited_placeholder_fills_it_in_and_keeps_its_links(world):
    camau = factories.camau_plan()
    placeholder = camau.document.legal_basis.get()
    text = factories.text("kh_hanoi_2021_nhan_rong.txt")
    text = text.replace("2150/KH-SGDĐT", "1102/KH-BGDĐT").replace(
        "16 tháng 8 năm 2021", "15 tháng 9 năm 2022"
    )
    text = text.replace("UBND THÀNH PHỐ HÀ NỘI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ GIÁO DỤC VÀ ĐÀO TẠO")
    preview = plan_import_preview(parsed=parse_document(text))
    assert preview.action == "fill_placeholder" and preview.ok
    plan = services.plan_import(actor=None, parsed=parse_document(text))
    assert plan.document_id == placeholder.pk
    placeholder.refresh_from_db()
    assert not placeholder.is_placeholder and placeholder.sections.exists()
    assert camau.document.legal_basis.get().pk == placeholder.pk


def test_reimporting_the_same_plan_is_refused_in_vietnamese_unless_replace(world):
    plan = factories.seed_plan("361/KH-BGDĐT")
    task = factories.first_task(plan)
    assert task.status == "done"
    parsed = parse_document(
        (factories.DOCUMENTS.parent.parent / "seeds/kh361_bgddt_2021.txt").read_text()
    )
    with pytest.raises(services.PlanImportError) as error:
        services.plan_import(actor=None, parsed=parsed)
    assert "đã có trong hệ thống" in str(error.value) and "thay thế" in str(error.value)
    replaced = services.plan_import(actor=world.user("cuc.ngcbqlgd"), parsed=parsed, replace=True)
    assert replaced.pk == plan.pk and replaced.document_id == plan.document_id
    assert replaced.parent == plan.parent  # the plan keeps its place in the tree
    assert replaced.tasks.count() == 7
    assert not replaced.tasks.filter(status="done").exists()  # progress reset, as warned
    assert Document.objects.filter(code="361/KH-BGDĐT").count() == 1


def test_a_decision_is_not_a_plan(world):
    text = (factories.DOCUMENTS.parent / "fixtures/qd_ban_chi_dao_2023.txt").read_text()
    with pytest.raises(services.PlanImportError) as error:
        services.plan_import(actor=None, parsed=parse_document(text))
    assert "không phải kế hoạch" in str(error.value)
    assert not Document.objects.filter(code="1289/QĐ-BGDĐT").exists()


def test_import_is_all_or_nothing(world, monkeypatch):
    before = (Document.objects.count(), Plan.objects.count(), AuditEvent.objects.count())

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_write_tasks", broken)
    with pytest.raises(RuntimeError):
        factories.hanoi_plan()
    after = (Document.objects.count(), Plan.objects.count(), AuditEvent.objects.count())
    assert after == before  # not even the placeholder or the audit events remain


def test_other_engineers_fixtures_import_too(world):
    """KH 647 (tab-separated table, metadata-free header) and KH 123 (table in the body)."""
    fixtures = factories.DOCUMENTS.parent / "fixtures"
    plan_647 = services.plan_import(
        actor=None, parsed=parse_document((fixtures / "kh647_2023_tab_table.txt").read_text())
    )
    assert plan_647.tasks.count() == 6
    assert plan_647.tasks.get(position=5).ends_on == dt.date(2024, 1, 31)
    assert plan_647.funding.startswith("Kinh phí tổ chức")
    assert {b.code for b in plan_647.document.legal_basis.all()} == {
        "242/QĐ-BGDĐT",
        "1035/BGDĐT-NGCBQLGD",
    }
    cut = services.plan_import(
        actor=None, parsed=parse_document((fixtures / "kh_kiem_tra_bi_cat.txt").read_text())
    )
    assert cut.tasks.count() == 3 and cut.document.recipients == []
    assert any("bị cắt" in w for w in cut.document.import_warnings)
    # it cites KH 51, the 2021 annual plan: it hangs below it without being told
    assert cut.parent.document.code == "51/KH-BGDĐT"


def test_a_draft_without_number_is_imported_as_a_draft(world):
    plan = factories.import_plan(factories.DRAFT)
    document = plan.document
    assert document.state == "draft" and document.number is None and document.code == ""
    assert document.issuer == world.unit("NGCBQLGD")
    assert document.parent_issuer_name == "Bộ Giáo dục và Đào tạo"
    assert document.legal_basis.get().code == "19/2019/TT-BGDĐT"
    circular = document.legal_basis.get()
    assert circular.doc_type == "TT" and circular.issuer == world.unit("BGDDT")  # from "TT-BGDĐT"


@pytest.mark.parametrize(
    "heading,expected",
    [
        ("I. Mục đích, yêu cầu", ["purpose", "requirements"]),
        (
            "III. Thành phần, địa điểm, thời gian và phương thức tập huấn",
            ["participants", "locations", "timing", "mode"],
        ),
        ("2. Thời gian: Tháng 9-10/2021.", ["timing"]),
        ("IV. Kinh phí thực hiện", ["funding"]),
        ("V. Tổ chức thực hiện", ["responsibilities"]),
        ("1. Giáo viên, cán bộ quản lý cốt cán đã được Bộ tập huấn trực tiếp hướng dẫn lại", []),
    ],
)
def test_headings_announce_plan_texts(heading, expected):
    assert classify(heading) == expected


def test_sub_sections_not_claimed_go_to_the_first_text_named():
    texts, duties = plan_texts(
        [
            Section("I. MỤC ĐÍCH, YÊU CẦU", "", 1),
            Section("1. Giáo viên cốt cán hướng dẫn lại cho đồng nghiệp tại địa phương.", "", 2),
            Section("II. TỔ CHỨC THỰC HIỆN", "", 1),
            Section("1. Phòng GDMN chủ trì.", "", 2),
        ]
    )
    assert texts["purpose"].startswith("1. Giáo viên cốt cán")
    assert duties == [("1. Phòng GDMN chủ trì.", "")]
