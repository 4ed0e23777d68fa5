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
