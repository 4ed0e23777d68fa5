"""The unit picker: Sở GDĐT Hà Nội types "hoa sen" (no diacritics) in a new user's workplace,
picks the school from what the lookup returns, then corrects the user's name and workplace on
the edit page, with a reason."""

import pytest
from playwright.sync_api import expect

from .conftest import login, screenshot

pytestmark = pytest.mark.browser


def test_officer_types_hoa_sen_and_picks_the_school(page, monkeypatch):
    from boiduong.accounts.models import User
    from boiduong.orgs.forms import UnitPickerWidget
    from boiduong.orgs.models import OrgUnit

    # The demo world is small; a department's thousands of schools load from the lookup.
    monkeypatch.setattr(UnitPickerWidget, "FULL_LIST_LIMIT", 2)
    school = OrgUnit.objects.get(code="SGD01-2025-MN001")
    other = OrgUnit.objects.get(code="SGD01-2025-MN002")

    login(page, "so.hanoi")
    page.goto(f"{page.base_url}/accounts/users/new/")
    page.fill("#id_username", "gv.picker")
    page.fill("#id_full_name", "Đỗ Thị Chọn")
    page.locator("#id_workplace-ts-control").fill("hoa sen")
    option = page.locator(".ts-dropdown .option", has_text="Trường Mầm non Hoa Sen")
    expect(option).to_have_count(1)
    expect(page.locator(".ts-dropdown .option", has_text="Cà Mau")).to_have_count(0)
    expect(option).to_contain_text("Hà Nội · trường học")
    screenshot(page, "unit-picker-01-typed-hoa-sen")
    option.click()
    expect(page.locator("#id_workplace")).to_have_value(str(school.pk))
    page.select_option("#id_role", "participant")
    screenshot(page, "unit-picker-02-chosen")
    page.click("[data-testid=create]")
    expect(page.locator("[data-testid=password]")).to_be_visible()
    user = User.objects.get(username="gv.picker")
    assert user.workplace_id == school.pk

    # The edit page: the picker starts on the current workplace; a new one, a reason.
    page.goto(f"{page.base_url}/accounts/users/{user.pk}/")
    page.click("[data-testid=edit]")
    expect(page.locator(".ts-wrapper .item")).to_contain_text("Hoa Sen")
    page.fill("#id_full_name", "Đỗ Thị Chọn Lại")
    page.locator("#id_workplace-ts-control").fill("anh duong")
    page.locator(".ts-dropdown .option", has_text="Ánh Dương").click()
    page.fill("#id_reason", "Chuyển trường")
    screenshot(page, "unit-picker-03-edit")
    page.click("[data-testid=edit-submit]")
    expect(page.locator(".alert-success")).to_be_visible()
    user.refresh_from_db()
    assert user.full_name == "Đỗ Thị Chọn Lại" and user.workplace_id == other.pk
    screenshot(page, "unit-picker-04-saved")


def test_without_javascript_the_search_box_narrows_the_choice(
    browser, live_server, demo_world, monkeypatch
):
    from boiduong.accounts.models import User
    from boiduong.core.demo import DEMO_PASSWORD
    from boiduong.orgs.forms import UnitPickerWidget

    monkeypatch.setattr(UnitPickerWidget, "FULL_LIST_LIMIT", 2)
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="vi-VN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "so.hanoi")
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/accounts/users/new/")
        page.fill("#id_username", "gv.nojs")
        page.fill("#id_full_name", "Không Dùng JS")
        page.fill("input[name=workplace__search]", "truong mam non")
        page.click("[data-testid=create]")
        options = page.locator("#id_workplace option")
        expect(options).not_to_have_count(2)  # more than the empty choice and none
        screenshot(page, "unit-picker-05-no-javascript")
        assert "Cà Mau" not in " ".join(options.all_inner_texts()), options.all_inner_texts()
        page.select_option("#id_workplace", label="Trường Mầm non Bình Minh (Hà Nội)")
        page.select_option("#id_role", "participant")
        page.click("[data-testid=create]")
        expect(page.locator("[data-testid=password]")).to_be_visible()
        assert User.objects.get(username="gv.nojs").workplace.code == "SGD01-2025-MN003"
    finally:
        context.close()
