import datetime as dt

import pytest

from boiduong.core.text import (
    fold,
    official_date,
    person_sort_key,
    place_and_date,
    sortable,
    table_date,
)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("ĐỖ ĐỨC", "do duc"),
        ("  Trần   Thị  ", "tran thi"),
        ("", ""),
    ],
)
def test_fold_removes_diacritics_and_d_bar(text, expected):
    assert fold(text) == expected


def test_fold_handles_decomposed_unicode():
    assert fold("Nguye\u0302\u0303n") == "nguyen"


def test_vietnamese_alphabet_order():
    letters = ["b", "â", "a", "đ", "ă", "d", "ê", "e", "ơ", "ô", "o", "ư", "u", "y", "x"]
    assert sorted(letters, key=sortable) == [
        "a",
        "ă",
        "â",
        "b",
        "d",
        "đ",
        "e",
        "ê",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "x",
        "y",
    ]


def test_tones_order_after_letters():
    words = ["má", "mà", "ma", "mạ", "mã", "mả", "mai"]
    assert sorted(words, key=sortable) == ["ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_words_compare_word_by_word():
    assert sorted(["Anh", "An", "Ánh", "Ăn"], key=sortable) == ["An", "Anh", "Ánh", "Ăn"]


def test_people_sort_by_given_name_then_rest():
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Đỗ Thị Đào", "Phạm Văn Dũng"]
    assert sorted(names, key=person_sort_key) == [
        "Lê Văn An",
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Phạm Văn Dũng",
        "Đỗ Thị Đào",
    ]


def test_sort_key_is_plain_lowercase_ascii_so_any_db_collation_agrees():
    key = person_sort_key("Nguyễn Thị Ánh")
    assert key.isascii() and key == key.lower()


@pytest.mark.parametrize(
    "day,expected",
    [
        (dt.date(2021, 4, 7), "ngày 07 tháng 4 năm 2021"),
        (dt.date(2021, 2, 7), "ngày 07 tháng 02 năm 2021"),
        (dt.date(2020, 1, 1), "ngày 01 tháng 01 năm 2020"),
        (dt.date(2020, 6, 22), "ngày 22 tháng 6 năm 2020"),
        (dt.date(2023, 10, 15), "ngày 15 tháng 10 năm 2023"),
    ],
)
def test_official_date(day, expected):
    assert official_date(day) == expected


def test_place_and_table_dates():
    assert place_and_date("Hà Nội", dt.date(2021, 4, 7)) == "Hà Nội, ngày 07 tháng 4 năm 2021"
    assert table_date(dt.date(2021, 4, 7)) == "07/04/2021"


def test_money_uses_dots_for_thousands():
    from decimal import Decimal

    from boiduong.core.text import money

    assert money(Decimal("2050000")) == "2.050.000"
    assert money(0) == "0" and money(None) == "" and money(999) == "999"
