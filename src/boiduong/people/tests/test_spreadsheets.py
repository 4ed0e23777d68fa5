"""The streaming reader against the shapes spreadsheet programs write."""

import datetime as dt

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from boiduong.people.spreadsheets import Formula, NotASpreadsheet, open_sheet


def _rows(path):
    return list(open_sheet(str(path)))


@pytest.mark.parametrize("write_only", [False, True])  # shared strings / inline strings
def test_values_gaps_dates_and_formulas(tmp_path, write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("a") if write_only else workbook.active
    sheet.append(["Tên", "Ngày", None, "Số"])
    sheet.append(["Nguyễn Thị Ánh", dt.date(1990, 2, 28), None, 12])
    sheet.append([None, None, "  ", "=1+1"])
    sheet.append(["A & B <c>", None, None, None] + [None] * 25 + ["cột AD"])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    rows = _rows(path)
    assert rows[0] == (1, ["Tên", "Ngày", None, "Số"])
    assert rows[1] == (2, ["Nguyễn Thị Ánh", dt.date(1990, 2, 28), None, 12])
    number, cells = rows[2]
    assert number == 3 and cells[:3] == [None, None, None] and isinstance(cells[3], Formula)
    assert rows[3][1][0] == "A & B <c>" and rows[3][1][29] == "cột AD"


def test_rich_text_and_decomposed_accents_come_back_whole(tmp_path):
    workbook = Workbook()
    rich = CellRichText([TextBlock(InlineFont(b=True), "Trần "), "Thị Hoa"])
    workbook.active.append([rich, "Nguye\u0302\u0303n"])
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    assert _rows(path) == [(1, ["Trần Thị Hoa", "Nguyễn"])]


def test_a_formula_is_not_equal_to_its_text():
    assert Formula("2020") != "2020" and len({Formula("2020"), "2020"}) == 2


def test_broken_zip_is_not_a_spreadsheet(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(NotASpreadsheet):
        _rows(path)
