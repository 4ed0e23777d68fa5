"""Files that come in: a department's nomination list (XLSX, from a template it downloads) and
the attendance export of a video-conference platform (CSV: name, e-mail, join and leave times).

Parsing is separate from writing: the functions here read and check rows; the services in
`services.py` save them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from boiduong.core.exports import neutralise
from boiduong.core.text import fold

from .choices import Audience

# --- the nomination template --------------------------------------------------------------------

NOMINATION_HEADERS = ["Số định danh cá nhân (CCCD)", "Họ và tên", "Đối tượng", "Ghi chú"]
AUDIENCE_BY_LABEL = {"gv cot can": Audience.CORE_TEACHER, "cbql cot can": Audience.CORE_MANAGER}
AUDIENCE_LABEL = {Audience.CORE_TEACHER: "GV cốt cán", Audience.CORE_MANAGER: "CBQL cốt cán"}


def nomination_template(*, course, department, candidates: list[dict]) -> bytes:
    """The department's list to fill: its eligible core staff not yet nominated are already in
    it (delete the rows of those not sent); the seats per audience are in the title rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách cử"
    sheet.append([f"{course.code} — {course.title}"])
    sheet.append([f"Đơn vị cử: {department.name}. Hạn: xem công văn triệu tập."])
    sheet.append(NOMINATION_HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F3")
    for row in candidates:
        if row["taken"] or not row["eligibility"].ok:
            continue
        person = row["person"]
        sheet.append(
            [
                neutralise(person.national_id),
                neutralise(person.full_name),
                AUDIENCE_LABEL.get(row["audience"], ""),
                "",
            ]
        )
    choice = DataValidation(type="list", formula1='"GV cốt cán,CBQL cốt cán"', allow_blank=False)
    sheet.add_data_validation(choice)
    choice.add("C4:C500")
    for column, width in zip("ABCD", (28, 32, 16, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4, max_col=1):
        row[0].number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class NominationRow:
    line: int
    national_id: str
    full_name: str
    audience: str
    note: str
    errors: list[str] = field(default_factory=list)
    person: object | None = None
    outcome: str = ""


def read_nomination_rows(upload) -> list[NominationRow]:
    """Rows of an uploaded list (the header row is found by its first cell)."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # not an XLSX file at all
        raise ValueError(_("This is not an .xlsx file made from the template.")) from exc
    sheet = workbook.active
    rows: list[NominationRow] = []
    started = False
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else str(v).strip() for v in (list(values) + [None] * 4)[:4]]
        if not started:
            started = fold(cells[0]).startswith("so dinh danh")
            continue
        if not any(cells):
            continue
        national_id = cells[0].lstrip("'").replace(" ", "")
        if national_id.endswith(".0"):  # a number typed into a general cell
            national_id = national_id[:-2]
        audience = AUDIENCE_BY_LABEL.get(fold(cells[2]), "")
        row = NominationRow(number, national_id.zfill(12) if national_id.isdigit() else national_id,
                            cells[1], audience, cells[3])  # fmt: skip
        if not (row.national_id.isdigit() and len(row.national_id) == 12):
            row.errors.append(_("A national ID has 12 digits."))
        if not audience:
            row.errors.append(_("Write “GV cốt cán” or “CBQL cốt cán” in the Audience column."))
        rows.append(row)
    if not started:
        raise ValueError(_("The header row of the template is missing."))
    return rows


# --- online attendance --------------------------------------------------------------------------

NAME_HEADERS = {"name", "name (original name)", "ho va ten", "ho ten", "participant", "ten"}
EMAIL_HEADERS = {"email", "e-mail", "user email", "email address", "dia chi email"}
JOIN_HEADERS = {"join time", "joined", "join", "first seen", "thoi gian vao", "gio vao"}
LEAVE_HEADERS = {"leave time", "left", "leave", "last seen", "thoi gian roi", "gio ra"}
DURATION_HEADERS = {"duration (minutes)", "duration", "minutes", "thoi luong (phut)", "so phut"}
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


@dataclass
class OnlineRecord:
    line: int
    name: str
    email: str
    joined: dt.datetime
    minutes: int


def _parse_datetime(text: str) -> dt.datetime | None:
    text = text.strip()
    for fmt in DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def read_online_attendance(data: bytes) -> tuple[list[OnlineRecord], list[str]]:
    """Rows of a video-conference attendance export, and the lines it could not read."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = None
    records, problems = [], []
    for number, row in enumerate(reader, start=1):
        folded = [fold(cell) for cell in row]
        if header is None:
            if any(c in JOIN_HEADERS for c in folded) and (
                any(c in NAME_HEADERS for c in folded) or any(c in EMAIL_HEADERS for c in folded)
            ):
                header = {
                    "name": _index(folded, NAME_HEADERS),
                    "email": _index(folded, EMAIL_HEADERS),
                    "join": _index(folded, JOIN_HEADERS),
                    "leave": _index(folded, LEAVE_HEADERS),
                    "duration": _index(folded, DURATION_HEADERS),
                }
            continue
        if not any(cell.strip() for cell in row):
            continue

        def cell(key, row=row, header=header):
            index = header[key]
            return row[index].strip() if index is not None and index < len(row) else ""

        joined = _parse_datetime(cell("join"))
        left = _parse_datetime(cell("leave"))
        minutes = None
        if cell("duration").replace(".", "", 1).isdigit():
            minutes = int(float(cell("duration")))
        elif joined and left:
            minutes = int((left - joined).total_seconds() // 60)
        if joined is None or minutes is None or minutes < 0:
            problems.append(
                _("Line %(line)s: join and leave times are unreadable.") % {"line": number}
            )
            continue
        records.append(OnlineRecord(number, cell("name"), cell("email").lower(), joined, minutes))
    if header is None:
        problems.insert(0, _("No header row with a name or e-mail and a join time was found."))
    return records, problems


def _index(cells: list[str], names: set[str]) -> int | None:
    return next((i for i, c in enumerate(cells) if c in names), None)


def match_online(records: list[OnlineRecord], *, course, nominations) -> dict:
    """Match export rows to confirmed participants (e-mail first, then the name when exactly
    one participant has it) and sum each one's minutes per course day."""
    by_email = {n.person.email.lower(): n for n in nominations if n.person.email}
    by_name = defaultdict(list)
    for nomination in nominations:
        by_name[fold(nomination.person.full_name)].append(nomination)
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    unmatched, outside = [], []
    for record in records:
        nomination = by_email.get(record.email) if record.email else None
        if nomination is None:
            same = by_name.get(fold(record.name), [])
            nomination = same[0] if len(same) == 1 else None
        if nomination is None:
            unmatched.append(record)
            continue
        day = (record.joined.date() - course.starts_on).days + 1
        if not 1 <= day <= course.days:
            outside.append(record)
            continue
        minutes[(nomination.pk, day)] += record.minutes
    return {"minutes": dict(minutes), "unmatched": unmatched, "outside": outside}


def now_local() -> dt.datetime:
    return timezone.localtime()
