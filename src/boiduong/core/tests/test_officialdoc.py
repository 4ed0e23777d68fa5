"""DOCX and PDF rendering of official documents (Nghị định 30/2020/NĐ-CP Phụ lục I).

The model document is KH 361/KH-BGDĐT of 07/04/2021 (shared/seeds), rebuilt here in full.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from pypdf import PdfReader

from boiduong.core.fonts import SerifFontFiles, find_serif_fonts
from boiduong.core.officialdoc import (
    TASK_COLUMNS,
    BodyBlock,
    OfficialDocument,
    TaskRow,
    format_vn_date,
    render_docx,
    render_pdf,
    task_appendix,
)

REPO_ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(autouse=True)
def _media_root():
    """Overrides the project conftest's fixture: these tests need no Django settings, so they
    also run with ``-p no:django``."""


KH361_TITLE = (
    "Tập huấn, bồi dưỡng đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán và "
    "chuyên gia đầu ngành của Bộ Giáo dục và Đào tạo dựa trên tiếp cận mới về chức năng và "
    "nhiệm vụ của đội ngũ cốt cán"
)
DE_AN = "“Đào tạo, bồi dưỡng nhà giáo và cán bộ quản lý giáo dục mầm non giai đoạn 2018-2025”"


def _blocks(spec: str) -> list[BodyBlock]:
    """Body from a compact notation: "# " heading1, "## " heading2, "- " bullet, else paragraph."""
    blocks = []
    for line in spec.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## "):
            blocks.append(BodyBlock("heading2", line[3:]))
        elif line.startswith("# "):
            blocks.append(BodyBlock("heading1", line[2:]))
        elif line.startswith("- "):
            blocks.append(BodyBlock("bullet", line))
        else:
            blocks.append(BodyBlock("paragraph", line))
    return blocks


KH361_BODY = f"""
Triển khai thực hiện Kế hoạch số 51/KH-BGDĐT ngày 19/01/2021 của Bộ Giáo dục và Đào tạo thực hiện Đề án {DE_AN} (sau đây gọi tắt là Đề án) năm 2021, Bộ Giáo dục và Đào tạo ban hành Kế hoạch tập huấn, bồi dưỡng đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán và chuyên gia đầu ngành của Bộ Giáo dục và Đào tạo dựa trên tiếp cận mới về chức năng và nhiệm vụ của đội ngũ cốt cán như sau:
# I. Mục đích, yêu cầu
## 1. Mục đích
Tăng cường năng lực cho đội ngũ giáo viên, cán bộ quản lý cơ sở giáo dục mầm non cốt cán và chuyên gia đầu ngành của Bộ Giáo dục và Đào tạo dựa trên tiếp cận mới về chức năng và nhiệm vụ của đội ngũ cốt cán đáp ứng yêu cầu đổi mới công tác chăm sóc và giáo dục trẻ em giai đoạn hiện nay.
## 2. Yêu cầu
- Bám sát nhiệm vụ và giải pháp thực hiện mục tiêu Đề án về việc xây dựng đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán và chuyên gia đầu ngành dựa trên tiếp cận mới về chức năng, nhiệm vụ.
- Bảo đảm sự phối hợp chặt chẽ giữa đơn vị, tổ chức, cá nhân và địa phương trong việc triển khai thực hiện nhiệm vụ tập huấn đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán năm 2021 theo lộ trình tập huấn đội ngũ giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán của Đề án.
- Bảo đảm sự phối hợp, chặt chẽ trong việc thực hiện nhiệm vụ, giải quyết kịp thời các vướng mắc phát sinh trong quá trình thực hiện, bảo đảm hoàn thành các nhiệm vụ đề ra trong Kế hoạch này.
# II. Nội dung
1. Bồi dưỡng về các năng lực: Năng lực ứng dụng công nghệ thông tin và triển khai các khóa bồi dưỡng nâng cao năng lực chuyên môn cho đội ngũ giáo viên mầm non; Năng lực hỗ trợ, tư vấn cho cán bộ quản lý cơ sở giáo dục mầm non trên địa bàn xây dựng kế hoạch tự học, tự phát triển năng lực quản trị nhà trường.
2. Bồi dưỡng cập nhật những quy định, yêu cầu, nhiệm vụ mới liên quan đến giáo dục mầm non.
3. Bồi dưỡng cập nhật những kiến thức, kỹ năng trên cơ sở các nội dung trong chương trình bồi dưỡng thường xuyên đối với giáo viên mầm non theo quy định Bộ Giáo dục và Đào tạo.
# III. Thành phần, địa điểm, thời gian và phương thức tập huấn
## 1. Thành phần đại biểu
- Ban tổ chức, các chuyên gia và các báo cáo viên tập huấn: 20 người.
- Giáo viên và cán bộ quản lý cơ sở giáo dục mầm non cốt cán mỗi Sở Giáo dục và Đào tạo theo danh sách giáo viên và cán bộ quản lý cốt cán được đánh giá đạt trong đợt tập huấn, bồi dưỡng năm 2020.
## 2. Địa điểm
Tổ chức tại 03 miền: Dự kiến số lượng giáo viên mầm non cốt cán và đại biểu tham gia dự khoảng 200 người/1 miền.
## 3. Thời gian
05 ngày không bao gồm thời gian đi lại, dự kiến vào tháng 7-8/2021.
(Thành phần đại biểu, địa điểm và thời gian cụ thể sẽ thông báo sau)
## 4. Phương thức
Trực tiếp hoặc trực tuyến (tùy tình hình thực tế)
# IV. Kinh phí thực hiện
Kinh phí lấy từ nguồn kinh phí thực hiện Đề án {DE_AN} năm 2021 của Bộ Giáo dục và Đào tạo.
# V. Tổ chức thực hiện
## 1. Cục Nhà giáo và Cán bộ quản lý giáo dục
- Chủ trì, phối hợp với các đơn vị chức năng thuộc Bộ Giáo dục và Đào tạo và các đơn vị, tổ chức, cá nhân liên quan tổ chức, triển khai tập huấn theo kế hoạch.
- Đề xuất dự toán kinh phí tập huấn.
- Tham mưu với lãnh đạo Bộ thành lập Ban tổ chức, Ban biên soạn tài liệu, Báo cáo viên, Hội đồng thẩm định tài liệu; chủ trì biên soạn tài liệu tập huấn; ban hành các công văn, văn bản theo thẩm quyền để triển khai thực hiện kế hoạch.
- Tổng hợp tình hình, báo cáo kết quả triển khai thực hiện.
## 2. Vụ Giáo dục Mầm non
Phối hợp với Cục Nhà giáo và Cán bộ quản lý xây dựng nội dung, tổ chức tập huấn; cử cán bộ tham gia Ban tổ chức và tham gia tập huấn.
## 3. Các vụ/cục khác và các đơn vị liên quan
Phối hợp với Cục Nhà giáo và Cán bộ quản lý giáo dục triển khai thực hiện kế hoạch; cử cán bộ tham gia Ban tổ chức và tham dự tập huấn (nếu cần thiết).
## 4. Trường Đại học Sư phạm Hà Nội, trường Cao đẳng Sư phạm Trung ương
Phối hợp với Cục Nhà giáo và Cán bộ quản lý giáo dục thực hiện Kế hoạch, cử cán bộ tham gia Ban tổ chức, Ban biên soạn tài liệu, Hội đồng thẩm định tài liệu và tham gia báo cáo viên.
## 5. Các Sở Giáo dục và Đào tạo
Cử và tạo điều kiện thuận lợi cho giáo viên, cán bộ quản lý cốt cán tham dự tập huấn; xây dựng Kế hoạch và triển khai tổ chức tập huấn ở đơn vị.
Kinh phí cử giáo viên và cán bộ quản lý mầm non cốt cán đi tập huấn do địa phương chi trả theo quy định.
Căn cứ Kế hoạch này, Cục Nhà giáo và Cán bộ quản lý giáo dục và các đơn vị liên quan triển khai thực hiện./.
"""  # noqa: E501

_UNITS = "Các đơn vị có liên quan"
KH361_TASKS = [
    TaskRow(
        "1.",
        "Xây dựng kế hoạch tập huấn, các văn bản chỉ đạo có liên quan",
        "Tháng 3-6/2021",
        "Kế hoạch, các quyết định và văn bản chỉ đạo",
        "Cục NGCBQL",
        _UNITS,
    ),
    TaskRow(
        "2.",
        "Biên soạn tài liệu",
        "Tháng 4-6/2021",
        "Các văn bản chỉ đạo, tài liệu tập huấn được thẩm định",
        "Cục NGCBQL",
        _UNITS,
    ),
    TaskRow(
        "3.",
        "Soạn thảo các công văn chỉ đạo, chuẩn bị các nội dung, các tài liệu liên quan đến "
        "tập huấn",
        "Tháng 5-7/2021",
        "Các công văn gửi các Sở GDĐT; nội dung, các tài liệu liên quan đến tập huấn",
        "Cục NGCBQL",
        _UNITS,
    ),
    TaskRow(
        "4.",
        "Tổ chức tập huấn tại miền Bắc",
        "Tháng 7-8/2021",
        "GV và CBQL cốt cán các tỉnh miền Bắc được tập huấn các tỉnh miền trực tiếp",
        "Cục NGCBQL",
        _UNITS,
    ),
    TaskRow(
        "5.",
        "Tổ chức tập huấn tại miền Trung và Tây Nguyên",
        "Tháng 7-8/2021",
        "GV và CBQL cốt cán các tỉnh miền Trung và tây Nguyên được tập huấn trực tiếp",
        "Cục NGCBQL",
        _UNITS,
    ),
    TaskRow(
        "6.",
        "Tổ chức tập huấn tại miền Nam",
        "Tháng 7-8/2021",
        "GV và CBQL cốt cán các tỉnh miền Nam được tập huấn trực tiếp",
        "Cục NGCBQL",
        _UNITS,
    ),
    TaskRow(
        "7.",
        "Xây dựng báo cáo kết quả tập huấn",
        "Tháng 8/2021",
        "Báo cáo kết quả tập huấn",
        "Cục NGCBQL",
        _UNITS,
    ),
]


def kh361() -> OfficialDocument:
    """KH 361/KH-BGDĐT (07/04/2021), the model document of the seeds."""
    return OfficialDocument(
        parent_body="",
        issuer="BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        code="361/KH-BGDĐT",
        notation="KH-BGDĐT",
        place="Hà Nội",
        issued_on=date(2021, 4, 7),
        type_name="KẾ HOẠCH",
        title=KH361_TITLE,
        recipients_salutation="",
        body=_blocks(KH361_BODY),
        signer_authority="KT. BỘ TRƯỞNG",
        signer_title="THỨ TRƯỞNG",
        signer_name="Trần Ngọc Thương",
        recipients=[
            "- Bộ trưởng (để b/c);",
            "- Các Thứ trưởng (để p/h chỉ đạo);",
            "- Các vụ, cục liên quan thuộc Bộ GDĐT (để t/h);",
            "- Trường ĐHSP Hà Nội, trường Cao đẳng Sư phạm Trung ương (để t/h);",
            "- Các Sở GDĐT, Sở GD, KH và CN Bạc Liêu (để t/h);",
            "- Các cơ sở đào tạo, bồi dưỡng (để t/h);",
            "- Cổng thông tin điện tử Bộ GDĐT;",
            "- Lưu: VT, NGCBQLGD.",
        ],
        drafting_unit_abbr="NGCBQLGD",
        appendices=[
            task_appendix(
                subtitle="Nội dung chi tiết công việc triển khai Kế hoạch tập huấn " + KH361_TITLE,
                note=(
                    "(Ban hành kèm theo Kế hoạch số 361/KH-BGDĐT ngày 07 tháng 4 năm 2021 "
                    "của Bộ trưởng Bộ Giáo dục và Đào tạo)"
                ),
                tasks=KH361_TASKS,
            )
        ],
    )


def dispatch() -> OfficialDocument:
    """A công văn: no type name, "V/v" under the number, "Kính gửi:" before the body."""
    return OfficialDocument(
        parent_body="",
        issuer="Bộ Giáo dục và Đào tạo",
        code="",
        notation="BGDĐT-NGCBQLGD",
        place="Hà Nội",
        issued_on=None,
        type_name="",
        title="Cử giáo viên, cán bộ quản lý cơ sở giáo dục mầm non cốt cán tham dự tập huấn",
        recipients_salutation="Kính gửi: Các Sở Giáo dục và Đào tạo",
        body=[
            BodyBlock(
                "paragraph",
                "Thực hiện Kế hoạch số 361/KH-BGDĐT ngày 07/4/2021 của Bộ Giáo dục và Đào tạo, "
                "Bộ Giáo dục và Đào tạo đề nghị các Sở cử giáo viên, cán bộ quản lý cốt cán "
                "tham dự tập huấn theo danh sách gửi kèm./.",
            )
        ],
        signer_authority="TL. BỘ TRƯỞNG",
        signer_title="CỤC TRƯỞNG CỤC NHÀ GIÁO VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC",
        signer_name="Vũ Minh Đức",
        recipients=["Như trên", "Thứ trưởng Ngô Thị Minh (để b/c)"],
        drafting_unit_abbr="NGCBQLGD",
    )


def decision() -> OfficialDocument:
    """A provincial decision with a parent body line and a February date."""
    return OfficialDocument(
        parent_body="UBND tỉnh Cà Mau",
        issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        code="15/QĐ-SGDĐT",
        notation="QĐ-SGDĐT",
        place="Cà Mau",
        issued_on=date(2021, 2, 3),
        type_name="QUYẾT ĐỊNH",
        title="Về việc cử giáo viên mầm non cốt cán tham dự tập huấn năm 2021",
        body=[
            BodyBlock("center", "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
            BodyBlock(
                "basis",
                "Căn cứ Kế hoạch số 361/KH-BGDĐT ngày 07/4/2021 của Bộ Giáo dục và Đào tạo;",
            ),
            BodyBlock("basis", "Theo đề nghị của Trưởng phòng Giáo dục Mầm non."),
            BodyBlock("center", "QUYẾT ĐỊNH:"),
            BodyBlock(
                "paragraph",
                "Điều 1. Cử 05 giáo viên mầm non cốt cán tham dự tập huấn tại miền Nam.",
            ),
            BodyBlock("paragraph", "Điều 2. Quyết định có hiệu lực kể từ ngày ký./."),
        ],
        signer_authority="",
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Ẩn",
        recipients=["Như Điều 2"],
        drafting_unit_abbr="GDMN",
    )


@pytest.fixture(scope="module")
def serif_fonts(tmp_path_factory) -> SerifFontFiles:
    return find_serif_fonts(
        build_dir=tmp_path_factory.mktemp("fonts"), node_modules=REPO_ROOT / "node_modules"
    )


@pytest.fixture(scope="module")
def kh361_docx():
    return Document(io.BytesIO(render_docx(kh361())))


@pytest.fixture(scope="module")
def kh361_pdf(serif_fonts) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(kh361(), fonts=serif_fonts)))


def _cell_texts(table) -> list[str]:
    return [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]


def _mm(length) -> float:
    return length / Mm(1)


# --- format_vn_date ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2021, 4, 7), "ngày 07 tháng 4 năm 2021"),
        (date(2021, 2, 7), "ngày 07 tháng 02 năm 2021"),
        (date(2021, 10, 15), "ngày 15 tháng 10 năm 2021"),
        (date(2022, 1, 1), "ngày 01 tháng 01 năm 2022"),
        (date(2020, 12, 31), "ngày 31 tháng 12 năm 2020"),
    ],
)
def test_format_vn_date_pads_days_and_first_two_months(day, expected):
    assert format_vn_date(day) == expected


def test_number_and_date_placeholders():
    doc = dispatch()
    assert doc.number_line().startswith("Số:")
    assert doc.number_line().endswith("/BGDĐT-NGCBQLGD")
    assert doc.date_line().startswith("Hà Nội, ngày")
    assert doc.date_line().endswith("năm 20..")
    assert doc.dispatch_summary().startswith("V/v Cử giáo viên")


def test_recipient_lines_get_dashes_semicolons_and_archive_line():
    lines = dispatch().recipient_lines()
    assert lines == [
        "- Như trên;",
        "- Thứ trưởng Ngô Thị Minh (để b/c);",
        "- Lưu: VT, NGCBQLGD.",
    ]
    assert kh361().recipient_lines()[-1] == "- Lưu: VT, NGCBQLGD."


def test_task_appendix_columns():
    appendix = kh361().appendices[0]
    assert appendix.columns == TASK_COLUMNS
    assert appendix.rows[0][2] == "Tháng 3-6/2021"
    assert appendix.landscape


def test_unknown_block_kind_is_rejected():
    with pytest.raises(ValueError):
        BodyBlock("heading9", "x")


# --- DOCX ----------------------------------------------------------------------------------------


def test_docx_page_is_a4_portrait_with_nd30_margins(kh361_docx):
    section = kh361_docx.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(_mm(section.page_width)) == 210
    assert round(_mm(section.page_height)) == 297
    assert 20 <= round(_mm(section.top_margin)) <= 25
    assert 20 <= round(_mm(section.bottom_margin)) <= 25
    assert 30 <= round(_mm(section.left_margin)) <= 35
    assert 15 <= round(_mm(section.right_margin)) <= 20
    assert section.different_first_page_header_footer  # no page number on page 1


def test_docx_appendix_is_a_landscape_section(kh361_docx):
    assert len(kh361_docx.sections) == 2
    appendix = kh361_docx.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert round(_mm(appendix.page_width)) == 297
    assert round(_mm(appendix.page_height)) == 210
    assert 30 <= round(_mm(appendix.left_margin)) <= 35


def test_docx_fonts_are_times_new_roman_13_14(kh361_docx):
    normal = kh361_docx.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size in (Pt(13), Pt(14))
    fonts = normal.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "Times New Roman"
    )
    runs = [run for p in kh361_docx.paragraphs for run in p.runs if run.text.strip()]
    assert len(runs) > 40
    for run in runs:
        assert run.font.name == "Times New Roman", run.text
        assert run.font.size in (Pt(13), Pt(14)), run.text


def test_docx_header_table(kh361_docx):
    header = kh361_docx.tables[0]
    texts = _cell_texts(header)
    for expected in (
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 361/KH-BGDĐT",
        "Hà Nội, ngày 07 tháng 4 năm 2021",
    ):
        assert expected in texts
    date_runs = [
        run
        for row in header.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if run.text == "Hà Nội, ngày 07 tháng 4 năm 2021"
    ]
    assert date_runs and date_runs[0].italic
    issuer_run = next(
        run
        for p in header.rows[0].cells[0].paragraphs
        for run in p.runs
        if run.text == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    )
    assert issuer_run.bold


def test_docx_type_title_and_body(kh361_docx):
    texts = [p.text for p in kh361_docx.paragraphs]
    kind = kh361_docx.paragraphs[texts.index("KẾ HOẠCH")]
    assert kind.runs[0].bold
    assert KH361_TITLE in texts
    body = kh361_docx.paragraphs[
        texts.index(
            "2. Bồi dưỡng cập nhật những quy định, yêu cầu, "
            "nhiệm vụ mới liên quan đến giáo dục mầm non."
        )
    ]
    assert body.paragraph_format.first_line_indent >= Mm(10)
    assert body.paragraph_format.space_after >= Pt(6)
    assert kh361_docx.paragraphs[texts.index("I. Mục đích, yêu cầu")].runs[0].bold


def test_docx_signature_and_recipients(kh361_docx):
    signature = kh361_docx.tables[1]
    texts = _cell_texts(signature)
    assert "KT. BỘ TRƯỞNG" in texts
    assert "THỨ TRƯỞNG" in texts
    assert "Trần Ngọc Thương" in texts
    assert "Nơi nhận:" in texts
    recipients = list(signature.rows[0].cells[0].paragraphs)
    assert recipients[-1].text == "- Lưu: VT, NGCBQLGD."
    label = recipients[0].runs[0]
    assert label.bold and label.italic


def test_docx_appendix_table(kh361_docx):
    table = kh361_docx.tables[2]
    assert len(table.rows) == 8
    assert [c.text for c in table.rows[0].cells] == TASK_COLUMNS
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[2].text == "Tháng 3-6/2021"
    assert (
        table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    texts = [p.text for p in kh361_docx.paragraphs]
    assert "PHỤ LỤC" in texts


def test_docx_core_properties(kh361_docx):
    props = kh361_docx.core_properties
    assert props.author == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert "361/KH-BGDĐT" in props.title


def test_docx_dispatch_and_decision_render():
    cv = Document(io.BytesIO(render_docx(dispatch())))
    header = _cell_texts(cv.tables[0])
    assert "BỘ GIÁO DỤC VÀ ĐÀO TẠO" in header
    assert any(t.startswith("V/v Cử giáo viên") for t in header)
    assert any(t.startswith("Số:") and t.endswith("/BGDĐT-NGCBQLGD") for t in header)
    texts = [p.text for p in cv.paragraphs]
    assert "Kính gửi: Các Sở Giáo dục và Đào tạo" in texts
    assert "KẾ HOẠCH" not in texts
    assert len(cv.sections) == 1

    qd = Document(io.BytesIO(render_docx(decision())))
    header = _cell_texts(qd.tables[0])
    assert "UBND TỈNH CÀ MAU" in header
    assert "Cà Mau, ngày 03 tháng 02 năm 2021" in header
    texts = [p.text for p in qd.paragraphs]
    assert "QUYẾT ĐỊNH" in texts
    signature = _cell_texts(qd.tables[1])
    assert "GIÁM ĐỐC" in signature and "Nguyễn Văn Ẩn" in signature


# --- PDF -----------------------------------------------------------------------------------------


def _is_landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def _landscape_pages(reader) -> list[int]:
    return [i for i, page in enumerate(reader.pages) if _is_landscape(page)]


def test_pdf_first_page_is_a4_portrait_and_appendix_landscape(kh361_pdf):
    first = kh361_pdf.pages[0]
    assert round(float(first.mediabox.width) / 72 * 25.4) == 210
    assert round(float(first.mediabox.height) / 72 * 25.4) == 297
    landscape = _landscape_pages(kh361_pdf)
    assert landscape and landscape == list(range(landscape[0], len(kh361_pdf.pages)))
    appendix = kh361_pdf.pages[landscape[0]]
    assert round(float(appendix.mediabox.width) / 72 * 25.4) == 297
    assert round(float(appendix.mediabox.height) / 72 * 25.4) == 210
    assert "PHỤ LỤC" in appendix.extract_text()


def test_pdf_text(kh361_pdf):
    text = "\n".join(page.extract_text() for page in kh361_pdf.pages)
    for expected in (
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 361/KH-BGDĐT",
        "Hà Nội, ngày 07 tháng 4 năm 2021",
        "KẾ HOẠCH",
        "KT. BỘ TRƯỞNG",
        "THỨ TRƯỞNG",
        "Trần Ngọc Thương",
        "Nơi nhận:",
        "- Lưu: VT, NGCBQLGD.",
    ):
        assert expected in text, expected
    appendix_text = kh361_pdf.pages[_landscape_pages(kh361_pdf)[0]].extract_text()
    assert "Tháng 3-6/2021" in appendix_text
    assert "Nội dung công việc" in appendix_text


def test_pdf_embeds_the_serif_font(kh361_pdf, serif_fonts):
    names = set()
    for page in kh361_pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            if "/FontDescriptor" in font:
                assert "/FontFile2" in font["/FontDescriptor"]
    family = serif_fonts.family.replace(" ", "")
    assert any(family.lower() in name.lower() for name in names), names


def test_pdf_metadata(kh361_pdf):
    assert kh361_pdf.metadata.author == "BỘ GIÁO DỤC VÀ ĐÀO TẠO"
    assert "361/KH-BGDĐT" in kh361_pdf.metadata.title


def _page_number(page) -> str | None:
    """The number printed in the top margin (drawn last, so extracted last)."""
    lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].isdigit() else None


def test_pdf_page_numbers_start_on_page_two(kh361_pdf):
    pages = kh361_pdf.pages
    landscape = _landscape_pages(kh361_pdf)
    main = range(landscape[0])
    assert len(main) >= 2
    assert _page_number(pages[0]) is None
    assert [_page_number(pages[i]) for i in main][1:] == [str(i + 1) for i in main][1:]
    # Each appendix is numbered on its own and its first page carries no number.
    assert _page_number(pages[landscape[0]]) is None


def test_pdf_dispatch_and_decision_render(serif_fonts):
    cv = PdfReader(io.BytesIO(render_pdf(dispatch(), fonts=serif_fonts)))
    text = cv.pages[0].extract_text()
    assert "Kính gửi: Các Sở Giáo dục và Đào tạo" in text
    assert "V/v Cử giáo viên" in text
    assert "TL. BỘ TRƯỞNG" in text
    qd = PdfReader(io.BytesIO(render_pdf(decision(), fonts=serif_fonts)))
    text = qd.pages[0].extract_text()
    assert "UBND TỈNH CÀ MAU" in text
    assert "QUYẾT ĐỊNH" in text
    assert "Nguyễn Văn Ẩn" in text


def test_pdf_with_the_built_tinos(tmp_path):
    fonts = find_serif_fonts(
        build_dir=tmp_path, node_modules=REPO_ROOT / "node_modules", system_font_dirs=[]
    )
    assert fonts.family == "Tinos"
    reader = PdfReader(io.BytesIO(render_pdf(kh361(), fonts=fonts)))
    names = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert names and all("Tinos" in name for name in names), names
    text = reader.pages[0].extract_text()
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "dưỡng đội ngũ giáo viên" in text


def test_decomposed_input_is_printed_precomposed(serif_fonts):
    """Text typed with combining marks (NFD) is normalised, so no loose accents are printed."""
    doc = decision()
    doc.signer_name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    doc.body.append(BodyBlock("paragraph", unicodedata.normalize("NFD", "Bồi dưỡng cốt cán.")))
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(doc, fonts=serif_fonts))).pages
    )
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert "Bồi dưỡng cốt cán." in text
    docx = Document(io.BytesIO(render_docx(doc)))
    assert "Bồi dưỡng cốt cán." in [p.text for p in docx.paragraphs]
    assert "Nguyễn Thị Ánh Tuyết" in _cell_texts(docx.tables[1])


def test_decision_basis_is_italic_and_authority_centred():
    docx = Document(io.BytesIO(render_docx(decision())))
    paragraphs = {p.text: p for p in docx.paragraphs}
    basis = paragraphs["Theo đề nghị của Trưởng phòng Giáo dục Mầm non."]
    assert basis.runs[0].italic
    decide = paragraphs["QUYẾT ĐỊNH:"]
    assert decide.runs[0].bold
    assert decide.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_long_appendix_repeats_its_header_row_and_numbers_its_own_pages(serif_fonts):
    doc = kh361()
    doc.appendices[0].rows = [task.cells() for task in KH361_TASKS] * 6
    reader = PdfReader(io.BytesIO(render_pdf(doc, fonts=serif_fonts)))
    landscape = _landscape_pages(reader)
    assert len(landscape) >= 2
    second = reader.pages[landscape[1]]
    assert "Nội dung công việc" in second.extract_text()
    assert _page_number(second) == "2"
    docx = Document(io.BytesIO(render_docx(doc)))
    assert len(docx.tables[2].rows) == 1 + 42
