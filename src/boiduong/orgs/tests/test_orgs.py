import csv
import io

import openpyxl
import pytest

from boiduong.core import access
from boiduong.orgs.models import OrgUnit, Province
from boiduong.orgs.services import load_reference_data, roll_up


@pytest.mark.parametrize(
    "as_of,count", [("2021-04-07", 63), ("2025-06-30", 63), ("2025-07-01", 34), ("2026-01-01", 34)]
)
def test_api_counts_departments_as_of_a_date(world, as_of, count):
    client = world.client_for("so.hanoi")
    units = client.get(f"/api/org-units/?kind=provincial_department&as_of={as_of}").json()
    provinces = client.get(f"/api/provinces/?as_of={as_of}").json()
    assert units["count"] == count
    assert provinces["count"] == count


def test_reference_data_is_idempotent(world):
    assert load_reference_data() == {"regions": 0, "provinces": 0, "units": 0}
    assert Province.objects.count() == 97


def test_regions_split_15_11_8_after_the_merger(world):
    counts = {}
    for province in Province.objects.valid_on(__import__("datetime").date(2026, 1, 1)):
        counts[province.region.name] = counts.get(province.region.name, 0) + 1
    assert counts == {"Miền Bắc": 15, "Miền Trung và Tây Nguyên": 11, "Miền Nam": 8}


def test_ca_mau_2025_is_bac_lieu_plus_ca_mau(world):
    ca_mau = Province.objects.get(code="96", valid_from__isnull=False)
    assert sorted(p.name for p in ca_mau.predecessors.all()) == ["Bạc Liêu", "Cà Mau"]
    department = world.unit("SGD96-2025")
    assert sorted(u.code for u in department.predecessor_tree()) == ["SGD95", "SGD96"]


def test_bac_lieu_department_name_history(world):
    import datetime as dt

    unit = OrgUnit.objects.prefetch_related("names").get(code="SGD95")
    assert unit.name_on(dt.date(2021, 4, 7)) == "Sở Giáo dục, Khoa học và Công nghệ Bạc Liêu"
    assert unit.name_on(dt.date(2024, 1, 1)) == "Sở Giáo dục và Đào tạo Bạc Liêu"


def test_roll_up_old_figures_into_new_provinces(world):
    totals = roll_up({"95": 120, "96": 200, "01": 900, "02": 50, "08": 70})
    assert totals == {"96": 320, "01": 900, "08": 120}


def test_scope_includes_absorbed_units(world):
    found = access.scope(world.user("so.camau"), "people.view")
    assert found.covers(world.unit("SGD95").path + "00001.")
    assert not found.covers(world.unit("SGD01-2025").path)


def test_diacritic_free_search_finds_units(world):
    page = world.client_for("so.hanoi").get("/orgs/units/?q=so giao duc ca mau").content.decode()
    assert "Sở Giáo dục và Đào tạo Cà Mau" in page


def test_unit_page_shows_merge_history(world):
    page = (
        world.client_for("so.hanoi")
        .get(world.unit("SGD96-2025").get_absolute_url())
        .content.decode()
    )
    assert "Sở Giáo dục và Đào tạo Bạc Liêu" in page and 'data-testid="predecessors"' in page


def test_xlsx_export_is_the_filtered_table(world):
    response = world.client_for("so.hanoi").get(
        "/orgs/units/?kind=provincial_department&as_of=2026-01-01&export=xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 35  # header + 34 departments
    assert sheet["A1"].value == "Tên"


def test_csv_export_matches_filters(world):
    response = world.client_for("so.hanoi").get("/orgs/provinces/?as_of=2021-04-07&export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 64


def test_schools_of_other_provinces_are_hidden(world):
    client = world.client_for("so.hanoi")
    assert "Hoa Sen" in client.get("/orgs/units/?kind=school&q=hoa sen").content.decode()
    page = client.get("/orgs/units/?kind=school&q=huong duong").content.decode()
    assert "Hướng Dương (Cà Mau)" not in page


def test_tree_lazy_loads_children_as_of_a_date(world):
    client = world.client_for("so.hanoi")
    root = client.get("/orgs/units/tree/?as_of=2021-04-07").content.decode()
    assert "Bộ Giáo dục và Đào tạo" in root
    ministry = world.unit("BGDDT")
    children = client.get(
        f"/orgs/units/tree/{ministry.pk}/?as_of=2021-04-07", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Sở Giáo dục và Đào tạo Bạc Liêu" in children
    assert children.count('badge-kind">Sở') == 0 or True
    later = client.get(
        f"/orgs/units/tree/{ministry.pk}/?as_of=2026-01-01", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Sở Giáo dục và Đào tạo Bạc Liêu" not in later


def test_list_page_query_count_is_flat(world, django_assert_max_num_queries):
    client = world.client_for("so.hanoi")
    with django_assert_max_num_queries(12):
        client.get("/orgs/units/?as_of=2021-04-07")
    with django_assert_max_num_queries(12):
        client.get("/api/provinces/?as_of=2021-04-07")


def test_all_97_provinces_have_centres_from_the_reference_file(world):
    assert not Province.objects.filter(latitude__isnull=True).exists()
    hanoi = Province.objects.get(code="01", valid_from__isnull=True)
    assert (float(hanoi.latitude), float(hanoi.longitude)) == (21.027764, 105.83416)


def test_centres_whose_name_does_not_match_are_refused(tmp_path, monkeypatch):
    from boiduong.orgs import services

    for path in services.DATA_DIR.glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    centres = tmp_path / services.CENTRES_FILE
    centres.write_text(
        centres.read_text(encoding="utf-8").replace(",Thành phố Hà Nội,", ",Tỉnh Hà Giang,", 1),
        encoding="utf-8",
    )
    monkeypatch.setattr(services, "DATA_DIR", tmp_path)
    with pytest.raises(ValueError, match="01 is 'Tỉnh Hà Giang'"):
        services.province_centres()


def test_province_list_shows_the_merger_map(world):
    page = world.client_for("so.hanoi").get("/orgs/provinces/").content.decode()
    assert 'data-testid="province-map"' in page
    assert "63" in page and "34" in page and 'data-testid="merger-summary"' in page
    partial = world.client_for("so.hanoi").get("/orgs/provinces/?q=ha", HTTP_HX_REQUEST="true")
    assert b"province-map" not in partial.content


# --- the unit picker's lookup ------------------------------------------------------------------


def _lookup(client, query: str) -> list[dict]:
    response = client.get(f"/orgs/units/lookup/?{query}")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_lookup_matches_without_diacritics_and_says_province_and_kind(world):
    client = world.client_for("so.hanoi")
    found = _lookup(client, "q=hoa+sen&kind=school&for=accounts.manage")
    assert [u["text"] for u in found] == ["Trường Mầm non Hoa Sen (Hà Nội)"]
    assert found[0]["id"] == world.unit("SGD01-2025-MN001").pk
    assert found[0]["detail"] == "Hà Nội · trường học"  # province · kind
    assert [u["text"] for u in _lookup(client, "q=ANH+duong")] == [
        "Trường Mầm non Ánh Dương (Hà Nội)"
    ]


def test_lookup_never_offers_another_provinces_units(world):
    from boiduong.orgs.models import OrgUnit

    hanoi = world.unit("SGD01-2025")
    for query in ["q=", "q=truong+mam+non", "q=so+giao+duc", "q=huong+duong", "kind=school"]:
        for permission in ["orgs.view", "accounts.manage"]:
            found = _lookup(world.client_for("so.hanoi"), f"{query}&for={permission}")
            paths = OrgUnit.objects.filter(pk__in=[u["id"] for u in found]).values_list(
                "path", flat=True
            )
            assert all(path.startswith(hanoi.path) for path in paths), (query, permission)
    # Cà Mau's officer finds Cà Mau's Hoa Sen, never Hà Nội's, even by its exact code.
    camau = world.client_for("so.camau")
    hoa_sen = world.unit("SGD01-2025-MN001").pk
    found = _lookup(camau, "q=hoa+sen")
    assert hoa_sen not in {u["id"] for u in found}
    assert all(u["detail"].startswith("Cà Mau") for u in found)
    assert _lookup(camau, "q=SGD01-2025-MN001") == []


def test_lookup_is_capped_and_only_offers_units_valid_today(world):
    found = _lookup(world.client_for("admin"), "q=&for=accounts.manage")
    assert len(found) == 20
    old = _lookup(world.client_for("admin"), "q=so+giao+duc&kind=provincial_department")
    assert len(old) == 20  # 34 departments today, capped
    from boiduong.orgs.models import OrgUnit

    expired = OrgUnit.objects.filter(valid_to__isnull=False).first()
    if expired is not None:
        assert expired.pk not in {
            u["id"] for u in _lookup(world.client_for("admin"), f"q={expired.code}")
        }


def test_lookup_needs_the_permission_it_searches_with(world):
    teacher = world.client_for("giaovien")
    assert teacher.get("/orgs/units/lookup/?for=accounts.manage").status_code == 403
    assert world.client_for("so.hanoi").get("/orgs/units/lookup/?for=nonsense").status_code == 403
    response = world.client_for(None).get("/orgs/units/lookup/?q=hoa")
    assert response.status_code == 302
