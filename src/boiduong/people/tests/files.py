"""Small registry files for the tests, written the ways provinces write them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook

from boiduong.people.sample import header

HANOI = "Thành phố Hà Nội"
CAMAU = "Cà Mau"


def person(n: int, **changes) -> list:
    """A valid row in template order; `n` keeps national IDs apart."""
    row = {
        "id": f"0011890{n:05d}",
        "name": "Nguyễn Thị Lan",
        "gender": "Nữ",
        "born": dt.date(1989, 3, 15),
        "phone": "0912345678",
        "email": f"lan{n}@mn.edu.vn",
        "province": HANOI,
        "school": "Trường Mầm non Hoa Sen",
        "position": "Giáo viên",
        "qualification": "Đại học",
        "year": 2020,
        "rating": "Khá",
        "core": "",
        "result": "",
        "course": "",
    }
    row.update(changes)
    return list(row.values())


def xlsx(path: Path, rows: list[list], *, head: list | None = None, title_rows: int = 0) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["DANH SÁCH GIÁO VIÊN MẦM NON"])
    sheet.append(head or header())
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def csv_file(
    path: Path, rows: list[list], *, encoding="utf-8-sig", head=None, delimiter=","
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(head or header())
    for row in rows:
        writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Text the way Windows-1258 stores Vietnamese: letters precomposed, tone marks combining."""
    import unicodedata

    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append((base + "".join(c for c in parts if c in _TONES)).encode("cp1258"))
    return b"".join(out)
