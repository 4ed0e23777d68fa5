"""Issue 4's journey: a provincial officer uploads a registry with 3 bad rows, reads the
errors, fixes them, imports, and watches the job's progress bar finish; then finds the people
and reveals one national ID (logged)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from .conftest import apply_filters, login, screenshot

pytestmark = pytest.mark.browser

HEADER = [
    "STT", "Số CCCD", "Họ và tên", "Giới tính", "Ngày sinh", "Tỉnh/thành phố",
    "Trường (cơ sở giáo dục)", "Chức vụ", "Năm", "Xếp loại chuẩn nghề nghiệp", "Cốt cán",
]  # fmt: skip
HOA_SEN, SEN_VANG = "Trường Mầm non Hoa Sen", "Trường Mầm non Sen Vàng"
GOOD = [
    ["001190500001", "Đặng Thị Thu Hà", "Nữ", dt.date(1988, 2, 3), "Hà Nội", HOA_SEN],
    ["001190500002", "Vũ Thị Ngọc Ánh", "Nữ", dt.date(1991, 7, 21), "Hà Nội", SEN_VANG],
    ["001190500003", "Bùi Thị Yến", "Nữ", dt.date(1985, 11, 9), "Hà Nội", SEN_VANG],
]
BAD = [
    ["00119050004", "Ngô Thị Lan", "Nữ", dt.date(1990, 1, 1), "Hà Nội", HOA_SEN],
    ["001190500005", "Phan Thị Hoa", "Nữ", "31/02/1992", "Hà Nội", HOA_SEN],
    ["001190500006", "Lý Thị Mơ", "Nữ", dt.date(1987, 5, 5), "Tỉnh Sao Hỏa", HOA_SEN],
]
FIXED = [
    ["001190500004", *BAD[0][1:]],
    [*BAD[1][:3], "28/02/1992", *BAD[1][4:]],
    [*BAD[2][:4], "Thành phố Hà Nội", BAD[2][5]],
]


def _workbook(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row, "Giáo viên", 2020, "Khá", "GV cốt cán" if number == 1 else ""])
    workbook.save(path)
    return str(path)


@pytest.fixture
def jobs_in_background(monkeypatch):
    """Jobs run a moment after they are queued, in another thread, as a worker would run
    them, so the page shows the job waiting and then finishing."""
    from django.db import connection

    from boiduong.core import jobs, tasks

    def later(job_id):
        def run():
            threading.Event().wait(1.5)
            jobs.execute(job_id)
            connection.close()

        threading.Thread(target=run, daemon=True).start()

    monkeypatch.setattr(tasks.run_job, "delay", later)


def _upload(page, path):
    page.goto(f"{page.base_url}/people/import/")
    page.set_input_files("input[type=file]", path)
    page.click("button:has-text('Kiểm tra tệp')")
    page.wait_for_url("**/people/import/*/")


def test_officer_fixes_three_bad_rows_and_imports(page, tmp_path, jobs_in_background):
    login(page, "so.hanoi")
    page.click("text=Nhập danh sách nhân sự")
    expect(page.locator("[data-testid=import-form]")).to_be_visible()
    screenshot(page, "people-01-import-page")

    _upload(page, _workbook(tmp_path / "danh-sach.xlsx", GOOD + BAD))
    expect(page.locator("[data-count=errors]")).to_have_text("3")
    expect(page.locator("[data-count=new]")).to_have_text("3")
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "12 chữ số" in errors and "ngày không có thật" in errors
    assert "không tìm thấy tỉnh/thành phố “Tỉnh Sao Hỏa”" in errors
    assert page.locator("[data-testid=confirm-import]").count() == 0
    with page.expect_download() as report:
        page.click("[data-testid=error-report]")
    assert report.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "people-02-preview-with-errors")

    _upload(page, _workbook(tmp_path / "danh-sach-da-sua.xlsx", GOOD + FIXED))
    expect(page.locator("[data-count=errors]")).to_have_text("0")
    expect(page.locator("[data-count=new]")).to_have_text("6")
    screenshot(page, "people-03-preview-clean")

    page.click("[data-testid=confirm-import]")
    page.wait_for_url("**/jobs/*/")
    progress = page.locator("#job-progress")
    expect(progress).to_have_attribute("data-status", "queued")
    screenshot(page, "people-04-job-waiting")
    expect(page.locator("#job-progress")).to_have_attribute(
        "data-status", "succeeded", timeout=20_000
    )
    expect(page.locator(".progress-bar")).to_have_text("100%")
    screenshot(page, "people-05-job-finished")

    page.click("text=Tiếp tục")
    expect(page.locator("[data-count=new]")).to_have_text("6")
    page.click("[data-testid=see-people]")
    page.fill("#id_q", "dang thi thu ha")
    apply_filters(page)
    page.wait_for_url("**q=dang*thi*thu*ha**")
    expect(page.locator("[data-testid=result-count]")).to_have_text("1 kết quả")
    expect(page.locator("[data-testid=person-table]")).to_contain_text("Đặng Thị Thu Hà")
    screenshot(page, "people-06-list")

    page.locator("[data-testid=person-table]").get_by_role("link", name="Đặng Thị Thu Hà").click()
    expect(page.locator("[data-testid=national-id]")).to_have_text("0011••••••01")
    page.click("[data-testid=reveal]")
    expect(page.locator("[data-testid=national-id]")).to_have_text("001190500001")
    expect(page.locator("#core-statuses")).to_contain_text("GV cốt cán")
    page.reload()
    expect(page.locator("#history")).to_contain_text("xem dữ liệu cá nhân")
    screenshot(page, "people-07-person")
