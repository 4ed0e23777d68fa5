"""DESIGN §4: a plan's stated figures, read from its text, against the live registry and the
courses delivering it; a mismatch is shown, not hidden."""

from __future__ import annotations

import datetime as dt

import pytest

from boiduong.plans import selectors, services
from boiduong.plans.figures import FIXED, PER_DEPARTMENT, PER_INSTITUTION, stated_figures

from . import factories

KH451_WORKSHOP = """3. Hội thảo rà soát, đánh giá một năm thực hiện Đề án
- Thành phần đại biểu:
+ BCĐ và đại biểu Bộ Giáo dục và Đào tạo: 20 người;
+ Đại biểu các sở giáo dục và đào tạo: Mỗi sở 02 người;
+ Các cơ sở đào tạo giáo viên mầm non được giao nhiệm vụ thực hiện Đề án trong năm 2020: Mỗi cơ sở 02 người.
+ Tổng số đại biểu: Khoảng 150 người.
- Thời gian: 02 ngày không bao gồm thời gian đi lại, dự kiến vào tháng 12/2020."""  # noqa: E501


def test_the_composition_and_its_stated_total_are_read_from_the_text():
    (figure,) = stated_figures([("Nội dung", KH451_WORKSHOP)])
    assert figure.label.startswith("3. Hội thảo rà soát")
    assert (figure.stated, figure.is_approximate, figure.per_region) == (150, True, False)
    assert [(t.count, t.per) for t in figure.terms] == [
        (20, FIXED),
        (2, PER_DEPARTMENT),
        (2, PER_INSTITUTION),
    ]


def test_per_region_figures_and_exact_totals():
    text = (
        "Tổ chức tại 03 miền: Dự kiến số lượng giáo viên mầm non cốt cán và đại biểu tham gia "
        "dự khoảng 200 người/1 miền."
    )
    (figure,) = stated_figures([("Địa điểm", text)])
    assert (figure.stated, figure.regions, figure.per_region) == (200, 3, True)
    exact = stated_figures([("Thành phần", "- Ban tổ chức: 12 người;\n- Tổng cộng: 30 người.")])
    assert exact[0].stated == 30 and not exact[0].is_approximate and not exact[0].has_rule
    # a line counted with no total after it states nothing to check
    assert stated_figures([("Thành phần", "- Ban tổ chức, báo cáo viên: 20 người.")]) == []


def test_kh451_total_is_exceeded_with_63_departments(world):
    plan = factories.seed_plan("451/KH-BGDĐT")
    user = world.user("cuc.ngcbqlgd")
    (check,) = selectors.plan_figures(user=user, plan=plan, today=dt.date(2026, 12, 2))
    on_issue, today = check.rows
    assert on_issue.formula.startswith("20 + 2 × 63 ")
    assert on_issue.value > 150 and on_issue.difference == on_issue.value - 150
    assert "34" in today.formula and today.value < on_issue.value
    page = world.client_for("cuc.ngcbqlgd").get(f"/plans/{plan.pk}/").content.decode()
    figures = page[page.index('data-testid="figures"') :]
    assert "Khoảng 150 người" in figures and f"vượt {on_issue.difference}" in figures
    assert "Danh mục đơn vị tại ngày ban hành kế hoạch (22/06/2020)" in figures


def test_kh361_regions_against_the_regional_courses(world):
    from boiduong.events.models import Quota

    plan = factories.seed_plan("361/KH-BGDĐT")
    user = world.user("so.hanoi")
    (check,) = selectors.plan_figures(user=user, plan=plan)
    assert [row.label.split(" ·")[0] for row in check.rows] == [
        "361-MB",
        "361-MTTN",
        "361-MN",
        "Cả 3 miền",
    ]
    assert check.level == "ok" and check.rows[-1].stated == 600
    quota = Quota.objects.filter(course__code="361-MN").order_by("pk").first()
    Quota.objects.filter(pk=quota.pk).update(seats=quota.seats + 60)
    (check,) = selectors.plan_figures(user=user, plan=plan)
    south = next(row for row in check.rows if row.label.startswith("361-MN"))
    assert (south.difference, south.level) == (60, "mismatch")
    assert check.level == "mismatch"


def test_editing_the_plan_text_reruns_the_check(world):
    plan = factories.seed_plan("451/KH-BGDĐT")
    content = plan.content.replace("Khoảng 150 người", "Khoảng 160 người")
    services.plan_update(
        actor=None, plan=plan, reason="Số đại biểu theo danh sách 63 Sở.", content=content
    )
    plan.refresh_from_db()
    (check,) = selectors.plan_figures(user=world.user("cuc.ngcbqlgd"), plan=plan)
    assert (check.rows[0].stated, check.rows[0].value, check.rows[0].level) == (160, 160, "ok")


def test_a_plan_stating_no_figures_shows_no_panel(world):
    plan = factories.hanoi_plan()
    assert selectors.plan_figures(user=world.user("so.hanoi"), plan=plan) == []
    page = world.client_for("so.hanoi").get(f"/plans/{plan.pk}/").content.decode()
    assert 'data-testid="figures"' not in page


@pytest.mark.parametrize("code", ["361/KH-BGDĐT", "451/KH-BGDĐT"])
def test_plan_overview_query_count_is_flat(world, django_assert_max_num_queries, code):
    plan = factories.seed_plan(code)
    client = world.client_for("cuc.ngcbqlgd")
    client.get(f"/plans/{plan.pk}/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/plans/{plan.pk}/").status_code == 200
