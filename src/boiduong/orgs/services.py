"""Writes to organisations: reference data and unit changes (all audited)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from boiduong.core import audit
from boiduong.core.text import fold

from .choices import OrgUnitKind
from .models import OrgUnit, OrgUnitName, Province, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
MERGER_DAY = dt.date(2025, 7, 1)
LAST_DAY_BEFORE_MERGER = dt.date(2025, 6, 30)

REGIONS = [
    ("mien-bac", "Miền Bắc"),
    ("mien-trung-tay-nguyen", "Miền Trung và Tây Nguyên"),
    ("mien-nam", "Miền Nam"),
]

# Units the seeds name. (code, kind, name, short name, abbreviation)
MINISTRY = ("BGDDT", OrgUnitKind.MINISTRY, "Bộ Giáo dục và Đào tạo", "Bộ GDĐT", "BGDĐT")
MINISTRY_UNITS = [
    (
        "NGCBQLGD",
        OrgUnitKind.MINISTRY_DEPARTMENT,
        "Cục Nhà giáo và Cán bộ quản lý giáo dục",
        "Cục NGCBQLGD",
        "NGCBQLGD",
    ),
    ("GDMN", OrgUnitKind.MINISTRY_DEPARTMENT, "Vụ Giáo dục Mầm non", "Vụ GDMN", "GDMN"),
    ("VP", OrgUnitKind.MINISTRY_DEPARTMENT, "Văn phòng", "Văn phòng Bộ", "VP"),
    ("KHTC", OrgUnitKind.MINISTRY_DEPARTMENT, "Vụ Kế hoạch - Tài chính", "Vụ KHTC", "KHTC"),
    ("CNTT", OrgUnitKind.MINISTRY_DEPARTMENT, "Cục Công nghệ thông tin", "Cục CNTT", "CNTT"),
    ("TTR", OrgUnitKind.MINISTRY_DEPARTMENT, "Thanh tra Bộ", "Thanh tra", "TTr"),
    (
        "DHSPHN",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Đại học Sư phạm Hà Nội",
        "ĐHSP Hà Nội",
        "ĐHSPHN",
    ),
    (
        "CDSPTW",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Cao đẳng Sư phạm Trung ương",
        "CĐSP Trung ương",
        "CĐSPTW",
    ),
    (
        "CDSPTWNT",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Cao đẳng Sư phạm Trung ương - Nha Trang",
        "CĐSPTW Nha Trang",
        "CĐSPTWNT",
    ),
    (
        "CDSPTWHCM",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Cao đẳng Sư phạm Trung ương Thành phố Hồ Chí Minh",
        "CĐSPTW TP.HCM",
        "CĐSPTWHCM",
    ),
    (
        "DHSPHCM",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Đại học Sư phạm Thành phố Hồ Chí Minh",
        "ĐHSP TP.HCM",
        "ĐHSPHCM",
    ),
    (
        "DHSPHUE",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Đại học Sư phạm - Đại học Huế",
        "ĐHSP Huế",
        "ĐHSPH",
    ),
    (
        "DHSPDN",
        OrgUnitKind.TRAINING_INSTITUTION,
        "Trường Đại học Sư phạm - Đại học Đà Nẵng",
        "ĐHSP Đà Nẵng",
        "ĐHSPĐN",
    ),
]
# Bạc Liêu's department carried another name for a while (it appears in KH 361's recipients).
NAME_HISTORY = {
    "SGD95": [
        ("Sở Giáo dục, Khoa học và Công nghệ Bạc Liêu", dt.date(2019, 1, 1), dt.date(2023, 3, 15)),
        ("Sở Giáo dục và Đào tạo Bạc Liêu", dt.date(2023, 3, 16), LAST_DAY_BEFORE_MERGER),
    ]
}


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CENTRES_FILE = "province_centres.csv"
CENTRE_PERIODS: dict[str, dt.date | None] = {
    "63_before_2025-07-01": None,
    "34_from_2025-07-01": MERGER_DAY,
}


def province_centres() -> dict[tuple[str, dt.date | None], dict[str, Decimal]]:
    """Approximate centres of the 63 + 34 provinces keyed by (GSO code, valid_from), from
    vietnamadminunits 1.0.4 (MIT; see data/README.md). Each row names its province, and the
    name must match ours — a code that meant another province would put a circle in the wrong
    place. Names are compared folded: the source writes "Hòa Bình", we write "Hoà Bình"."""
    ours: dict[tuple[str, dt.date | None], str] = {
        (row["code"], None): row["full_name"] for row in _read("provinces_63_before_2025-07-01.csv")
    } | {
        (row["code"], MERGER_DAY): row["full_name"]
        for row in _read("provinces_34_from_2025-07-01.csv")
    }
    centres = {}
    for row in _read(CENTRES_FILE):
        key = (row["code"], CENTRE_PERIODS[row["period"]])
        if fold(ours.get(key, "")) != fold(row["name"]):
            raise ValueError(
                f"{CENTRES_FILE}: {row['code']} is {row['name']!r}, not {ours.get(key)!r}"
            )
        centres[key] = {
            "latitude": Decimal(row["latitude"]),
            "longitude": Decimal(row["longitude"]),
        }
    return centres


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _sync(model, lookup: dict, values: dict):
    """Create or update a row only when something differs (so a second run writes nothing)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        return obj, True
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.save()
    return obj, bool(changed)


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Load regions, the 63 + 34 provinces, the ministry, its units and one Sở GDĐT per
    province per period. Idempotent: a second run changes nothing and reports zeros."""
    created = {"regions": 0, "provinces": 0, "units": 0}
    regions = {}
    for order, (code, name) in enumerate(REGIONS, start=1):
        regions[name], new = _sync(Region, {"code": code}, {"name": name, "order": order})
        created["regions"] += new

    centres = province_centres()
    new_provinces = {}
    for row in _read("provinces_34_from_2025-07-01.csv"):
        new_provinces[row["code"]], new = _sync(
            Province,
            {"code": row["code"], "valid_from": MERGER_DAY},
            {
                "name": _short(row["name"]),
                "full_name": row["full_name"],
                "unit_type": row["unit_type"],
                "region": regions[row["region3_inferred"]],
                "valid_to": None,
                **centres[(row["code"], MERGER_DAY)],
            },
        )
        created["provinces"] += new
    old_provinces = {}
    for row in _read("provinces_63_before_2025-07-01.csv"):
        old_provinces[row["code"]], new = _sync(
            Province,
            {"code": row["code"], "valid_from": None},
            {
                "name": row["name"],
                "full_name": row["full_name"],
                "name_en": row["name_en"],
                "unit_type": row["unit_type"],
                "region": regions[row["region3_inferred"]],
                "valid_to": LAST_DAY_BEFORE_MERGER,
                "successor": new_provinces[row["merged_into_code_2025"]],
                **centres[(row["code"], None)],
            },
        )
        created["provinces"] += new

    code, kind, name, short, abbr = MINISTRY
    ministry, new = _sync(
        OrgUnit,
        {"code": code},
        {"kind": kind, "name": name, "short_name": short, "abbreviation": abbr},
    )
    created["units"] += new
    for code, kind, name, short, abbr in MINISTRY_UNITS:
        _, new = _sync(
            OrgUnit,
            {"code": code},
            {
                "kind": kind,
                "name": name,
                "short_name": short,
                "abbreviation": abbr,
                "parent": ministry,
            },
        )
        created["units"] += new

    new_units = {}
    for pcode, province in new_provinces.items():
        new_units[pcode], new = _sync(
            OrgUnit,
            {"code": f"SGD{pcode}-2025"},
            {
                "kind": OrgUnitKind.PROVINCIAL_DEPARTMENT,
                "name": f"Sở Giáo dục và Đào tạo {province.name}",
                "short_name": f"Sở GDĐT {province.name}",
                "abbreviation": "SGDĐT",
                "parent": ministry,
                "province": province,
                "valid_from": MERGER_DAY,
            },
        )
        created["units"] += new
    for pcode, province in old_provinces.items():
        unit, new = _sync(
            OrgUnit,
            {"code": f"SGD{pcode}"},
            {
                "kind": OrgUnitKind.PROVINCIAL_DEPARTMENT,
                "name": f"Sở Giáo dục và Đào tạo {province.name}",
                "short_name": f"Sở GDĐT {province.name}",
                "abbreviation": "SGDĐT",
                "parent": ministry,
                "province": province,
                "valid_to": LAST_DAY_BEFORE_MERGER,
                "successor": new_units[province.successor.code],
            },
        )
        created["units"] += new
        for name, start, end in NAME_HISTORY.get(unit.code, []):
            _sync(OrgUnitName, {"unit": unit, "valid_from": start}, {"name": name, "valid_to": end})
    return created


def department_for(province: Province) -> OrgUnit:
    """The provincial department (Sở GDĐT) of a province in its period."""
    return OrgUnit.objects.get(kind=OrgUnitKind.PROVINCIAL_DEPARTMENT, province=province)


@transaction.atomic
def orgunit_update(*, actor, unit: OrgUnit, reason: str = "", **fields) -> OrgUnit:
    """Change a unit's editable fields (name, abbreviation, validity, successor), audited."""
    for key, value in fields.items():
        setattr(unit, key, value)
    return audit.save(actor=actor, instance=unit, reason=reason)


def roll_up(values_by_old_province: dict[str, float]) -> dict[str, float]:
    """Aggregate a figure per pre-2025 province code into the 34 provinces it merged into."""
    mapping = dict(
        Province.objects.filter(valid_to=LAST_DAY_BEFORE_MERGER).values_list(
            "code", "successor__code"
        )
    )
    totals: dict[str, float] = {}
    for code, value in values_by_old_province.items():
        target = mapping.get(code)
        if target is None:
            raise KeyError(f"Unknown pre-2025 province code {code!r}")
        totals[target] = totals.get(target, 0) + value
    return totals
