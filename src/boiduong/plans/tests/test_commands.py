"""`boiduong import_plan`: JSON output, dry run, and refusals (exit 2, Vietnamese, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from boiduong.plans.models import Document, Plan

from . import factories

NEWS = """Hà Nội mưa lớn, nhiều tuyến phố ngập sâu

Chiều 12/9, mưa lớn kéo dài khiến nhiều tuyến phố nội thành Hà Nội ngập sâu, giao thông ùn tắc.
Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, mưa còn tiếp diễn đến hết ngày mai.
Người dân được khuyến cáo hạn chế ra đường vào giờ cao điểm.
"""
TRUNCATED_HEADER = "BỘ GIÁO DỤC VÀ ĐÀO TẠO\n--------\n"
PARSE_KEYS = {
    "code", "number", "doc_type", "notation", "issuer", "place", "issued_on", "signer_name",
    "signer_title", "signer_authority", "title", "legal_basis", "recipients", "sections",
    "tasks", "warnings",
}  # fmt: skip


def _run(capsys, *args):
    try:
        call_command("import_plan", *args)
    except SystemExit as exit_info:
        captured = capsys.readouterr()
        return exit_info.code, captured.out, captured.err
    captured = capsys.readouterr()
    return 0, captured.out, captured.err


def test_dry_run_json_is_the_parse_plus_what_would_be_created(world, capsys):
    path = factories.DOCUMENTS / factories.HANOI
    status, out, err = _run(capsys, str(path), "--dry-run", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) >= PARSE_KEYS
    assert data["code"] == "2150/KH-SGDĐT" and data["issued_on"] == "2021-08-16"
    assert data["tasks"][0]["period_text"] == "Tháng 8/2021"
    assert data["tasks"][0]["starts_on"] == "2021-08-01"
    assert data["legal_basis"] == [{"code": "361/KH-BGDĐT", "issued_on": "2021-04-07"}]
    plan = data["import"]
    assert plan["dry_run"] and plan["action"] == "create" and plan["plan_id"] is None
    assert plan["document"]["owner"] == "Sở Giáo dục và Đào tạo Hà Nội"
    assert plan["plan"]["kind"] == "provincial"
    assert plan["plan"]["parent"] == "KH 361/KH-BGDĐT"
    assert plan["legal_basis"][0]["action"] == "link"
    lead = plan["plan"]["tasks"][1]["cooperating_unit_links"]
    assert [link["unit"] for link in lead] == [
        "Trường Đại học Sư phạm Hà Nội",
        "Trường Cao đẳng Sư phạm Trung ương",
    ]
    assert not Document.objects.filter(code="2150/KH-SGDĐT").exists()


def test_import_writes_and_reports(world, capsys):
    status, out, err = _run(capsys, str(factories.DOCUMENTS / factories.CAMAU))
    assert status == 0, err
    assert out.startswith("Đã nhập: 87/KH-SGDĐT: 3 mục, 3 nhiệm vụ, 1 văn bản căn cứ")
    plan = Plan.objects.get(document__code="87/KH-SGDĐT")
    assert plan.tasks.count() == 3
    assert plan.document.attachments.get().name == factories.CAMAU


def test_import_with_json_reports_the_created_ids(world, capsys):
    status, out, _err = _run(capsys, str(factories.DOCUMENTS / factories.CAMAU), "--format", "json")
    data = json.loads(out)
    assert (
        status == 0
        and data["import"]["plan_id"] == Plan.objects.get(document__code="87/KH-SGDĐT").pk
    )
    assert data["import"]["placeholders_to_create"] == ["1102/KH-BGDĐT"]


def test_programme_and_parent_options(world, capsys):
    status, _out, err = _run(
        capsys,
        str(factories.DOCUMENTS / factories.CAMAU),
        "--programme",
        "gdmn-2018-2025",
        "--parent",
        "51/KH-BGDĐT",
    )
    assert status == 0, err
    plan = Plan.objects.get(document__code="87/KH-SGDĐT")
    assert plan.parent.document.code == "51/KH-BGDĐT" and plan.programme.code == "gdmn-2018-2025"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "Tệp trống"),
        ("blank.txt", b"   \n\n  ", "Văn bản trống"),
        ("binary.txt", bytes(range(256)) * 20, "không phải văn bản chữ"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "không được hỗ trợ"),
        ("news.txt", NEWS.encode(), "Không nhận ra văn bản hành chính"),
        ("header.txt", TRUNCATED_HEADER.encode(), "chỉ có tên cơ quan"),
        ("broken.docx", b"PK\x03\x04 not really a zip", ".docx bị hỏng"),
    ],
)
def test_malformed_inputs_exit_2_with_a_vietnamese_message(
    world, capsys, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    status, out, err = _run(capsys, str(path), "--format", "json")
    assert status == 2
    assert err.startswith("Không nhập: ") and message in err
    assert out == "" and "Traceback" not in err


FIXTURES = factories.DOCUMENTS.parent / "fixtures"


def test_a_decision_dry_run_json_is_the_parse_plus_what_would_be_created(world, capsys):
    status, out, err = _run(
        capsys, str(FIXTURES / "qd_ban_chi_dao_2023.txt"), "--dry-run", "--format", "json"
    )
    assert status == 0, err
    data = json.loads(out)
    assert set(data) >= PARSE_KEYS
    assert data["doc_type"] == "QD" and data["code"] == "1289/QĐ-BGDĐT"
    assert data["sections"][0]["heading"].startswith("Điều 1")
    info = data["import"]
    assert info["dry_run"] and not info["is_plan"] and info["plan"] is None
    assert info["action"] == "create" and info["document_id"] is None
    assert "242/QĐ-BGDĐT" in info["placeholders_to_create"]
    assert not Document.objects.filter(code="1289/QĐ-BGDĐT").exists()


def test_a_decision_is_imported_as_a_document_and_a_second_import_is_refused(world, capsys):
    decision = FIXTURES / "qd_ban_chi_dao_2023.txt"
    status, out, err = _run(capsys, str(decision))
    assert status == 0, err
    document = Document.objects.get(code="1289/QĐ-BGDĐT")
    assert out.startswith("Đã nhập: 1289/QĐ-BGDĐT")
    assert document.get_absolute_url() in out
    assert not document.is_placeholder and not hasattr(document, "plan")
    assert document.doc_type == "QD" and document.issued_on.isoformat() == "2023-05-08"
    assert document.signer_name == "Nguyễn Văn Bình" and document.signer_authority == "KT"
    assert document.title.startswith("Về việc kiện toàn Ban Chỉ đạo")
    assert "Như Điều 3" in document.recipients
    assert document.sections.first().heading.startswith("Điều 1")
    assert document.attachments.get().name == "qd_ban_chi_dao_2023.txt"
    cited = {link.cited.code: link.cited for link in document.basis_links.all()}
    assert set(cited) >= {"86/2022/NĐ-CP", "33/QĐ-TTg", "242/QĐ-BGDĐT"}
    assert cited["242/QĐ-BGDĐT"].is_placeholder
    status, _out, err = _run(capsys, str(decision))
    assert status == 2 and "đã có trong hệ thống" in err
    status, _out, err = _run(capsys, str(decision), "--replace")
    assert status == 0, err
    assert Document.objects.filter(code="1289/QĐ-BGDĐT").count() == 1
    seed = Path(factories.__file__).resolve().parents[1] / "seeds/kh361_bgddt_2021.txt"
    status, _out, err = _run(capsys, str(seed), "--dry-run")
    assert status == 2 and "đã có trong hệ thống" in err
    status, out, _err = _run(capsys, str(seed), "--dry-run", "--replace")
    assert status == 0 and "Đã kiểm tra, chưa ghi gì" in out


def test_importing_a_cited_decision_fills_its_placeholder(world, capsys):
    placeholder = Document.objects.get(code="296/QĐ-BGDĐT", year=2020)
    assert placeholder.is_placeholder
    kh451 = Document.objects.get(code="451/KH-BGDĐT")
    assert kh451.basis_links.filter(cited=placeholder).exists()
    status, out, err = _run(capsys, str(FIXTURES / "qd296_bgddt_2020.txt"), "--format", "json")
    assert status == 0, err
    info = json.loads(out)["import"]
    assert info["action"] == "fill_placeholder" and info["document_id"] == placeholder.pk
    filled = Document.objects.get(pk=placeholder.pk)
    assert not filled.is_placeholder and filled.signer_name == "Nguyễn Văn Bình"
    assert filled.title.startswith("Về việc phê duyệt Kế hoạch")
    link = kh451.basis_links.get(cited__code="296/QĐ-BGDĐT")
    assert link.cited_id == placeholder.pk and not link.cited.is_placeholder
    assert Document.objects.filter(code="296/QĐ-BGDĐT").count() == 1


def test_missing_file(world, capsys):
    status, _out, err = _run(capsys, "/nonexistent/kh.txt")
    assert status == 2 and "không mở được tệp" in err


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 4])
def test_from_the_shell_there_is_no_traceback(tmp_path, content):
    """The real entry point, in a separate process: refusal before any database access."""
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    env = {**os.environ, "BOIDUONG_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("boiduong")), "import_plan", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Không nhập: ")
    assert "Traceback" not in result.stderr


# --- a decision or a công văn under a programme or a parent plan --------------------------------

DECISION = FIXTURES / "qd_ban_chi_dao_2023.txt"  # QĐ 1289/QĐ-BGDĐT, not in the world
QD296 = FIXTURES / "qd296_bgddt_2020.txt"  # a placeholder carrying the 2020 annual plan
LETTER = FIXTURES / "cv5807_bgddt_cntt.txt"  # công văn 5807/BGDĐT-CNTT
PROGRAMME = "gdmn-2018-2025"


def _state(code: str) -> tuple:
    """What a refusal must leave as it was: the document, its plan, and the audit trail."""
    from boiduong.core.models import AuditEvent

    document = Document.objects.get(code=code)
    plan = Plan.objects.filter(document=document).first()
    return (
        document.updated_at,
        document.is_placeholder,
        document.sections.count(),
        document.attachments.count(),
        plan and (plan.pk, plan.programme_id, plan.parent_id, plan.kind, plan.updated_at),
        Plan.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_decision_under_a_programme_is_recorded_as_a_plan_and_the_dry_run_says_so(world, capsys):
    status, out, err = _run(
        capsys, str(DECISION), "--programme", PROGRAMME, "--dry-run", "--format", "json"
    )
    assert status == 0, err
    info = json.loads(out)["import"]
    assert info["plan"] == {
        "action": "create",
        "plan_id": None,
        "kind": "annual",
        "programme": PROGRAMME,
        "parent": None,
        "children": 0,
        "task_count": 0,
    }
    assert info["options_not_applied"] == []
    assert info["notices"] == [
        "Quyết định được ghi thành một kế hoạch không có bảng nhiệm vụ: Đề án gdmn-2018-2025, "
        "triển khai —, loại: kế hoạch thực hiện năm."
    ]
    assert not Document.objects.filter(code="1289/QĐ-BGDĐT").exists()

    status, out, err = _run(capsys, str(DECISION), "--programme", PROGRAMME)
    assert status == 0, err
    plan = Plan.objects.get(document__code="1289/QĐ-BGDĐT")
    assert plan.programme.code == PROGRAMME and plan.parent is None and plan.kind == "annual"
    assert plan.owner == plan.document.owner and plan.year == 2023
    assert plan.tasks.count() == 0
    assert "Quyết định được ghi thành một kế hoạch" in out
    assert plan.document.get_absolute_url() in out and plan.get_absolute_url() in out


def test_a_decision_under_a_parent_plan_takes_its_programme(world, capsys):
    status, out, err = _run(capsys, str(DECISION), "--parent", "51/KH-BGDĐT", "--format", "json")
    assert status == 0, err
    plan = Plan.objects.get(document__code="1289/QĐ-BGDĐT")
    assert plan.parent.document.code == "51/KH-BGDĐT" and plan.programme.code == PROGRAMME
    assert plan.kind == "thematic"  # below the annual plan, as KH 361 is
    info = json.loads(out)["import"]
    assert info["plan"]["action"] == "create" and info["plan"]["parent"] == "KH 51/KH-BGDĐT"


def test_a_decision_without_options_stays_a_document(world, capsys):
    status, out, err = _run(capsys, str(DECISION), "--format", "json")
    assert status == 0, err
    info = json.loads(out)["import"]
    assert info["plan"] is None and info["notices"] == [] and info["options_not_applied"] == []
    assert not Plan.objects.filter(document__code="1289/QĐ-BGDĐT").exists()


def test_an_official_letter_says_the_options_were_not_applied(world, capsys):
    options = ("--programme", PROGRAMME, "--parent", "51/KH-BGDĐT")
    status, out, err = _run(capsys, str(LETTER), *options, "--dry-run", "--format", "json")
    assert status == 0, err
    info = json.loads(out)["import"]
    assert info["plan"] is None and info["options_not_applied"] == ["programme", "parent"]
    message = (
        "Không áp dụng: Đề án gdmn-2018-2025, kế hoạch cấp trên KH 51/KH-BGDĐT. Văn bản này là "
        "công văn, không phải kế hoạch, nên không được gắn vào Đề án hay kế hoạch cấp trên; chỉ "
        "kế hoạch (KH) và quyết định (QĐ) mới gắn được."
    )
    assert info["notices"] == [message]

    plans = Plan.objects.count()
    status, out, err = _run(capsys, str(LETTER), *options)
    assert status == 0, err
    assert f"Cảnh báo: {message}" in err
    assert out.startswith("Đã nhập: 5807/BGDĐT-CNTT")
    document = Document.objects.get(code="5807/BGDĐT-CNTT")
    assert not Plan.objects.filter(document=document).exists() and Plan.objects.count() == plans


def test_replacing_a_decision_keeps_its_plan_and_says_so(world, capsys):
    annual = Plan.objects.get(document__code="296/QĐ-BGDĐT")
    child = Plan.objects.get(document__code="451/KH-BGDĐT")
    assert child.parent == annual
    status, out, err = _run(capsys, str(QD296))  # fills the placeholder
    assert status == 0, err
    assert "Kế hoạch QĐ 296/QĐ-BGDĐT gắn với văn bản này được giữ nguyên" in out
    status, _out, err = _run(capsys, str(QD296))
    assert status == 2 and "đã có trong hệ thống" in err

    status, out, err = _run(capsys, str(QD296), "--replace", "--dry-run", "--format", "json")
    assert status == 0, err
    info = json.loads(out)["import"]
    assert info["action"] == "replace"
    assert info["plan"] == {
        "action": "keep",
        "plan_id": annual.pk,
        "kind": "annual",
        "programme": PROGRAMME,
        "parent": None,
        "children": 1,
        "task_count": 0,
    }
    assert info["notices"] == [
        "Kế hoạch QĐ 296/QĐ-BGDĐT gắn với văn bản này được giữ nguyên (Đề án gdmn-2018-2025, "
        "triển khai —, kế hoạch con: 1, nhiệm vụ: 0): lần nhập này chỉ ghi lại nội dung văn bản."
    ]

    status, out, err = _run(capsys, str(QD296), "--replace")
    assert status == 0, err
    assert "được giữ nguyên" in out and annual.get_absolute_url() in out
    kept = Plan.objects.get(document__code="296/QĐ-BGDĐT")
    assert (kept.pk, kept.programme_id, kept.parent_id, kept.kind) == (
        annual.pk,
        annual.programme_id,
        None,
        "annual",
    )
    assert Plan.objects.get(pk=child.pk).parent_id == annual.pk
    assert kept.document.attachments.filter(is_source=True).count() == 2


def test_replacing_a_decision_under_another_parent_places_its_plan_again(world, capsys):
    annual = Plan.objects.get(document__code="296/QĐ-BGDĐT")
    _run(capsys, str(QD296))
    status, out, err = _run(capsys, str(QD296), "--replace", "--parent", "51/KH-BGDĐT")
    assert status == 0, err
    assert "được giữ lại (kế hoạch con: 1, nhiệm vụ: 0) và xếp lại" in out
    moved = Plan.objects.get(pk=annual.pk)
    assert moved.parent.document.code == "51/KH-BGDĐT" and moved.kind == "annual"
    assert Plan.objects.get(document__code="451/KH-BGDĐT").parent_id == annual.pk


@pytest.mark.parametrize("replace", [False, True])
def test_a_decision_cannot_carry_out_its_own_sub_plan(world, capsys, replace):
    """QĐ 296 carries the 2020 annual plan; KH 451 carries it out: a loop is refused."""
    if replace:
        _run(capsys, str(QD296))
    before = _state("296/QĐ-BGDĐT")
    args = [str(QD296), "--parent", "451/KH-BGDĐT", *(["--replace"] if replace else [])]
    for extra in (["--dry-run"], []):
        status, out, err = _run(capsys, *args, *extra)
        assert status == 2 and out == ""
        assert err.startswith(
            "Không nhập: QĐ 296/QĐ-BGDĐT không thể triển khai KH 451/KH-BGDĐT: KH 451/KH-BGDĐT "
            "chính là kế hoạch đó hoặc một kế hoạch con của nó."
        )
    assert _state("296/QĐ-BGDĐT") == before
