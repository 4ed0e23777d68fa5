"""Importing the people registry from a spreadsheet: pure checks, and one service.

A provincial department sends its teachers as an Excel or CSV file, one row per person, with
that year's rating, core-staff status and training result. `people_import` reads it as a
stream, checks every cell in plain Python (no query per row, a column at a time), and upserts
by national ID (`upsert.py`: new people by COPY, known ones through a staging table). Nothing
is written unless every row is valid, and a dry run reports exactly what a real run would do
(it runs the same code and rolls back).

Messages for the user are Vietnamese literals, as are the headers and values they talk about.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import repeat, zip_longest
from typing import Any

from django.db import transaction
from django.utils import timezone

from boiduong.core import access
from boiduong.core.text import fold
from boiduong.orgs.choices import OrgUnitKind
from boiduong.orgs.models import OrgUnit, Province

from . import keys, upsert
from .choices import CoreStaffKind, Gender, Position, Rating, TrainingOutcome
from .spreadsheets import CellError, Formula, NotASpreadsheet, Row, open_sheet

MAX_KEPT_ERROR_ROWS = 10_000  # rows whose values are kept for the error report
HEADER_SEARCH_ROWS = 10  # a title block above the header row is common in provincial files
PROGRESS_EVERY = 5_000
BATCH_ROWS = 2_000  # rows checked together, a column at a time


class Invalid(Exception):
    """A cell's value is wrong; the message says why, in Vietnamese."""


# --- Columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int = 255


COLUMNS = (
    Column(
        "national_id",
        "Số định danh cá nhân / CCCD",
        (
            "so dinh danh ca nhan",
            "so dinh danh",
            "ma dinh danh",
            "ma dinh danh ca nhan",
            "cccd",
            "so cccd",
            "can cuoc cong dan",
            "so can cuoc cong dan",
            "so can cuoc",
            "cmnd cccd",
            "so cmnd cccd",
        ),
        required=True,
        max_length=20,
    ),
    Column(
        "full_name",
        "Họ và tên",
        ("ho ten", "ho va ten", "ho ten giao vien", "ho va ten giao vien", "ho ten nguoi"),
        required=True,
        max_length=150,
    ),
    Column("gender", "Giới tính", ("gioi", "nam nu", "gioi tinh nam nu"), max_length=10),
    Column(
        "birth_date",
        "Ngày sinh",
        ("ngay thang nam sinh", "sinh ngay", "ngay sinh dd mm yyyy"),
        max_length=20,
    ),
    Column(
        "phone",
        "Điện thoại",
        ("so dien thoai", "sdt", "so dt", "dt", "dien thoai di dong", "di dong"),
        max_length=20,
    ),
    Column("email", "Email", ("e mail", "thu dien tu", "dia chi email", "dia chi thu dien tu")),
    Column(
        "province",
        "Tỉnh/thành phố",
        ("tinh", "tinh thanh", "tinh tp", "tinh thanh pho truc thuoc trung uong", "thanh pho"),
        required=True,
        max_length=100,
    ),
    Column(
        "school",
        "Trường (cơ sở giáo dục)",
        ("truong", "co so giao duc", "ten truong", "don vi cong tac", "noi cong tac", "don vi"),
        required=True,
    ),
    Column("position", "Chức vụ", ("chuc danh", "chuc vu hien nay"), max_length=50),
    Column(
        "qualification",
        "Trình độ",
        ("trinh do chuyen mon", "trinh do dao tao", "trinh do chuyen mon dao tao"),
        max_length=100,
    ),
    Column("year", "Năm", ("nam danh gia", "nam xep loai"), max_length=10),
    Column(
        "rating",
        "Xếp loại chuẩn nghề nghiệp",
        ("xep loai", "xep loai cnn", "danh gia chuan nghe nghiep", "chuan nghe nghiep"),
        max_length=20,
    ),
    Column(
        "core",
        "Cốt cán (GV cốt cán / CBQL cốt cán / để trống)",
        ("cot can", "loai cot can", "giao vien cot can"),
        max_length=30,
    ),
    Column(
        "training_result",
        "Kết quả bồi dưỡng (Đạt/Không đạt)",
        ("ket qua boi duong", "ket qua"),
        max_length=20,
    ),
    Column("course", "Khóa bồi dưỡng", ("khoa boi duong", "ten khoa boi duong", "khoa hoc")),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
IGNORED_HEADERS = {"stt", "tt", "so tt", "so thu tu", "ghi chu"}


def normalise_header(text: Any) -> str:
    """'Số định danh cá nhân / CCCD' -> 'so dinh danh ca nhan cccd' (parentheses dropped)."""
    folded = fold(str(text or ""))
    folded = re.sub(r"\([^)]*\)", " ", folded)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


_HEADER_KEYS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_KEYS[normalise_header(_name)] = _column.key
_HEADER_KEYS[normalise_header("Số định danh cá nhân / CCCD")] = "national_id"


@dataclass
class HeaderMatch:
    row_number: int
    columns: dict[int, str]  # column index -> field key
    headers: list[str]  # header cells as written
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def match_headers(row_number: int, cells: list) -> HeaderMatch:
    """Map header cells to fields, in any order, case and accents ignored."""
    headers = ["" if c is None else str(c).strip() for c in cells]
    found = HeaderMatch(row_number=row_number, columns={}, headers=headers)
    by_key: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = normalise_header(header)
        if not name:
            continue
        key = _HEADER_KEYS.get(name)
        if key is None:
            if name not in IGNORED_HEADERS:
                found.warnings.append(f"Cột “{header}” không được dùng và sẽ bỏ qua.")
            continue
        if key in by_key:
            found.problems.append(
                f"Cột “{headers[by_key[key]]}” và cột “{header}” cùng là "
                f"“{COLUMNS_BY_KEY[key].header}”: hãy giữ một cột."
            )
            continue
        by_key[key] = index
        found.columns[index] = key
    missing = [c.header for c in COLUMNS if c.required and c.key not in by_key]
    if missing:
        found.problems.append("Thiếu cột bắt buộc: " + ", ".join(f"“{m}”" for m in missing) + ".")
    return found


def find_header(rows: Iterator[Row]) -> HeaderMatch | None:
    """The header row: the first of the top rows that names the most known columns."""
    best: HeaderMatch | None = None
    for _ in range(HEADER_SEARCH_ROWS):
        try:
            number, cells = next(rows)
        except StopIteration:
            break
        candidate = match_headers(number, cells)
        if best is None or len(candidate.columns) > len(best.columns):
            best = candidate
        if not candidate.problems and len(candidate.columns) >= 4:
            return candidate
    return best


# --- Cell checks (pure) -----------------------------------------------------------------------

_ID_JUNK = re.compile(r"[\s.\-']")
_PHONE_JUNK = re.compile(r"[\s.\-()]")
_EMAIL = re.compile(r"^[^@\s=]+@[^@\s]+\.[^@\s]+$")
_DIGIT = re.compile(r"\d")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def _show(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def text_value(value: Any, *, max_length: int) -> str:
    """A cell as clean text: formulas and error cells are refused, spaces collapsed."""
    if isinstance(value, Formula) or (isinstance(value, str) and value.startswith("=")):
        raise Invalid("ô chứa công thức; hãy dán giá trị (Paste Special → Values)")
    if isinstance(value, CellError):
        raise Invalid(f"ô báo lỗi {value}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split()) if value is not None else ""
    if len(text) > max_length:
        raise Invalid(f"ô quá dài ({len(text)} ký tự, tối đa {max_length})")
    return text


def clean_national_id(value: Any) -> str:
    """12 digits. Excel drops the leading zeros of a CCCD typed as a number; they come back."""
    if isinstance(value, bool | dt.date):
        raise Invalid(f"số định danh phải gồm đúng 12 chữ số (nhận được “{_show(value)}”)")
    if isinstance(value, int | float) and not isinstance(value, Formula):
        if isinstance(value, float) and not value.is_integer():
            raise Invalid(f"số định danh phải gồm đúng 12 chữ số (nhận được “{_show(value)}”)")
        digits = str(int(value))
        if 10 <= len(digits) <= 11:
            digits = digits.zfill(12)
    else:
        digits = _ID_JUNK.sub("", text_value(value, max_length=40))
    if len(digits) != 12 or not digits.isdigit():
        raise Invalid(f"số định danh phải gồm đúng 12 chữ số (nhận được “{_show(value)}”)")
    return digits


def clean_full_name(value: Any) -> str:
    name = text_value(value, max_length=150)
    if _DIGIT.search(name):
        raise Invalid(f"họ và tên không được chứa chữ số (“{_show(name)}”)")
    if len(name.split()) < 2:
        raise Invalid(f"cần đủ họ và tên (“{_show(name)}”)")
    return name


def _choice(mapping: dict[str, str], label: str, allowed: str) -> Callable[[Any], str]:
    mapping = {key: str(code) for key, code in mapping.items()}  # plain str, not the enum

    def clean(value: Any) -> str:
        text = text_value(value, max_length=60)
        found = mapping.get(fold(text))
        if found is None:
            raise Invalid(f"{label} “{_show(text)}” không hợp lệ; dùng: {allowed}")
        return found

    return clean


clean_gender = _choice(
    {"nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "nu": Gender.FEMALE,
     "f": Gender.FEMALE, "female": Gender.FEMALE},
    "giới tính", "Nam, Nữ",
)  # fmt: skip
clean_position = _choice(
    {
        "giao vien": Position.TEACHER, "gv": Position.TEACHER,
        "hieu truong": Position.PRINCIPAL, "ht": Position.PRINCIPAL,
        "pho hieu truong": Position.VICE_PRINCIPAL, "pht": Position.VICE_PRINCIPAL,
        "chuyen vien": Position.SPECIALIST, "giang vien": Position.LECTURER,
        "to truong": Position.HEAD_OF_GROUP, "to truong chuyen mon": Position.HEAD_OF_GROUP,
        "khac": Position.OTHER,
    },
    "chức vụ",
    "Giáo viên, Hiệu trưởng, Phó hiệu trưởng, Chuyên viên, Giảng viên, Tổ trưởng, Khác",
)  # fmt: skip
clean_rating = _choice(
    {"chua dat": Rating.NOT_MET, "dat": Rating.MET, "kha": Rating.GOOD, "tot": Rating.EXCELLENT},
    "xếp loại", "Chưa đạt, Đạt, Khá, Tốt",
)  # fmt: skip
clean_core = _choice(
    {
        "gv cot can": CoreStaffKind.TEACHER, "giao vien cot can": CoreStaffKind.TEACHER,
        "cbql cot can": CoreStaffKind.MANAGER, "can bo quan ly cot can": CoreStaffKind.MANAGER,
        "khong": "",
    },
    "cốt cán", "GV cốt cán, CBQL cốt cán hoặc để trống",
)  # fmt: skip
clean_training_result = _choice(
    {"dat": TrainingOutcome.PASSED, "khong dat": TrainingOutcome.FAILED,
     "chua dat": TrainingOutcome.FAILED},
    "kết quả bồi dưỡng", "Đạt, Không đạt",
)  # fmt: skip


def clean_birth_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    if isinstance(value, dt.datetime):
        found = value.date()
    elif isinstance(value, dt.date):
        found = value
    else:
        text = text_value(value, max_length=20)
        found = _parse_date(text)
    if not dt.date(1940, 1, 1) <= found <= today.replace(year=today.year - 16):
        raise Invalid(f"ngày sinh {_show(found)} nằm ngoài khoảng hợp lý")
    return found


def _parse_date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    parts = re.split(r"[/.\-]", text)
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        raise Invalid(f"ngày không có thật: “{_show(text)}”")
    raise Invalid(f"ngày không hợp lệ: “{_show(text)}” (viết dd/mm/yyyy)")


def clean_phone(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        digits = "0" + digits if len(digits) == 9 else digits  # Excel dropped the leading 0
    else:
        digits = _PHONE_JUNK.sub("", text_value(value, max_length=25))
        if digits.startswith("+84"):
            digits = "0" + digits[3:]
    if not digits.isdigit() or not 9 <= len(digits) <= 11:
        raise Invalid(f"số điện thoại không hợp lệ: “{_show(value)}”")
    return digits


def clean_email(value: Any) -> str:
    email = text_value(value, max_length=254)
    if not _EMAIL.match(email):
        raise Invalid(f"email không hợp lệ: “{_show(email)}”")
    return email


def fast_national_id(value: Any) -> str:
    if value.__class__ is str and len(value) == 12 and value.isdigit():
        return value
    return clean_national_id(value)


def fast_phone(value: Any) -> str:
    if value.__class__ is str and 9 <= len(value) <= 11 and value.isdigit():
        return value
    return clean_phone(value)


def fast_email(value: Any) -> str:
    if value.__class__ is str and len(value) <= 254 and _EMAIL.match(value):
        return value
    return clean_email(value)


def clean_year(value: Any, *, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    text = text_value(value, max_length=10)
    if not text.isdigit() or not 1990 <= int(text) <= today.year + 1:
        raise Invalid(f"năm không hợp lệ: “{_show(text)}”")
    return int(text)


# --- Reference data read once ---------------------------------------------------------------


@dataclass(eq=False)  # one object per province, compared and hashed by identity
class ProvinceTarget:
    """Where a province's rows go: today's province and its provincial department."""

    province_id: int
    name: str
    department: OrgUnit | None
    in_scope: bool


def _province_aliases(province: Province) -> set[str]:
    names = {province.name, province.full_name, province.name_en}
    for prefix in ("Tỉnh ", "Thành phố ", "TP ", "TP. ", "TP.", "T. "):
        names.add(prefix + province.name)
    return {fold(n) for n in names if n}


def load_provinces(*, scope: access.Scope, on: dt.date) -> dict[str, ProvinceTarget]:
    """Folded province names (today's and former ones) -> today's province.

    A former province (before the 01/07/2025 merger) maps to its successor, so files written
    with the old names still load (Bạc Liêu -> Cà Mau).
    """
    current = list(Province.objects.valid_on(on).order_by("code"))
    departments = {
        unit.province_id: unit
        for unit in OrgUnit.objects.valid_on(on).filter(
            kind=OrgUnitKind.PROVINCIAL_DEPARTMENT, province__in=current
        )
    }
    targets: dict[str, ProvinceTarget] = {}
    by_id = {}
    for province in current:
        department = departments.get(province.pk)
        target = ProvinceTarget(
            province_id=province.pk,
            name=province.full_name,
            department=department,
            in_scope=department is not None and scope.covers(department.path),
        )
        by_id[province.pk] = target
        for alias in _province_aliases(province):
            targets[alias] = target
        targets[province.code] = target
    for old in Province.objects.exclude(pk__in=by_id).filter(successor__in=current):
        for alias in _province_aliases(old):
            targets.setdefault(alias, by_id[old.successor_id])
    return targets


class SchoolRegistry:
    """Schools by province and folded name; unknown names become new schools (keys < 0)."""

    def __init__(self, targets: Iterable[ProvinceTarget]):
        self.keys: dict[tuple[int, str], int] = {}
        self.folded: dict[int, str] = {}
        self.new: dict[int, tuple[ProvinceTarget, str]] = {}
        self._seen: dict[tuple[int, str], int] = {}  # (province, name as written) -> key
        self._pending: list[tuple[int, ProvinceTarget, str, str]] = []
        departments = {t.department.path: t for t in targets if t.department is not None}
        if departments:
            self._load_existing(departments)

    def _load_existing(self, departments: dict[str, ProvinceTarget]) -> None:
        paths = {}
        for path, target in departments.items():
            paths[path] = target.province_id
            for old in target.department.predecessor_tree():  # type: ignore[union-attr]
                paths[old.path] = target.province_id
        schools = OrgUnit.objects.filter(kind=OrgUnitKind.SCHOOL).values_list(
            "pk", "name", "short_name", "path"
        )
        for pk, name, short_name, path in schools:
            province_id = paths.get(path[: -(OrgUnit.PATH_STEP + 1)])
            if province_id is None:
                continue
            self.folded[pk] = fold(name)
            for variant in {name, short_name}:
                if variant:
                    self.keys.setdefault((province_id, fold(variant)), pk)

    def take_new(self) -> list[tuple[int, ProvinceTarget, str, str]]:
        """New schools named since the last call (the writer creates them)."""
        found, self._pending = self._pending, []
        return found

    def key_for(self, target: ProvinceTarget, name: str) -> int:
        key = self._seen.get((target.province_id, name))
        if key is None:
            key = self._seen[(target.province_id, name)] = self._key_for(target, name)
        return key

    def _key_for(self, target: ProvinceTarget, name: str) -> int:
        folded = fold(name)
        key = self.keys.get((target.province_id, folded))
        if key is None:
            key = self.keys[(target.province_id, folded)] = -(len(self.new) + 1)
            self.new[key] = (target, name)
            self._pending.append((key, target, name, folded))
            self.folded[key] = folded
        return key


# --- Row checks -------------------------------------------------------------------------------


@dataclass
class Issue:
    """One problem in one cell (or a whole row when `column` is None)."""

    row: int
    column: int | None
    header: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột “{self.header}”" if self.header else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.header,
            "value": self.value,
            "message": self.message,
            "text": str(self),
        }


FACT_KEYS = ("rating", "core", "training_result", "course")


_MISSING = object()
_FULL_CHECKS: dict[str, Callable[[Any], str]] = {
    "national_id": clean_national_id,
    "phone": clean_phone,
    "email": clean_email,
}


def _can_import(target: ProvinceTarget) -> bool:
    return target.in_scope and target.department is not None


MEMO_LIMIT = 50_000
# Columns with few distinct values: each distinct cell is checked once, then looked up.
MEMO_COLUMNS = {
    "full_name", "gender", "birth_date", "province", "school", "position", "qualification",
    "year", "rating", "core", "training_result", "course",
}  # fmt: skip


class RowChecker:
    """Checks one data row at a time against the columns found and the reference data.

    This is the hot loop of a national import (hundreds of thousands of rows), so the checks
    of low-variety columns are memoised per distinct cell value and the usual shapes of IDs,
    phones and e-mails take a fast path; the full checks above decide everything else.
    """

    def __init__(self, header: HeaderMatch, provinces: dict[str, ProvinceTarget], today):
        self.header = header
        self.provinces = provinces
        self.schools = SchoolRegistry({id(t): t for t in provinces.values()}.values())
        self.present = set(header.columns.values())
        self.index = {key: i for i, key in header.columns.items()}
        self.seen: dict[str, int] = {}
        self.today = today
        cleaners: dict[str, Callable[[Any], Any]] = {
            "national_id": fast_national_id,
            "full_name": clean_full_name,
            "gender": clean_gender,
            "birth_date": lambda v: clean_birth_date(v, today=today),
            "phone": fast_phone,
            "email": fast_email,
            "province": self._province,
            "school": lambda v: text_value(v, max_length=255),
            "position": clean_position,
            "qualification": lambda v: text_value(v, max_length=100),
            "year": lambda v: clean_year(v, today=today),
            "rating": clean_rating,
            "core": clean_core,
            "training_result": clean_training_result,
            "course": lambda v: text_value(v, max_length=255),
        }
        # What an empty cell of a column stages as: "" when the file has the column, else None.
        self._text_columns = {
            key: "" if key in self.present else None
            for key in ("gender", "phone", "email", "position", "qualification", "core")
        }
        # What an empty cell of a memoised column stands for in `check_batch`.
        self._empty_values: dict[str, Any] = dict.fromkeys(
            ("gender", "position", "qualification", "core", "rating", "training_result", "course"),
            "",
        )
        self._bad: dict[str, set] = {key: set() for key in MEMO_COLUMNS}
        self._names: dict[str, tuple[str, str]] = {}
        self._plan: list[tuple[int, str, Callable[[Any], Any], dict | None, bool]] = [
            (
                index,
                key,
                cleaners[key],
                {} if key in MEMO_COLUMNS else None,
                COLUMNS_BY_KEY[key].required,
            )
            for index, key in sorted(header.columns.items())
        ]

    def _province(self, value: Any) -> ProvinceTarget:
        text = text_value(value, max_length=100)
        target = self.provinces.get(fold(text)) or self.provinces.get(text.zfill(2))
        if target is None:
            raise Invalid(f"không tìm thấy tỉnh/thành phố “{_show(text)}”")
        return target

    def _issue(self, row: int, key: str | None, value: Any, message: str) -> Issue:
        index = self.index.get(key) if key else None
        if index is not None:
            header = self.header.headers[index]
        else:  # the column is not in the file: name it as the template does
            header = COLUMNS_BY_KEY[key].header if key else ""
        shown = "" if value is None else _show(value)
        return Issue(row, index, header, shown, message)

    def check(self, row: int, cells: list) -> tuple[tuple | None, list[Issue]]:
        values: dict[str, Any] = {}
        issues: list[Issue] = []
        width = len(cells)
        for index, key, clean, memo, required in self._plan:
            raw = cells[index] if index < width else None
            if raw is None:  # the readers give None for empty and blank cells
                if required:
                    issues.append(self._issue(row, key, None, "thiếu giá trị bắt buộc"))
                continue
            if memo is None:
                try:
                    values[key] = clean(raw)
                except Invalid as exc:
                    issues.append(self._issue(row, key, raw, str(exc)))
                continue
            found = memo.get(raw, _MISSING)
            if found is _MISSING:
                try:
                    found = clean(raw)
                except Invalid as exc:
                    found = exc
                if len(memo) < MEMO_LIMIT:
                    memo[raw] = found
            if found.__class__ is Invalid:
                issues.append(self._issue(row, key, raw, str(found)))
            else:
                values[key] = found
        if issues:
            issues.extend(self._cross_checks(row, values, issues))
            return None, issues
        target = values["province"]
        national_id = values["national_id"]
        if (
            national_id in self.seen
            or not target.in_scope
            or target.department is None
            or ("year" not in values and any(k in values for k in FACT_KEYS))
            or ("training_result" in values) is not ("course" in values)
        ):
            issues = self._cross_checks(row, values, issues)
        else:
            self.seen[national_id] = row
        if issues:
            return None, issues
        return self._stage_row(row, values), issues

    def check_batch(
        self, numbers: list[int], rows: list[list]
    ) -> tuple[list[tuple], list[tuple[int, list, list[Issue]]]]:
        """Check rows a column at a time: the staged clean rows, and the faulty rows with
        their issues, both in file order.

        The same checks as `check`, arranged for speed: each column's distinct values are
        checked once (memoised), a column is turned into values with `map`, and the rows
        are built with `zip`. A row with any problem is set aside and checked again by
        `check`, which words the issues, so the messages are those of `check` exactly.
        """
        count = len(rows)
        columns = list(zip_longest(*rows)) if count else []
        width = len(columns)
        empty = (None,) * count
        faulty: set[int] = set()
        found: dict[str, list] = {}
        for index, key, clean, memo, required in self._plan:
            raw = columns[index] if index < width else empty
            if memo is None:
                values, failed = self._plain_column(key, raw)
            else:
                values, failed = self._memo_column(key, raw, clean, memo)
            if failed:
                faulty.update(i for i, value in enumerate(values) if value.__class__ is Invalid)
            if required and None in raw:
                faulty.update(i for i, value in enumerate(raw) if value is None)
            found[key] = values
        self._cross_check_batch(numbers, found, faulty)
        staged = self._stage_batch(numbers, found, faulty)
        bad = []
        for i in sorted(faulty):
            row, issues = self.check(numbers[i], rows[i])
            if row is not None:  # not expected: every row set aside has a problem
                staged.append(row)
            else:
                bad.append((numbers[i], rows[i], issues))
        return staged, bad

    def _plain_column(self, key: str, raw: tuple) -> tuple[list, bool]:
        """IDs, phones, e-mails: nearly all distinct, so not memoised; the usual shape is
        accepted inline and anything else goes through the full check."""
        failures = []
        default = self._text_columns.get(key)

        def full(value: Any) -> Any:
            if value is None:
                return default
            try:
                return _FULL_CHECKS[key](value)
            except Invalid as exc:
                failures.append(exc)
                return exc

        if key == "national_id":
            values = [
                v if v.__class__ is str and len(v) == 12 and v.isdigit() else full(v) for v in raw
            ]
        elif key == "phone":
            values = [
                v if v.__class__ is str and 9 <= len(v) <= 11 and v.isdigit() else full(v)
                for v in raw
            ]
        else:
            match = _EMAIL.match
            values = [
                v if v.__class__ is str and len(v) <= 254 and match(v) else full(v) for v in raw
            ]
        return values, bool(failures)

    def _memo_column(self, key: str, raw: tuple, clean, memo: dict) -> tuple[list, bool]:
        """Low-variety columns: each distinct cell is checked once. The memo is emptied when
        it grows past its limit (names), and keeps None -> the value of an empty cell."""
        missing = set(raw).difference(memo)
        if missing:
            if len(memo) + len(missing) > MEMO_LIMIT:
                memo.clear()
                missing = set(raw)
            bad = self._bad[key]
            for value in missing:
                if value is None:
                    result: Any = self._empty_values.get(key)
                else:
                    try:
                        result = clean(value)
                    except Invalid as exc:
                        result = exc
                        bad.add(value)
                memo[value] = result
        bad = self._bad[key]
        values = list(map(memo.__getitem__, raw))
        return values, bool(bad) and not bad.isdisjoint(raw)

    def _cross_check_batch(self, numbers: list[int], found: dict[str, list], faulty: set) -> None:
        """The checks across columns and rows (see `_cross_checks`), rows with a problem
        added to `faulty`. National IDs are recorded in file order, as `check` does."""
        setdefault = self.seen.setdefault
        national_ids = found["national_id"]
        if all(map(str.__instancecheck__, national_ids)):  # the usual case: every ID valid
            firsts = list(map(setdefault, national_ids, numbers))
            if firsts != numbers:
                faulty.update(i for i, first in enumerate(firsts) if first != numbers[i])
        else:
            for i, (number, national_id) in enumerate(zip(numbers, national_ids, strict=True)):
                if national_id.__class__ is str and setdefault(national_id, number) != number:
                    faulty.add(i)
        targets = found["province"]
        refused = {t for t in set(targets) if t.__class__ is ProvinceTarget and not _can_import(t)}
        if refused:
            faulty.update(i for i, t in enumerate(targets) if t in refused)
        years = found.get("year")
        facts = [found[k] for k in FACT_KEYS if k in found]
        if facts and (years is None or None in years):
            years = years or [None] * len(numbers)
            faulty.update(
                i
                for i, (year, *values) in enumerate(zip(years, *facts, strict=True))
                if year is None and any(values)
            )
        results, courses = found.get("training_result"), found.get("course")
        if results is not None or courses is not None:
            results = results or [""] * len(numbers)
            courses = courses or [""] * len(numbers)
            faulty.update(
                i
                for i, (result, course) in enumerate(zip(results, courses, strict=True))
                if bool(result) is not bool(course)
            )

    def _stage_batch(self, numbers: list[int], found: dict[str, list], faulty: set) -> list:
        """The clean rows as `_stage_row` builds them, a column at a time."""
        if faulty:
            keep = [i for i in range(len(numbers)) if i not in faulty]
            numbers = [numbers[i] for i in keep]
            found = {key: [values[i] for i in keep] for key, values in found.items()}
        count = len(numbers)
        if not count:
            return []

        def column(key: str, default: Any = None) -> Any:
            values = found.get(key)
            return values if values is not None else repeat(default, count)

        national_ids, names = found["national_id"], found["full_name"]
        school_keys = list(map(self.schools.key_for, found["province"], found["school"]))
        cached = self._names.get
        name_keys = [cached(name) or self._name_keys(name) for name in names]
        folded_schools = list(map(self.schools.folded.__getitem__, school_keys))
        search_texts = [
            f"{keys[0]} {national_id} {school}"
            for keys, national_id, school in zip(
                name_keys, national_ids, folded_schools, strict=True
            )
        ]
        years = found.get("year")
        cores: Any
        if years is None:
            cores = repeat(None, count)
        else:
            cores = [
                core if year else None for core, year in zip(column("core"), years, strict=True)
            ]
        texts = self._text_columns
        return list(
            zip(
                numbers,
                national_ids,
                names,
                column("gender", texts["gender"]),
                column("birth_date"),
                column("phone", texts["phone"]),
                column("email", texts["email"]),
                school_keys,
                column("position", texts["position"]),
                column("qualification", texts["qualification"]),
                search_texts,
                [keys[1] for keys in name_keys],
                column("year"),
                column("rating", ""),
                cores,
                column("training_result", ""),
                column("course", ""),
                strict=True,
            )
        )

    def _cross_checks(self, row: int, values: dict, issues: list[Issue]) -> list[Issue]:
        found = []
        national_id = values.get("national_id")
        if national_id is not None:
            first = self.seen.setdefault(national_id, row)
            if first != row:
                found.append(
                    self._issue(
                        row, "national_id", national_id, f"số định danh trùng với dòng {first}"
                    )
                )
        target = values.get("province")
        if target is not None and not target.in_scope:
            found.append(
                self._issue(
                    row,
                    "province",
                    target.name,
                    f"bạn không có quyền nhập dữ liệu của {target.name}",
                )
            )
        elif target is not None and target.department is None:
            found.append(
                self._issue(row, "province", target.name, "tỉnh chưa có Sở GDĐT trong hệ thống")
            )
        year_failed = any(i.header == self._header("year") for i in issues)
        if any(values.get(k) for k in FACT_KEYS) and "year" not in values and not year_failed:
            found.append(self._issue(row, "year", None, "cần ghi năm cho xếp loại/cốt cán"))
        if values.get("training_result") and not values.get("course"):
            found.append(self._issue(row, "course", None, "thiếu tên khóa bồi dưỡng"))
        if values.get("course") and not values.get("training_result"):
            found.append(self._issue(row, "training_result", None, "thiếu kết quả bồi dưỡng"))
        return found

    def _header(self, key: str) -> str:
        index = self.index.get(key)
        return self.header.headers[index] if index is not None else ""

    def _stage_row(self, row: int, values: dict) -> tuple:
        """The row as the writer stages it (see upsert._STAGE_COLUMNS). A column the file does
        not have is None, so that an update leaves it alone; an empty cell is ""."""
        get = values.get
        texts = self._text_columns
        school_key = self.schools.key_for(values["province"], values["school"])
        name = values["full_name"]
        national_id = values["national_id"]
        folded_name, sort_key = self._name_keys(name)
        year = get("year")
        return (
            row,
            national_id,
            name,
            get("gender", texts["gender"]),
            get("birth_date"),
            get("phone", texts["phone"]),
            get("email", texts["email"]),
            school_key,
            get("position", texts["position"]),
            get("qualification", texts["qualification"]),
            f"{folded_name} {national_id} {self.schools.folded[school_key]}",
            sort_key,
            year,
            get("rating", ""),
            get("core", texts["core"]) if year else None,
            get("training_result", ""),
            get("course", ""),
        )

    def _name_keys(self, name: str) -> tuple[str, str]:
        """Folded name and sort key, once per distinct name (names repeat a lot)."""
        found = self._names.get(name)
        if found is None:
            found = (
                keys.fold_name(name),
                keys.person_sort_key(name),
            )
            if len(self._names) < 200_000:
                self._names[name] = found
        return found


# --- The outcome --------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What an import found and did; `as_result()` is what the job keeps."""

    dry_run: bool
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    schools_created: int = 0
    committed: bool = False
    file_errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    bad_rows: dict[int, list] = field(default_factory=dict)  # row -> raw cells, for the report

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_rows

    def messages(self, limit: int = 50) -> list[str]:
        return self.file_errors + [str(issue) for issue in self.issues[:limit]]

    def as_result(self, *, limit: int = 50) -> dict:
        return {
            "dry_run": self.dry_run,
            "committed": self.committed,
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_rows": self.error_rows,
            "schools_created": self.schools_created,
            "file_errors": self.file_errors,
            "warnings": self.warnings[:20],
            "issues": [issue.as_dict() for issue in self.issues[:limit]],
            "issue_count": len(self.issues),
        }


# --- The service ------------------------------------------------------------------------------

Progress = Callable[[int, int, str], None]


def _checkpoint(stage: str, rows: int) -> None:
    """Called after each chunk and each write step (tests make a job die here)."""


def people_import(
    *,
    actor,
    path: str,
    filename: str = "",
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Check a registry file and, unless `dry_run`, upsert it by national ID — all or nothing.

    Rows go to the provinces valid today; former provinces' names map to their successor. A
    provincial officer may import only rows of provinces in their scope, and may not overwrite
    a person who works outside it. New schools are created under the province's department.
    The writes are bulk statements: no audit record per row; the caller records one for the
    whole import (see `tasks.run_import`). A dry run executes everything, then rolls back.
    `actor=None` is the shell (`boiduong import_people`): no scope limit.
    """
    try:
        sheet = open_sheet(path, filename=filename)
    except NotASpreadsheet:
        outcome = ImportOutcome(dry_run=dry_run)
        outcome.file_errors.append(
            "Tệp không phải bảng tính đọc được (cần .xlsx hoặc .csv, hoặc .xls/.ods)."
        )
        return outcome
    # The import allocates millions of short-lived rows, lists and tuples and makes no
    # reference cycles worth finding: the cyclic collector would spend about a second of a
    # national import walking them (and every object of the process). It is off meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import_sheet(actor=actor, sheet=sheet, dry_run=dry_run, progress=progress)
    finally:
        sheet.close()
        if collecting:
            gc.enable()


def _import_sheet(*, actor, sheet, dry_run: bool, progress: Progress | None) -> ImportOutcome:
    outcome = ImportOutcome(dry_run=dry_run)
    rows = iter(sheet)
    try:
        header = find_header(rows)
    except NotASpreadsheet:
        outcome.file_errors.append(
            "Tệp không phải bảng tính đọc được (cần .xlsx hoặc .csv, hoặc .xls/.ods)."
        )
        return outcome
    if header is None:
        outcome.file_errors.append("Tệp trống: không có dòng tiêu đề nào.")
        return outcome
    outcome.headers = header.headers
    outcome.warnings = header.warnings
    if header.problems:
        outcome.file_errors.extend(header.problems)
        return outcome
    scope = (
        access.scope(actor, "people.manage")
        if actor is not None
        else access.Scope(allowed=True, everything=True)
    )
    report = progress or (lambda done, total, message: None)
    with transaction.atomic():
        _run(outcome, sheet, rows, header, scope, report)
        outcome.committed = outcome.ok and not dry_run
        if not outcome.committed:
            transaction.set_rollback(True)
    return outcome


def _run(outcome, sheet, rows, header, scope, report) -> None:
    today = timezone.localdate()
    checker = RowChecker(header, load_provinces(scope=scope, on=today), today)
    writer = upsert.Writer(
        present=checker.present,
        scope_paths=None if scope.everything else scope.paths,
        checkpoint=lambda stage, done: _checkpoint(stage, done),
        expected_rows=lambda: int(outcome.rows / max(sheet.fraction, 0.001)),
    )
    with writer:
        try:
            _check_rows(outcome, sheet, rows, checker, writer, report)
        except NotASpreadsheet:
            outcome.file_errors.append("Tệp bị hỏng giữa chừng hoặc có ô quá lớn (trên 1 MB).")
        report(90, 100, "Đang ghi vào cơ sở dữ liệu…")
    if outcome.rows == 0 and not outcome.file_errors:
        outcome.file_errors.append("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    _refuse_people_outside_scope(outcome, writer.totals.outside, checker)
    outcome.schools_created = len(checker.schools.new)
    outcome.new, outcome.updated = writer.totals.new, len(writer.totals.changed)
    outcome.unchanged = outcome.rows - outcome.new - outcome.updated - outcome.error_rows
    report(100, 100, "")


def _check_rows(outcome, sheet, rows, checker, writer, report) -> None:
    """Check every row and hand the clean ones to the writer a chunk at a time. Clean rows are
    written even when others fail, so that a preview counts them; the transaction is then
    rolled back. Rows are checked a batch at a time (see `RowChecker.check_batch`)."""
    chunk: list[tuple] = []
    numbers: list[int] = []
    batch: list[list] = []
    for number, cells in rows:
        if cells.count(None) == len(cells):
            continue
        numbers.append(number)
        batch.append(cells)
        if len(batch) >= BATCH_ROWS:
            chunk = _check_batch(outcome, sheet, numbers, batch, checker, writer, report, chunk)
            numbers, batch = [], []
    if batch:
        chunk = _check_batch(outcome, sheet, numbers, batch, checker, writer, report, chunk)
    if chunk:
        writer.submit(chunk, checker.schools.take_new(), last=True)


def _check_batch(outcome, sheet, numbers, batch, checker, writer, report, chunk) -> list:
    staged, bad = checker.check_batch(numbers, batch)
    for number, cells, issues in bad:
        _keep_issues(outcome, number, cells, issues)
    before, outcome.rows = outcome.rows, outcome.rows + len(batch)
    chunk.extend(staged)
    if len(chunk) >= upsert.CHUNK_ROWS:
        writer.submit(chunk, checker.schools.take_new())
        chunk = []
    first = (before // PROGRESS_EVERY + 1) * PROGRESS_EVERY
    for done in range(first, outcome.rows + 1, PROGRESS_EVERY):
        shown = f"{done:,}".replace(",", ".")
        report(int(sheet.fraction * 90), 100, f"Đã kiểm tra {shown} dòng")
        _checkpoint("rows", done)
    return chunk


def _keep_issues(outcome: ImportOutcome, number: int, cells: list, issues: list[Issue]) -> None:
    outcome.error_rows += 1
    if len(outcome.bad_rows) < MAX_KEPT_ERROR_ROWS:
        outcome.bad_rows[number] = [None if c is None else str(c) for c in cells]
        outcome.issues.extend(issues)


def _refuse_people_outside_scope(outcome, outside, checker) -> None:
    for row, national_id, full_name in outside:
        issue = checker._issue(
            row,
            "national_id",
            national_id,
            "người này đang thuộc đơn vị ngoài phạm vi của bạn; cần đơn vị quản lý chuyển đi",
        )
        outcome.error_rows += 1
        outcome.issues.append(issue)
        cells: list = [None] * len(checker.header.headers)
        cells[checker.index["national_id"]] = national_id
        cells[checker.index["full_name"]] = full_name
        outcome.bad_rows.setdefault(row, cells)
    outcome.issues.sort(key=lambda issue: issue.row)
