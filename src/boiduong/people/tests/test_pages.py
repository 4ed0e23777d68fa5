"""People pages and API: scope, masking, reveal logging, search, filters, export, query counts."""

import csv
import io

import openpyxl
import pytest

from boiduong.core.models import AuditEvent
from boiduong.people.models import Person, mask_national_id

MAI = "001190999999"  # Hoàng Thị Mai (Hà Nội), the `giaovien` login


def _mai():
    return Person.objects.get(national_id=MAI)


def _camau():
    return Person.objects.filter(workplace__province__code="96").first()


def _page(world, username, url):
    response = world.client_for(username).get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_mask_keeps_four_and_two_digits():
    assert mask_national_id("001089012345") == "0010••••••45"


def test_provincial_officer_sees_only_their_province(world):
    page = _page(world, "so.hanoi", "/people/?q=hoang thi mai")
    assert "Hoàng Thị Mai" in page
    camau = _camau()
    assert camau.full_name not in _page(world, "so.hanoi", f"/people/?q={camau.national_id}")
    assert world.client_for("so.hanoi").get(camau.get_absolute_url()).status_code == 404
    assert world.client_for("so.camau").get(camau.get_absolute_url()).status_code == 200


def test_ids_are_whole_for_roles_that_need_them_and_masked_for_others(world):
    assert MAI in _page(world, "so.hanoi", "/people/?q=hoang thi mai")
    trainer = _page(world, "giangvien", "/people/?q=hoang thi mai")  # people.view, nationwide
    assert MAI not in trainer and mask_national_id(MAI) in trainer


def test_person_page_masks_and_reveal_is_logged(world):
    mai = _mai()
    page = _page(world, "so.hanoi", mai.get_absolute_url())
    assert mask_national_id(MAI) in page and MAI not in page and 'data-testid="reveal"' in page
    assert "GV cốt cán" in page and "2020" in page  # history: core staff, rating, training
    client = world.client_for("so.hanoi")
    response = client.post(f"/people/{mai.pk}/reveal/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and MAI in response.content.decode()
    event = AuditEvent.objects.filter(object_id=str(mai.pk), action="reveal").get()
    assert event.actor == world.user("so.hanoi")
    history = _page(world, "so.hanoi", mai.get_absolute_url()).split('id="history"')[1]
    assert event.get_action_display() in history and "Trần Văn Minh" in history


def test_reveal_needs_the_permission_and_the_scope(world):
    mai = _mai()
    trainer = _page(world, "giangvien", mai.get_absolute_url())
    assert 'data-testid="reveal"' not in trainer
    assert world.client_for("giangvien").post(f"/people/{mai.pk}/reveal/").status_code == 403
    camau = _camau()
    assert world.client_for("so.hanoi").post(f"/people/{camau.pk}/reveal/").status_code == 404
    assert not AuditEvent.objects.filter(action="reveal").exists()


@pytest.mark.parametrize(
    "query,expected",
    [
        ("q=hoang thi mai", True),
        ("q=HOÀNG MAI", True),
        (f"q={MAI[:6]}", True),
        ("q=hoa sen", True),  # her school
        ("q=khong co ai", False),
        ("core=gv_cot_can&year=2020", True),
        ("core=any", True),
        ("core=cbql_cot_can", False),
        ("core=gv_cot_can&year=2019", False),
        ("rating=kha&year=2020", True),
        ("position=hieu_truong", False),
        ("position=giao_vien&year=2020", True),
    ],
)
def test_search_and_filters(world, query, expected):
    page = _page(world, "so.hanoi", f"/people/?{query}")
    assert ("Hoàng Thị Mai" in page) is expected


def test_province_filter_includes_rows_filed_under_a_former_province(world):
    from boiduong.orgs.models import Province

    camau = Province.objects.get(code="96", valid_to__isnull=True)
    page = _page(world, "admin", f"/people/?province={camau.pk}")
    assert "Trường Mầm non" in page and "Hoàng Thị Mai" not in page


def test_list_is_in_vietnamese_name_order(world):
    names = list(
        Person.objects.filter(workplace__province__code="01").values_list("full_name", flat=True)
    )
    from boiduong.core.text import sort_people

    expected = sort_people(names, name=lambda n: n)
    assert names == expected and len(names) > 10


def test_export_masks_ids_without_the_permission(world):
    response = world.client_for("giangvien").get("/people/?export=xlsx&q=hoang thi mai")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert mask_national_id(MAI) in values and MAI not in values
    response = world.client_for("so.hanoi").get("/people/?export=csv&q=hoang thi mai")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Họ và tên" and MAI in rows[1]


def test_api_is_scoped_and_masks(world):
    hanoi = world.client_for("so.hanoi").get("/api/people/?q=hoang thi mai").json()
    assert hanoi["count"] == 1 and hanoi["results"][0]["national_id"] == MAI
    assert hanoi["results"][0]["core_staff"] == [{"year": 2020, "kind": "gv_cot_can"}]
    trainer = world.client_for("giangvien").get("/api/people/?q=hoang thi mai").json()
    assert trainer["results"][0]["national_id"] == mask_national_id(MAI)
    camau = world.client_for("so.hanoi").get(f"/api/people/{_camau().pk}/")
    assert camau.status_code == 404


def test_query_counts_are_flat(world, django_assert_max_num_queries):
    client = world.client_for("so.hanoi")
    client.get("/people/")  # warm the session
    with django_assert_max_num_queries(12):
        assert client.get("/people/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/people/?core=any&year=2020&q=nguyen").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/api/people/").status_code == 200
    ministry = world.client_for("cuc.ngcbqlgd")
    ministry.get("/people/")
    with django_assert_max_num_queries(12):  # the map adds its counts, provinces and centres
        assert ministry.get("/people/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(_mai().get_absolute_url()).status_code == 200


def test_home_card_counts_people_in_scope(world):
    page = _page(world, "so.hanoi", "/")
    assert "/people/" in page


def test_template_download(world):
    response = world.client_for("so.hanoi").get("/people/import/template/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Số định danh cá nhân / CCCD"
    assert sheet["H1"].value == "Trường (cơ sở giáo dục)"


def test_the_teacher_login_is_linked_to_her_person(world):
    assert _mai().user == world.user("giaovien")


def test_people_list_maps_the_filtered_people_by_province(world):
    ministry = world.client_for("cuc.ngcbqlgd")
    response = ministry.get("/people/?q=nguyen")
    per_province = response.context["per_province"]
    assert sum(per_province.values()) == response.context["filter"].qs.count()
    assert 'data-testid="people-map"' in response.content.decode()
    # a department sees only its own province: no map, just the list
    hanoi = world.client_for("so.hanoi").get("/people/")
    assert "per_province" not in hanoi.context
    assert 'data-testid="people-map"' not in hanoi.content.decode()
