"""Unit names as documents write them, linked to org units."""

import datetime as dt

import pytest

from boiduong.plans.units import UnitResolver, initials


@pytest.mark.parametrize(
    "text,code",
    [
        ("Cục NGCBQL", "NGCBQLGD"),  # KH 361's task table: a truncated abbreviation
        ("Cục NGCBQLGD", "NGCBQLGD"),
        ("Cục Nhà giáo và Cán bộ quản lý", "NGCBQLGD"),  # the start of the full name
        ("cục nha giao va can bo quan ly giao duc", "NGCBQLGD"),  # no diacritics
        ("Vụ GDMN", "GDMN"),
        ("Vụ Giáo dục Mầm non", "GDMN"),
        ("Trường ĐHSP Hà Nội", "DHSPHN"),
        ("trường Cao đẳng Sư phạm Trung ương", "CDSPTW"),
        ("Bộ GDĐT", "BGDDT"),
        ("Sở GDĐT Cà Mau", "SGD96"),
        ("Sở Giáo dục và Đào tạo Hà Nội", "SGD01"),
        ("Sở GD, KH và CN Bạc Liêu", "SGD95"),  # Bạc Liêu's name 2019-2023 (KH 361 recipients)
    ],
)
def test_names_resolve_on_the_documents_date(world, text, code):
    assert UnitResolver(on=dt.date(2021, 4, 7)).resolve(text) == world.unit(code)


@pytest.mark.parametrize(
    "text",
    [
        "Các đơn vị có liên quan",
        "Các Sở GDĐT",
        "các cơ sở đào tạo giáo viên mầm non",
        "Ban Chỉ đạo",
        "Phòng GDĐT các huyện, thành phố",
        "",
    ],
)
def test_groups_and_unknown_bodies_stay_text(world, text):
    resolver = UnitResolver(on=dt.date(2021, 4, 7), issuer=None)
    assert resolver.resolve(text) is None


def test_after_the_merger_the_new_department_is_found(world):
    assert UnitResolver(on=dt.date(2026, 1, 5)).resolve("Sở GDĐT Cà Mau") == world.unit(
        "SGD96-2025"
    )


def test_a_bare_department_name_takes_its_province_from_the_parent_body(world):
    resolver = UnitResolver(on=dt.date(2021, 8, 5))
    found = resolver.resolve_issuer("Sở Giáo dục và Đào tạo", parent="UBND tỉnh Cà Mau")
    assert found == world.unit("SGD96")


def test_internal_divisions_belong_to_the_issuer_but_district_offices_do_not(world):
    issuer = world.unit("SGD96")
    resolver = UnitResolver(on=dt.date(2021, 8, 5), issuer=issuer)
    assert resolver.resolve("Phòng GDMN") == issuer
    assert resolver.resolve("Văn phòng Sở") == issuer
    assert resolver.resolve("Phòng GDĐT các huyện, thành phố") is None


def test_drafting_unit_is_the_issuer_or_one_of_its_own_units(world):
    resolver = UnitResolver(on=dt.date(2021, 4, 7), issuer=world.unit("BGDDT"))
    assert resolver.resolve_drafting_unit("NGCBQLGD") == world.unit("NGCBQLGD")
    provincial = UnitResolver(on=dt.date(2021, 8, 5), issuer=world.unit("SGD96"))
    assert provincial.resolve_drafting_unit("GDMN") is None  # not the ministry's Vụ GDMN


def test_initials_of_a_name():
    assert initials("Cục Nhà giáo và Cán bộ quản lý giáo dục") == "ngcbqlgd"
