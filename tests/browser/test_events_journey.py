"""Issue 5's journey: Sở GDĐT Hà Nội nominates three people (one ineligible, shown why), the
ministry confirms two, the trainer marks five days of attendance and enters the results, the
ministry generates the certificates while a progress bar runs, one is verified on the public
page, one is revoked and shows as revoked."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, login, screenshot

pytestmark = pytest.mark.browser

ELIGIBLE = ["Nguyễn Thị Minh Hiền", "Đỗ Thị Yến"]
INELIGIBLE = "Nguyễn Thị Bích Hà"  # core teacher of 2020, rated "không đạt" that year


@pytest.fixture
def course(demo_world):
    """A 2026 course for Miền Bắc with its quotas and call, set up by the ministry's services."""
    from boiduong.accounts.models import User
    from boiduong.events import rules, services
    from boiduong.events.choices import StaffRole
    from boiduong.orgs.models import OrgUnit, Region

    ministry = User.objects.get(username="cuc.ngcbqlgd")
    course = services.course_create(
        actor=ministry,
        code="2026-MB",
        title="Bồi dưỡng giáo viên mầm non cốt cán năm 2026 — miền Bắc",
        owner=OrgUnit.objects.get(code="NGCBQLGD"),
        region=Region.objects.get(code="mien-bac"),
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 3, 6),
        is_tentative=False,
        days=5,
        days_required=4,
        venue="Trường Đại học Sư phạm Hà Nội",
        capacity=120,  # 8 seats per department of the region: 4 teachers, 4 managers
        eligibility_rule=dict(rules.KH361_RULE),
        modules=["Năng lực ứng dụng công nghệ thông tin", "Quy định mới về giáo dục mầm non"],
        stated_participants=120,
    )
    services.quota_propose(actor=ministry, course=course)
    services.call_issue(
        actor=ministry,
        course=course,
        number="812/BGDĐT-NGCBQLGD",
        title="V/v cử giáo viên mầm non cốt cán tham dự bồi dưỡng năm 2026",
        issued_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=10),
    )
    trainer = User.objects.get(username="giangvien")
    services.staff_member_add(
        actor=ministry,
        course=course,
        role=StaffRole.REPORTER,
        full_name=trainer.full_name,
        unit_name="Trường Đại học Sư phạm Hà Nội",
        user=trainer,
    )
    return course


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_nominate_confirm_attend_certify_verify_revoke(page, course, monkeypatch):
    from boiduong.core import jobs, tasks

    base = page.base_url

    # 1. The department finds the call in its inbox and nominates three people.
    login(page, "so.hanoi")
    expect(page.get_by_text("Công văn triệu tập").first).to_be_visible()
    screenshot(page, "events-01-home-inbox-card")
    page.goto(f"{base}/events/inbox/")
    page.click("[data-testid='open-2026-MB']")
    expect(page.locator("[data-testid=department]")).to_contain_text("Hà Nội")
    screenshot(page, "events-02-nominate-candidates")
    for name in [*ELIGIBLE, INELIGIBLE]:
        page.fill("[data-testid=candidate-search]", name)
        page.press("[data-testid=candidate-search]", "Enter")
        row = page.locator(f"[data-testid=candidates] tr[data-person='{name}']")
        row.locator("[data-testid=add]").click()
    warning = page.locator(".alert-warning")
    expect(warning).to_contain_text(INELIGIBLE)
    expect(warning).to_contain_text("không đạt")
    mine = page.locator("[data-testid=my-nominations]")
    expect(mine.locator(f"tr[data-person='{INELIGIBLE}']")).to_contain_text(
        "Được đánh giá “không đạt” trong đợt tập huấn năm 2020."
    )
    screenshot(page, "events-03-ineligible-explained")
    page.click("[data-testid=submit-all]")
    expect(page.locator("[data-testid=my-nominations] [data-status=submitted]")).to_have_count(3)

    # 2. The ministry confirms the two eligible ones; the third cannot be confirmed as is.
    switch_user(page, "cuc.ngcbqlgd")
    page.goto(f"{base}/events/{course.pk}/nominations/?status=submitted")
    table = page.locator("[data-testid=nomination-table]")
    for name in ELIGIBLE:
        table.locator("tr", has_text=name).locator("[data-testid=confirm]").click()
        expect(page.locator(".alert-success")).to_contain_text(name)
        page.goto(f"{base}/events/{course.pk}/nominations/?status=submitted")
    expect(
        table.locator("tr", has_text=INELIGIBLE).locator("[data-testid=confirm]")
    ).to_be_disabled()
    page.goto(f"{base}/events/{course.pk}/nominations/")
    expect(page.locator("[data-testid=nomination-counts]")).to_contain_text("đã xác nhận: 2")
    screenshot(page, "events-04-ministry-confirmed-two")

    # 3. The trainer marks five days of attendance on a tablet, then enters the results.
    switch_user(page, "giangvien")
    page.set_viewport_size({"width": 1024, "height": 1300})
    for day in range(1, 6):
        page.goto(f"{base}/events/{course.pk}/attendance/?day={day}")
        toggles = page.locator("[data-testid=attendance-list] button[data-present='0']")
        expect(toggles).to_have_count(2)
        for _ in range(2):
            toggles.first.click()
            page.wait_for_timeout(150)
        expect(
            page.locator("[data-testid=attendance-list] button[data-present='1']")
        ).to_have_count(2)
    page.reload()
    expect(page.locator("[data-testid=attendance-grid]")).to_contain_text("5/5 ✔")
    screenshot(page, "events-05-attendance-tablet")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/events/{course.pk}/results/")
    for index, name in enumerate(ELIGIBLE):
        row = page.locator(f"[data-testid=results] tr[data-person='{name}']")
        row.locator("select").select_option("dat")
        row.locator("input[name^=score]").fill(["8,5", "9"][index])
    page.click("[data-testid=save-results]")
    expect(page.locator(".alert-success")).to_contain_text("2")
    screenshot(page, "events-06-results")

    # 4. The ministry generates the certificates; the job runs while the page shows its bar.
    switch_user(page, "cuc.ngcbqlgd")
    queued = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda job_id: queued.append(job_id))
    page.goto(f"{base}/events/{course.pk}/certificates/")
    page.click("[data-testid=generate]")
    page.wait_for_url("**/jobs/**")
    assert queued, "the job was not queued"
    original = jobs.Progress.update

    def update(self, done, total, message=""):
        original(self, done, total, message)
        if total == 2 and done == 1:  # halfway: let the page poll, and look at it
            page.wait_for_function(
                "document.querySelector('#job-progress [role=progressbar]')"
                ".getAttribute('aria-valuenow') === '50'"
            )
            screenshot(page, "events-07-certificates-progress")

    monkeypatch.setattr(jobs.Progress, "update", update)
    jobs.execute(queued[0])  # what the worker does
    expect(page.locator("#job-progress")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_role("link", name="Tải kết quả")).to_be_visible()
    screenshot(page, "events-08-certificates-done")

    # 5. One certificate is verified on the public page (no login).
    page.goto(f"{base}/events/{course.pk}/certificates/")
    page.locator("[data-testid=certificate-table] a", has_text="2026-MB-0001").click()
    verify_href = page.locator("[data-testid=verify-link]").get_attribute("href")
    certificate_url = page.url
    page.context.clear_cookies()
    page.goto(f"{base}{verify_href}")
    expect(page.locator("[data-testid=verify-status]")).to_have_attribute("data-status", "valid")
    screenshot(page, "events-09-public-verification-valid")
    page.goto(f"{base}{verify_href[:-3]}XX/")
    expect(page.locator("[data-testid=verify-status]")).to_have_attribute("data-status", "invalid")

    # 6. The ministry revokes it; the public page now says so, with the reason and date.
    login(page, "cuc.ngcbqlgd")
    page.goto(certificate_url)
    page.fill("#reason", "Cấp nhầm: học viên chưa hoàn thành bài kiểm tra cuối khóa")
    page.click("[data-testid=revoke]")
    expect(page.locator("[data-testid=certificate-status]")).to_have_attribute(
        "data-status", "revoked"
    )
    page.context.clear_cookies()
    page.goto(f"{base}{verify_href}")
    status = page.locator("[data-testid=verify-status]")
    expect(status).to_have_attribute("data-status", "revoked")
    expect(page.locator("[data-testid=revoke-reason]")).to_contain_text("Cấp nhầm")
    screenshot(page, "events-10-public-verification-revoked")


def test_course_pages_report_and_reach(page):
    """The demo's completed course: its overview, quotas against the plan, report with charts,
    and the cascade reach with idle core teachers flagged."""
    from boiduong.events.models import Course

    base = page.base_url
    mb = Course.objects.get(code="361-MB")
    login(page, "cuc.ngcbqlgd")
    page.goto(f"{base}/events/")
    screenshot(page, "events-11-course-list")
    page.goto(f"{base}/events/{mb.pk}/")
    expect(page.locator("[data-testid=stated-check]")).to_contain_text("200")
    screenshot(page, "events-12-course-overview")
    page.goto(f"{base}/events/{mb.pk}/quotas/")
    screenshot(page, "events-13-quotas")
    outside: list[str] = []  # the map draws without tiles: nothing is fetched from elsewhere
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.goto(f"{base}/events/{mb.pk}/report/")
    page.wait_for_function("window.Chart !== undefined")
    page.wait_for_timeout(300)
    screenshot(page, "events-14-report-charts")
    province_map = page.locator("[data-testid=province-map]")
    expect(province_map.locator(".leaflet-outline-pane path")).to_have_count(1)
    expect(province_map.locator(".bd-map-label")).to_have_count(2)
    province_map.locator("path.leaflet-interactive").first.dispatch_event("mouseover")
    expect(province_map.locator(".leaflet-tooltip-pane")).to_contain_text("Hải Phòng: 7")
    province_map.screenshot(path=str(ARTIFACTS / "events-14b-report-map.png"))
    province_map.locator(".leaflet-control-layers-selector").nth(1).check()  # the 63 as they were
    expect(province_map.locator("path.leaflet-interactive")).to_have_count(63)
    page.goto(f"{base}/orgs/provinces/")
    expect(page.locator(".bd-map path.leaflet-interactive")).to_have_count(34)
    page.locator("[data-testid=province-map]").screenshot(
        path=str(ARTIFACTS / "orgs-provinces-merger-map.png")
    )
    assert outside == []
    rejected = mb.nominations.filter(status="rejected").first()
    page.goto(f"{base}/events/nominations/{rejected.pk}/")
    expect(page.locator("[data-testid=nomination-status]")).to_have_attribute(
        "data-status", "rejected"
    )
    screenshot(page, "events-15-nomination-rejected-with-reason")
    revoked = mb.certificates.get(status="revoked")
    page.goto(f"{base}/events/certificates/{revoked.pk}/")
    expect(page.locator("[data-testid=revocation]")).to_be_visible()
    screenshot(page, "events-16-certificate-revoked")

    page.context.clear_cookies()
    login(page, "so.hanoi")
    from boiduong.orgs.models import OrgUnit

    hanoi_2021 = OrgUnit.objects.get(code="SGD01")
    page.goto(f"{base}/events/{mb.pk}/nominate/{hanoi_2021.pk}/")
    expect(page.locator("[data-testid=deadline-passed]")).to_contain_text("02/07/2021")
    expect(page.locator("[data-testid=add]")).to_have_count(0)
    screenshot(page, "events-13b-nominate-after-deadline")
    page.goto(f"{base}/events/reach/")
    expect(page.locator("[data-testid=idle-count]")).to_be_visible()
    expect(page.locator(".bd-map .leaflet-outline-pane path")).to_have_count(1)
    screenshot(page, "events-17-cascade-reach")
    cascade = Course.objects.get(code="361-MB-HN1")
    page.goto(f"{base}/events/{cascade.pk}/")
    expect(page.locator("[data-testid=trainers] li")).to_have_count(2)
    screenshot(page, "events-18-cascade-course")
    # The ministry revokes a trainer's national certificate: the trainer stays, flagged.
    from boiduong.events import services

    trainer = cascade.staff.filter(person__isnull=False).first()
    services.certificate_revoke(
        actor=None,
        certificate=mb.certificates.get(nomination__person=trainer.person, status="valid"),
        reason="Hồ sơ cử tham dự không đúng đối tượng",
    )
    page.reload()
    expect(page.locator("[data-testid=revoked-trainer]")).to_contain_text(trainer.full_name)
    expect(page.locator("[data-testid=trainers] li")).to_have_count(2)
    screenshot(page, "events-18b-cascade-trainer-flagged")

    page.context.clear_cookies()
    login(page, "giaovien")
    page.goto(f"{base}/events/mine/")
    expect(page.get_by_text("361-MB-").first).to_be_visible()
    screenshot(page, "events-19-teacher-my-courses")
