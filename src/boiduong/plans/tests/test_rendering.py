"""Documents out: records -> DOCX and PDF in the Nghị định 30/2020 format, read back."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.core.management import call_command
from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.shared import Pt
from pypdf import PdfReader

from boiduong.plans import rendering
from boiduong.plans.models import Document

from . import factories

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _mm(length) -> float:
    return length / 36000


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


@pytest.fixture
def kh361(world) -> Document:
    return factories.seed_plan("361/KH-BGDĐT").document


@pytest.fixture
def kh361_docx(kh361):
    return Docx(io.BytesIO(rendering.document_docx(kh361)))


def test_docx_is_a4_with_nd30_margins_and_a_landscape_appendix(kh361_docx):
    body, appendix = kh361_docx.sections
    assert body.orientation == WD_ORIENT.PORTRAIT
    assert (round(_mm(body.page_width)), round(_mm(body.page_height))) == (210, 297)
    assert 20 <= round(_mm(body.top_margin)) <= 25
    assert 20 <= round(_mm(body.bottom_margin)) <= 25
    assert 30 <= round(_mm(body.left_margin)) <= 35
    assert 15 <= round(_mm(body.right_margin)) <= 20
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert round(_mm(appendix.page_width)) == 297


def test_docx_is_times_new_roman_13_to_14(kh361_docx):
    normal = kh361_docx.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size in (Pt(13), Pt(14))
    body_runs = [r for p in kh361_docx.paragraphs for r in p.runs if r.text.strip()]
    assert body_runs
    for run in body_runs:
        assert run.font.name == "Times New Roman"
        assert run.font.size in (Pt(13), Pt(14)), run.text


def test_docx_header_title_signature_and_appendix(kh361_docx):
    header = kh361_docx.tables[0]
    left = header.rows[0].cells[0].text + header.rows[1].cells[0].text
    right = header.rows[0].cells[1].text + header.rows[1].cells[1].text
    assert "BỘ GIÁO DỤC VÀ ĐÀO TẠO" in left
    assert "Số: 361/KH-BGDĐT" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right
    assert "Độc lập - Tự do - Hạnh phúc" in right
    assert "Hà Nội, ngày 07 tháng 4 năm 2021" in right
    date_run = header.rows[1].cells[1].paragraphs[0].runs[0]
    assert date_run.italic
    text = _all_text(kh361_docx)
    assert "KẾ HOẠCH" in text
    assert "Triển khai thực hiện Kế hoạch số 51/KH-BGDĐT" in text
    assert "I. Mục đích, yêu cầu" in text
    assert "KT. BỘ TRƯỞNG" in text and "THỨ TRƯỞNG" in text and "Trần Ngọc Thương" in text
    assert "Nơi nhận:" in text and "- Lưu: VT, NGCBQLGD." in text
    assert "PHỤ LỤC" in text
    task_table = kh361_docx.tables[-1]
    assert [c.text for c in task_table.rows[0].cells][:3] == [
        "TT",
        "Nội dung công việc",
        "Thời gian thực hiện",
    ]
    assert len(task_table.rows) == 8
    assert task_table.rows[7].cells[2].text == "Tháng 8/2021"


def test_pdf_carries_vietnamese_text(kh361, settings):
    reader = PdfReader(io.BytesIO(rendering.document_pdf(kh361)))
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    assert "BỘ GIÁO DỤC VÀ ĐÀO TẠO" in first
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Số: 361/KH-BGDĐT" in first
    assert "Tập huấn, bồi dưỡng đội ngũ giáo viên" in first
    last = unicodedata.normalize("NFC", reader.pages[-1].extract_text())
    assert "Xây dựng báo cáo kết quả tập" in last and "Báo cáo kết quả tập huấn" in last
    assert reader.pages[-1].mediabox.width > reader.pages[-1].mediabox.height  # landscape


def test_kh451_renders_without_a_task_table(world):
    document = factories.seed_plan("451/KH-BGDĐT").document
    docx = Docx(io.BytesIO(rendering.document_docx(document)))
    assert len(docx.sections) == 1
    assert "Số: 451/KH-BGDĐT" in _all_text(docx)
    assert "Hoàng Đức Minh" in _all_text(docx)


def test_provincial_plan_keeps_its_parent_body_and_inline_table_becomes_an_appendix(world):
    document = factories.camau_plan().document
    docx = Docx(io.BytesIO(rendering.document_docx(document)))
    header = docx.tables[0].rows[0].cells[0].text
    assert "UBND TỈNH CÀ MAU" in header and "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in header
    text = _all_text(docx)
    assert "Cà Mau, ngày 14 tháng 10 năm 2022" in text
    assert "(Kèm theo Kế hoạch số 87/KH-SGDĐT ngày 14/10/2022" in text
    assert len(docx.sections) == 2


def test_a_decision_lists_its_basis_under_the_authority(world):
    """A QĐ is not a plan, so it is built here from the preview the importer would make."""
    from boiduong.plans.parsing import parse_document
    from boiduong.plans.services import _fill_document, _write_body

    text = (factories.DOCUMENTS.parent / "fixtures/qd_ban_chi_dao_2023.txt").read_text()
    parsed = parse_document(text)
    from boiduong.plans.importing import PlanImportPreview, body_sections, preamble_of

    preview = PlanImportPreview(
        parsed=parsed, action="create", existing=None, issuer=world.unit("BGDDT"),
        drafting_unit=None, owner=world.unit("BGDDT"), kind="other", programme=None,
        parent=None, year=2023, signer_authority="KT", signer_principal="BỘ TRƯỞNG",
        preamble=preamble_of(parsed), fields={}, responsibilities=[], tasks=[], basis=[],
        body_sections=body_sections(parsed.sections), appendices=[],
    )  # fmt: skip
    document = Document()
    _fill_document(document, preview)
    document.save()
    _write_body(document, preview)
    official = rendering.official_document(document)
    kinds = [(block.kind, block.text[:30]) for block in official.body[:6]]
    assert kinds[0] == ("center", "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO T")
    assert kinds[1][0] == "basis" and kinds[1][1].startswith("Căn cứ Nghị định số 86/2022")
    assert official.body[3].text.endswith(".")  # the last basis line closes with a full stop
    assert ("center", "QUYẾT ĐỊNH:") in kinds


def test_a_placeholder_cannot_be_rendered(world):
    placeholder = Document.objects.get(code="51/KH-BGDĐT")
    with pytest.raises(rendering.NotRenderable):
        rendering.document_docx(placeholder)
    response = world.client_for("so.hanoi").get(f"/plans/documents/{placeholder.pk}/docx/")
    assert response.status_code == 404


def test_downloads_have_the_right_type_and_name(world, kh361):
    client = world.client_for("so.hanoi")
    response = client.get(f"/plans/documents/{kh361.pk}/docx/")
    assert response["Content-Type"] == rendering.DOCX_TYPE
    assert 'filename="361-kh-bgddt-2021.docx"' in response["Content-Disposition"]
    pdf = client.get(f"/plans/documents/{kh361.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_render_document_command(world, tmp_path, capsys):
    target = tmp_path / "kh361.docx"
    call_command("render_document", "361/KH-BGDĐT", "--format", "docx", "--output", str(target))
    assert "Số: 361/KH-BGDĐT" in _all_text(Docx(str(target)))
    pdf = tmp_path / "kh361.pdf"
    call_command("render_document", "361/KH-BGDĐT", "--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "code,message",
    [("999/KH-BGDĐT", "Không có văn bản số"), ("51/KH-BGDĐT", "mới chỉ được dẫn chiếu")],
)
def test_render_document_refuses_in_vietnamese(world, tmp_path, capsys, code, message):
    with pytest.raises(SystemExit) as exit_info:
        call_command("render_document", code, "--output", str(tmp_path / "x.docx"))
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
