"""Issue 2's journey: a provincial officer browses units as of 2021 and 2026, opens Cà Mau,
sees its predecessors and exports the table."""

import openpyxl
import pytest
from playwright.sync_api import expect

from .conftest import apply_filters, login, screenshot

pytestmark = pytest.mark.browser


def test_provincial_officer_browses_units_over_time(page):
    login(page, "so.camau")
    screenshot(page, "orgs-01-home")
    assert "Xin chào" in page.content()

    # The menu also holds "Nhiệm vụ của đơn vị": name the link exactly.
    page.locator("#sidebar").get_by_role("link", name="Đơn vị", exact=True).click()
    page.select_option("#id_kind", "provincial_department")
    page.fill("#id_as_of", "2021-04-07")
    apply_filters(page)
    page.wait_for_url("**as_of=2021-04-07**")
    expect(page.locator("[data-testid=result-count]")).to_have_text("63 kết quả")
    screenshot(page, "orgs-02-units-2021")

    page.fill("#id_as_of", "2026-01-01")
    apply_filters(page)
    page.wait_for_url("**as_of=2026-01-01**")
    expect(page.locator("[data-testid=result-count]")).to_have_text("34 kết quả")
    screenshot(page, "orgs-03-units-2026")

    page.fill("#id_q", "ca mau")
    apply_filters(page)
    page.wait_for_url("**q=ca*mau**")
    expect(page.locator("[data-testid=result-count]")).to_have_text("1 kết quả")
    with page.expect_download() as download_info:
        page.click("[data-export=xlsx]")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:  # Playwright's temp file has no extension
        sheet = openpyxl.load_workbook(handle).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Sở Giáo dục và Đào tạo Cà Mau"]

    page.locator("[data-testid=orgunit-table]").get_by_role(
        "link", name="Sở Giáo dục và Đào tạo Cà Mau"
    ).first.click()
    predecessors = page.locator("[data-testid=predecessors]").inner_text()
    assert "Bạc Liêu" in predecessors and "Cà Mau" in predecessors
    screenshot(page, "orgs-04-ca-mau-merge-history")


def test_tree_and_phone_layout(page):
    login(page, "so.hanoi")
    page.goto(f"{page.base_url}/orgs/units/tree/?as_of=2021-04-07")
    page.click("button[aria-label='Mở rộng']")
    page.wait_for_selector("text=Sở Giáo dục và Đào tạo Hà Giang")
    screenshot(page, "orgs-05-tree-2021")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/orgs/provinces/?as_of=2026-01-01")
    screenshot(page, "orgs-06-provinces-phone")
    assert page.locator("[data-testid=province-table]").is_visible()
