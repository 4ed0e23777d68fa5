"""Issue 3's journey: a ministry officer pastes a plan, previews it, confirms, opens its
timeline and downloads its DOCX; then a tour of the seeds' pages."""

from __future__ import annotations

import calendar
import datetime as dt
import io

import pytest
from docx import Document as Docx
from playwright.sync_api import expect

from boiduong.core.text import official_date

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _menu(page, label: str) -> None:
    page.locator("#sidebar a.nav-link", has_text=label).first.click()
    page.wait_for_load_state()


def plan_text(today: dt.date) -> str:
    """A plan whose tasks sit around today, so its timeline has a today line."""
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    next_month = _month_end(this_month) + dt.timedelta(days=1)
    in_three = _month_end(_month_end(next_month) + dt.timedelta(days=40))
    deadline = today + dt.timedelta(days=75)
    issued = today - dt.timedelta(days=20)

    def dmy(day: dt.date) -> str:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"

    return f"""BỘ GIÁO DỤC VÀ ĐÀO TẠO
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 745/KH-BGDĐT
Hà Nội, {official_date(issued)}

KẾ HOẠCH
Bồi dưỡng thường xuyên giáo viên mầm non cốt cán năm {today.year}

Căn cứ Thông tư số 19/2019/TT-BGDĐT ngày 12/11/2019 của Bộ trưởng Bộ Giáo dục và Đào tạo ban hành Quy chế bồi dưỡng thường xuyên giáo viên, cán bộ quản lý cơ sở giáo dục mầm non, cơ sở giáo dục phổ thông và giáo viên trung tâm giáo dục thường xuyên, Bộ Giáo dục và Đào tạo ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích

Nâng cao năng lực hỗ trợ đồng nghiệp của giáo viên mầm non cốt cán.

2. Yêu cầu

Bồi dưỡng thiết thực, đúng đối tượng.

II. KINH PHÍ

Kinh phí chi thường xuyên của Bộ Giáo dục và Đào tạo.

III. TỔ CHỨC THỰC HIỆN

1. Cục Nhà giáo và Cán bộ quản lý giáo dục

Chủ trì tổ chức thực hiện Kế hoạch./.

Nơi nhận:
- Bộ trưởng (để b/c);
- Các Sở GDĐT (để t/h);
- Lưu: VT, NGCBQLGD.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Nguyễn Văn Phúc

PHỤ LỤC
NỘI DUNG CÔNG VIỆC
(Kèm theo Kế hoạch số 745/KH-BGDĐT ngày {dmy(issued)} của Bộ Giáo dục và Đào tạo)

| TT | Nội dung công việc | Thời gian thực hiện | Sản phẩm | Đơn vị chủ trì | Đơn vị phối hợp |
|---|---|---|---|---|---|
| 1 | Rà soát nhu cầu bồi dưỡng | Tháng {last_month.month}/{last_month.year} | Báo cáo nhu cầu | Cục NGCBQL | Vụ GDMN |
| 2 | Biên soạn học liệu trực tuyến | Tháng {this_month.month}/{this_month.year} | Học liệu được thẩm định | Cục NGCBQLGD | Trường ĐHSP Hà Nội |
| 3 | Tổ chức bồi dưỡng trực tuyến | Từ {dmy(next_month)} đến {dmy(in_three)} | Giáo viên được bồi dưỡng | Cục NGCBQLGD | Các Sở GDĐT |
| 4 | Báo cáo kết quả | Trước {dmy(deadline)} | Báo cáo | Cục NGCBQLGD | Vụ GDMN |
"""  # noqa: E501


def test_ministry_officer_imports_a_plan_and_downloads_its_docx(page):
    login(page, "cuc.ngcbqlgd")
    _menu(page, "Nhập kế hoạch")
    page.fill("#id_text", plan_text(dt.date.today()))
    screenshot(page, "plans-01-paste")
    page.click("button:has-text('Đọc và xem trước')")
    page.wait_for_url("**/plans/import/*/")
    expect(page.locator("[data-testid=preview-code]")).to_have_text("745/KH-BGDĐT")
    rows = page.locator("[data-testid=preview-tasks] tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Cục NGCBQLGD")  # "Cục NGCBQL" resolved
    expect(page.locator("[data-testid=preview-basis]")).to_contain_text("19/2019/TT-BGDĐT")
    screenshot(page, "plans-02-preview")

    page.click("[data-testid=confirm]")
    page.wait_for_url("**/plans/*/")
    expect(page.locator("[data-testid=plan-title]")).to_contain_text("745/KH-BGDĐT")
    expect(page.locator(".alert-success")).to_contain_text("4 nhiệm vụ")
    screenshot(page, "plans-03-plan-overview")

    page.click("[data-testid=tab-tasks]")
    expect(page.locator("[data-testid=plan-task-table] tbody tr")).to_have_count(4)
    expect(page.locator("[data-testid=plan-task-table] [data-due=overdue]")).to_have_count(1)
    screenshot(page, "plans-04-tasks")

    page.click("[data-testid=tab-timeline]")
    expect(page.locator("[data-testid=today-line]")).to_be_visible()
    expect(page.locator("[data-testid=timeline] .bd-gantt-bar")).to_have_count(3)
    expect(page.locator("[data-testid=timeline] .bd-gantt-milestone")).to_have_count(1)
    screenshot(page, "plans-05-timeline")

    with page.expect_download() as download_info:
        page.click("[data-testid=download-docx]")
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as handle:
        docx = Docx(io.BytesIO(handle.read()))
    header = docx.tables[0]
    assert "BỘ GIÁO DỤC VÀ ĐÀO TẠO" in header.rows[0].cells[0].text
    assert "Số: 745/KH-BGDĐT" in header.rows[1].cells[0].text
    assert "Độc lập - Tự do - Hạnh phúc" in header.rows[0].cells[1].text
    assert len(docx.sections) == 2  # the task table on its landscape page


def test_seed_pages_tour(page):
    login(page, "cuc.ngcbqlgd")
    screenshot(page, "plans-06-home")
    _menu(page, "Đề án & kế hoạch")
    page.locator("[data-testid=programme-table] tbody a").first.click()
    expect(page.locator("[data-testid=plan-tree]")).to_contain_text("KH 361/KH-BGDĐT")
    screenshot(page, "plans-07-programme")

    page.locator("[data-testid=plan-tree] a", has_text="KH 361/KH-BGDĐT").click()
    screenshot(page, "plans-08-kh361-overview")
    page.click("[data-testid=tab-tasks]")
    expect(page.locator("[data-testid=plan-task-table] [data-status=done]")).to_have_count(6)
    screenshot(page, "plans-09-kh361-tasks")
    page.click("[data-testid=tab-timeline]")
    expect(page.locator("[data-testid=today-note]")).to_contain_text("đã qua thời hạn")
    screenshot(page, "plans-10-kh361-timeline")

    page.click("[data-testid=tab-tasks]")
    row = page.locator("tr[data-task='7.']")
    row.locator("[data-testid=edit-inline]").click()  # HTMX: the row becomes a form
    form = page.locator("tr[data-task='7.'][data-testid=task-inline-form]")
    expect(form).to_be_visible()
    form.locator("select[name=status]").select_option("done")
    form.locator("textarea[name=note]").fill("Báo cáo kết quả tập huấn đã trình Lãnh đạo Bộ.")
    screenshot(page, "plans-11-task-inline-edit")
    form.locator("[data-testid=save-inline]").click()
    expect(page.locator("tr[data-task='7.'] [data-status]")).to_have_attribute(
        "data-status", "done"
    )
    expect(page.locator("tr[data-task='7.']")).to_contain_text("đã trình Lãnh đạo Bộ")
    expect(page.locator("[data-testid=due-counts] [data-due=overdue]")).to_have_count(0)
    assert "/tasks/" in page.url  # updated in place, no page change
    screenshot(page, "plans-11b-task-inline-saved")
    # The separate page still works (no JavaScript, or a long note).
    page.locator("tr[data-task='6.'] [data-testid=edit-inline]").click()
    page.locator("tr[data-task='6.'] a", has_text="Mở biểu mẫu đầy đủ").click()
    page.wait_for_url("**/plans/tasks/*/edit/")
    page.fill("#id_note", "Đã tổ chức tập huấn miền Nam; biên bản kèm theo.")
    page.click("button:has-text('Lưu')")
    expect(page.locator("tr[data-task='6.']")).to_contain_text("biên bản kèm theo")

    _menu(page, "Văn bản")
    page.fill("#id_q", "361")
    page.locator("button[type=submit]", has_text="Lọc").click()
    page.wait_for_url("**q=361**")
    page.locator("[data-testid=document-table] tbody a", has_text="361/KH-BGDĐT").click()
    expect(page.locator("[data-testid=legal-basis]")).to_contain_text("KH 51/KH-BGDĐT")
    screenshot(page, "plans-12-document")

    _menu(page, "Nhiệm vụ của đơn vị")
    screenshot(page, "plans-13-my-tasks")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/plans/")
    screenshot(page, "plans-14-programmes-phone")


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_ministry_officer_edits_a_document_a_plan_and_an_indicator(page, tmp_path):
    login(page, "cuc.ngcbqlgd")
    _menu(page, "Đề án & kế hoạch")
    page.locator("[data-testid=programme-table] tbody a").first.click()
    page.locator("[data-testid=plan-tree] a", has_text="KH 451/KH-BGDĐT").click()
    figures = page.locator("[data-testid=figures]")
    expect(figures).to_contain_text("Khoảng 150 người")
    expect(figures).to_contain_text("20 + 2 × 63 Sở GDĐT")
    expect(figures.locator("[data-level=close], [data-level=mismatch]").first).to_be_visible()
    screenshot(page, "plans-15-kh451-figures")

    page.click("[data-testid=edit-plan]")
    page.fill("#id_timing", "02 ngày, dự kiến vào tháng 12/2020.")
    page.click("[data-testid=save]")
    expect(page.locator(".text-danger[role=alert]").first).to_be_visible()  # no reason
    page.fill("#id_reason", "Ghi rõ thời gian hội thảo.")
    screenshot(page, "plans-16-plan-edit")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu kế hoạch")
    expect(page.locator("[data-testid=plan-texts]")).to_contain_text("02 ngày, dự kiến")

    page.locator("main a.btn", has_text="Văn bản").first.click()
    page.click("[data-testid=edit-document]")
    page.select_option("#id_signer_authority", "KT")
    page.fill("#id_signer_principal", "BỘ TRƯỞNG")
    page.fill("#id_signer_title", "THỨ TRƯỞNG")
    page.fill("#id_reason", "Bổ sung thẩm quyền ký theo bản gốc.")
    screenshot(page, "plans-17-document-edit")
    page.click("[data-testid=save]")
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu văn bản")
    expect(page.locator("[data-testid=document-metadata]")).to_contain_text("KT. BỘ TRƯỞNG")
    expect(page.locator("#history")).to_contain_text("Bổ sung thẩm quyền ký theo bản gốc.")

    signed = tmp_path / "KH451-ban-ky.pdf"
    signed.write_bytes(PDF)
    page.set_input_files("[data-testid=attachment-upload] input[type=file]", str(signed))
    page.click("[data-testid=attachment-upload] button")
    expect(page.locator("[data-testid=attachments]")).to_contain_text("KH451-ban-ky.pdf")
    with page.expect_download() as download_info:
        page.locator("[data-testid=attachment-link]", has_text="KH451-ban-ky.pdf").click()
    assert download_info.value.suggested_filename == "KH451-ban-ky.pdf"
    screenshot(page, "plans-18-document-attachments")
    delete = page.locator("[data-testid=attachment-delete]").first
    delete.locator("input[name=reason]").fill("Tải nhầm bản chưa ký.")
    delete.locator("button").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xóa KH451-ban-ky.pdf")
    expect(page.locator("#history")).to_contain_text("Tải nhầm bản chưa ký.")

    _menu(page, "Đề án & kế hoạch")
    page.locator("[data-testid=programme-table] tbody a").first.click()
    page.locator("[data-testid=indicators] a[title='Sửa']").last.click()
    page.fill("#id_target", "160")
    page.fill("#id_reason", "Theo quy tắc 20 + 2 × Sở + 2 × cơ sở đào tạo.")
    screenshot(page, "plans-19-indicator-edit")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=indicators]")).to_contain_text("160 người")
    page.click("[data-testid=add-indicator]")
    page.fill("#id_name", "Tỷ lệ giáo viên mầm non đạt chuẩn trình độ đào tạo")
    page.fill("#id_unit", "%")
    page.fill("#id_target", "100")
    page.fill("#id_year", "2025")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=indicators]")).to_contain_text("đạt chuẩn trình độ")
    screenshot(page, "plans-20-indicators")
