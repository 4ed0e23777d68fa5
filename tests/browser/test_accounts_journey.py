"""User management: Sở GDĐT Hà Nội creates a teacher's login at a Hà Nội school, grants
'trainer', is refused 'ministry_officer'; the new teacher must choose a password at first
login; the ministry administrator deactivates someone with a reason."""

import pytest
from playwright.sync_api import expect

from .conftest import apply_filters, login, screenshot

pytestmark = pytest.mark.browser


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def first_login(page, username, password):
    """A login whose password was set by a manager lands on "Đổi mật khẩu", not home."""
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/password/")


def test_officer_creates_grants_is_refused_admin_deactivates(page):
    from boiduong.orgs.models import OrgUnit

    base = page.base_url
    school = OrgUnit.objects.get(code="SGD01-2025-MN001")

    # 1. so.hanoi opens "Người dùng" from the menu and creates a teacher's login.
    login(page, "so.hanoi")
    page.locator("#sidebar").get_by_role("link", name="Người dùng", exact=True).click()
    expect(page.locator("[data-testid=user-table]")).to_contain_text("giaovien")
    expect(page.locator("[data-testid=user-table]")).not_to_contain_text("so.camau")
    screenshot(page, "accounts-01-user-list")
    page.get_by_role("link", name="Thêm người dùng").click()
    page.fill("#id_username", "gv.hoasen")
    page.fill("#id_full_name", "Lý Thị Hoà")
    page.fill("#id_email", "hoa.ly@hoasen.edu.vn")
    page.select_option("#id_workplace", str(school.pk))
    page.select_option("#id_role", "participant")
    roles = page.locator("#id_role option").all_inner_texts()
    assert "chuyên viên Bộ" not in roles and "báo cáo viên / giảng viên" in roles
    screenshot(page, "accounts-02-create-form")
    page.click("[data-testid=create]")
    password = page.locator("[data-testid=password]").inner_text().strip()
    assert len(password) == 14
    screenshot(page, "accounts-03-password-shown-once")

    # 2. The new user's page: grant 'trainer' on the school.
    page.click("[data-testid=to-user]")
    expect(page.locator("[data-testid=roles]")).to_contain_text("học viên / giáo viên")
    page.click("[data-testid=grant]")
    page.select_option("#id_role", "trainer")
    page.select_option("#id_org_unit", str(school.pk))
    page.fill("#id_reason", "Báo cáo viên cấp trường")
    page.click("[data-testid=grant-submit]")
    expect(page.locator(".alert-success")).to_contain_text("báo cáo viên / giảng viên")
    expect(page.locator("[data-testid=roles] [data-role=trainer]")).to_be_visible()
    user_url = page.url

    # 3. 'ministry_officer' is not offered; forcing it through the form is refused by the rule.
    page.click("[data-testid=grant]")
    assert "ministry_officer" not in page.locator("#id_role").inner_html()
    page.evaluate(
        """() => { const s = document.querySelector('#id_role');
                   s.add(new Option('chuyên viên Bộ', 'ministry_officer')); }"""
    )
    page.select_option("#id_role", "ministry_officer")
    page.click("[data-testid=grant-submit]")
    expect(page.locator("[data-testid=form-error]")).to_contain_text(
        "Bạn không được cấp vai trò “chuyên viên Bộ”"
    )
    screenshot(page, "accounts-04-higher-role-refused")
    page.goto(user_url)
    expect(page.locator("[data-testid=roles] [data-role=ministry_officer]")).to_have_count(0)
    expect(page.locator("#history")).to_contain_text("Báo cáo viên cấp trường")
    screenshot(page, "accounts-05-user-detail")
    page.goto(f"{base}/")
    expect(page.get_by_text("chưa tự đặt mật khẩu")).to_be_visible()
    screenshot(page, "accounts-05b-home-card")

    # 4. The teacher logs in with the one-time password and must choose their own.
    first_login(page, "gv.hoasen", password)
    expect(page.locator(".alert-warning")).to_contain_text("Hãy đặt mật khẩu")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Hoa-sen-2026-rieng")
    page.fill("#id_new_password2", "Hoa-sen-2026-rieng")
    page.click("main button[type=submit]")
    expect(page.locator("main .alert-success")).to_be_visible()
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/")

    # 5. The ministry administrator finds a user without diacritics and deactivates them.
    switch_user(page, "admin")
    page.goto(f"{base}/accounts/users/")
    page.fill("#id_q", "ngo van thanh")
    apply_filters(page)
    page.wait_for_url("**q=ngo*van*thanh**")
    expect(page.locator("[data-testid=result-count]")).to_have_text("1 kết quả")
    page.locator("[data-testid=user-table]").get_by_role("link", name="lanhdao").click()
    page.fill("[data-testid=deactivate-reason]", "Nghỉ hưu từ 01/12/2026")
    page.click("[data-testid=deactivate]")
    expect(page.locator(".alert-success")).to_contain_text("không còn đăng nhập được")
    expect(page.locator("[data-testid=status]")).to_have_text("đã khoá")
    expect(page.locator("#history")).to_contain_text("Nghỉ hưu từ 01/12/2026")
    screenshot(page, "accounts-06-deactivated")

    # 6. On a phone: the list and a user's page.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/accounts/users/")
    screenshot(page, "accounts-07-list-phone")
    page.goto(user_url)
    screenshot(page, "accounts-08-detail-phone")
