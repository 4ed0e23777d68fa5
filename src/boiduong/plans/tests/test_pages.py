"""Pages and API through HTTP: content, access, query counts."""

from __future__ import annotations

import pytest

from boiduong.plans.models import Document

from . import factories


def test_programme_page_shows_the_tree_and_indicators(world):
    programme = factories.seed_plan("361/KH-BGDĐT").programme
    page = world.client_for("so.hanoi").get(programme.get_absolute_url()).content.decode()
    tree = page[page.index('data-testid="plan-tree"') :]
    assert tree.index("QĐ 296/QĐ-BGDĐT") < tree.index("KH 451/KH-BGDĐT")
    assert tree.index("KH 51/KH-BGDĐT") < tree.index("KH 361/KH-BGDĐT")
    assert "6/7 nhiệm vụ hoàn thành" in page
    assert 'data-testid="indicators"' in page and "600 người" in page


def test_plan_pages(world):
    plan = factories.seed_plan("361/KH-BGDĐT")
    client = world.client_for("so.hanoi")
    overview = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Kế hoạch 361/KH-BGDĐT" in overview and "Tổ chức thực hiện" in overview
    tasks = client.get(f"/plans/{plan.pk}/tasks/").content.decode()
    assert tasks.count('data-status="done"') == 6 and 'data-due="overdue"' in tasks
    assert "Cục NGCBQLGD" in tasks  # the resolved unit beside "Cục NGCBQL"
    assert "/edit/" not in tasks  # so.hanoi cannot update national tasks
    timeline = client.get(f"/plans/{plan.pk}/timeline/").content.decode()
    assert timeline.count("bd-gantt-bar") >= 7
    assert "đã qua thời hạn của kế hoạch" in timeline  # today is after 2021
    history = client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert "Đang tổng hợp báo cáo của ba miền." in history


def test_timeline_draws_a_today_line_inside_the_period(world):
    import datetime as dt

    from boiduong.plans.timeline import build_timeline

    tasks = list(factories.seed_plan("361/KH-BGDĐT").tasks.order_by("position"))
    chart = build_timeline(tasks, today=dt.date(2021, 6, 15))
    assert chart.today_side == "inside"
    assert chart.start == dt.date(2021, 3, 1) and chart.end == dt.date(2021, 8, 31)
    assert [m.label for m in chart.months] == ["3", "4", "5", "6", "7", "8"]
    assert 50 < chart.today_left < 60
    first = chart.bars[0]
    assert first.left == 0 and 65 < first.width < 67  # March to June of six months


def test_document_page_links_basis_and_citations(world):
    kh361 = factories.seed_plan("361/KH-BGDĐT").document
    client = world.client_for("so.hanoi")
    page = client.get(kh361.get_absolute_url()).content.decode()
    assert "KH 51/KH-BGDĐT" in page and "chưa có trong hệ thống" in page
    assert "Lưu: VT, NGCBQLGD." in page and "KT. BỘ TRƯỞNG" in page
    kh51 = Document.objects.get(code="51/KH-BGDĐT")
    cited = client.get(kh51.get_absolute_url()).content.decode()
    assert 'data-testid="cited-by"' in cited and "361/KH-BGDĐT" in cited


def test_provincial_plan_of_ca_mau_is_not_found_for_hanoi(world):
    plan = factories.camau_plan()
    hanoi, camau = world.client_for("so.hanoi"), world.client_for("so.camau")
    for url in (
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/timeline/",
        plan.document.get_absolute_url(),
        f"/plans/documents/{plan.document_id}/docx/",
        f"/api/plans/{plan.pk}/",
        f"/api/documents/{plan.document_id}/",
    ):
        assert hanoi.get(url).status_code == 404, url
        assert camau.get(url).status_code == 200, url
    listing = hanoi.get("/plans/documents/?q=87").content.decode()
    assert "87/KH-SGDĐT" not in listing
    assert world.client_for("cuc.ngcbqlgd").get(f"/plans/{plan.pk}/").status_code == 200


def test_document_list_filters_and_exports(world):
    client = world.client_for("so.hanoi")
    page = client.get("/plans/documents/?state=placeholder").content.decode()
    assert "51/KH-BGDĐT" in page and "361/KH-BGDĐT" not in page
    folded = client.get("/plans/documents/?q=tap huan boi duong").content.decode()
    assert "361/KH-BGDĐT" in folded
    export = client.get("/plans/documents/?doc_type=KH&export=csv")
    assert export["Content-Type"].startswith("text/csv")
    assert "361/KH-BGDĐT" in export.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "url",
    [
        "/plans/",
        "/plans/documents/",
        "/plans/tasks/mine/",
        "/api/programmes/",
        "/api/documents/",
        "/api/plans/",
        "/api/plan-tasks/",
    ],
)
def test_list_query_counts_are_flat(world, django_assert_max_num_queries, url):
    factories.hanoi_plan()
    factories.camau_plan()
    factories.import_plan(factories.DRAFT)
    client = world.client_for("cuc.ngcbqlgd")
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_plan_task_page_query_count_is_flat(world, django_assert_max_num_queries):
    plan = factories.seed_plan("361/KH-BGDĐT")
    client = world.client_for("cuc.ngcbqlgd")
    client.get(f"/plans/{plan.pk}/tasks/")
    with django_assert_max_num_queries(16):
        client.get(f"/plans/{plan.pk}/tasks/")


def test_api_reads(world):
    client = world.client_for("so.hanoi")
    tasks = client.get("/api/plan-tasks/?due=overdue").json()
    assert any(t["content"] == "Xây dựng báo cáo kết quả tập huấn" for t in tasks["results"])
    kh361 = factories.seed_plan("361/KH-BGDĐT").document
    document = client.get(f"/api/documents/{kh361.pk}/").json()
    assert document["legal_basis"][0]["code"] == "51/KH-BGDĐT"
    assert document["signer_authority"] == "KT" and document["state"] == "issued"
    programmes = client.get("/api/programmes/").json()["results"]
    assert programmes[0]["indicators"][0]["target"] == "600.00"


def test_home_cards(world):
    page = world.client_for("cuc.ngcbqlgd").get("/").content.decode()
    assert "Nhiệm vụ đang mở của đơn vị" in page
    assert "Xây dựng báo cáo kết quả tập huấn" in page and "quá hạn" in page


def test_participants_see_no_plans(world):
    assert world.client_for("giaovien").get("/plans/").status_code == 403
