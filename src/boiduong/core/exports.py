"""Spreadsheet export of exactly what a filtered table shows, as XLSX or CSV.

Cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR) are neutralised with a
leading apostrophe (OWASP "CSV injection"); XLSX cells are written as strings, never formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _filename(name: str, ext: str) -> str:
    return f"{slugify(name) or 'export'}.{ext}"


def csv_response(rows: Iterable[Sequence], *, name: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV with Vietnamese text correctly only with a BOM
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, "csv")}"'
    return response


def xlsx_bytes(rows: Iterable[Sequence], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet1")
    widths: dict[int, int] = {}
    materialised = [[neutralise(cell) for cell in row] for row in rows]
    for row in materialised:
        for index, cell in enumerate(row, start=1):
            widths[index] = min(max(widths.get(index, 8), len(cell) + 2), 60)
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    for number, row in enumerate(materialised):
        if number == 0:
            from openpyxl.cell import WriteOnlyCell

            header = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDE7F3")
                header.append(cell)
            sheet.append(header)
        else:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Sequence], *, name: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, title=name), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, "xlsx")}"'
    return response


def table_response(table, *, fmt: str, name: str) -> HttpResponse:
    """Export a django-tables2 table: header + every row of the filtered queryset."""
    rows = list(table.as_values(exclude_columns=getattr(table, "export_exclude", ())))
    if fmt == "csv":
        return csv_response(rows, name=name)
    return xlsx_response(rows, name=name)
