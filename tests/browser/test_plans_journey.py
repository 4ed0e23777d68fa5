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
    page.locator("tr[data-task='7.'] a.btn").click()
    page.select_option("#id_status", "done")
    page.fill("#id_note", "Báo cáo kết quả tập huấn đã trình Lãnh đạo Bộ.")
    screenshot(page, "plans-11-task-edit")
    page.click("button:has-text('Lưu')")
    expect(page.locator("tr[data-task='7.'] [data-status]")).to_have_attribute(
        "data-status", "done"
    )

    _menu(page, "Văn bản")
    page.fill("#id_q", "361")
    page.click("button:has-text('Lọc')")
    page.wait_for_url("**q=361**")
    page.locator("[data-testid=document-table] tbody a", has_text="361/KH-BGDĐT").click()
    expect(page.locator("[data-testid=legal-basis]")).to_contain_text("KH 51/KH-BGDĐT")
    screenshot(page, "plans-12-document")

    _menu(page, "Nhiệm vụ của đơn vị")
    screenshot(page, "plans-13-my-tasks")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/plans/")
    screenshot(page, "plans-14-programmes-phone")
