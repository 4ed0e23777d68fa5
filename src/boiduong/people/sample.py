"""Realistic sample registries: the demo, the tests and the benchmark use the same generator.

Family names follow their approximate shares in Vietnam (Nguyễn about 38 %, Trần 11 %, Lê 9.5 %
…); preschool teachers are almost all women, so most middle names are "Thị", often followed
by a second middle name. Everything is drawn from a seeded `random.Random`: same seed, same
registry.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Mapping

from .importing import COLUMNS

FAMILY = {
    "Nguyễn": 38.4, "Trần": 11.0, "Lê": 9.5, "Phạm": 7.1, "Hoàng": 3.2, "Huỳnh": 2.1,
    "Phan": 4.5, "Vũ": 2.2, "Võ": 1.7, "Đặng": 2.1, "Bùi": 2.0, "Đỗ": 1.4, "Hồ": 1.3,
    "Ngô": 1.3, "Dương": 1.0, "Lý": 0.5, "Đinh": 0.6, "Trương": 0.6, "Mai": 0.4, "Đoàn": 0.4,
    "Lương": 0.3, "Cao": 0.3, "Tạ": 0.2, "Hà": 0.3, "Lâm": 0.2, "Chu": 0.2, "Triệu": 0.1,
}  # fmt: skip
MIDDLE_SECOND = [
    "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim", "Thúy", "Phương", "Bích", "Hoài", "Mỹ",
    "Diệu", "Quỳnh", "Hải", "Lan", "Tuyết", "Mai", "Thùy", "Khánh", "Bảo",
]  # fmt: skip
GIVEN_FEMALE = {
    "Hương": 5, "Lan": 4, "Mai": 4, "Hoa": 3, "Hằng": 4, "Thảo": 4, "Trang": 5, "Linh": 5,
    "Ngọc": 2, "Nhung": 3, "Thu": 2, "Hà": 3, "Phương": 3, "Yến": 3, "Huyền": 4, "Anh": 4,
    "Dung": 2, "Hạnh": 3, "Loan": 2, "Thủy": 3, "Vân": 2, "Nga": 2, "Hồng": 2, "Oanh": 2,
    "Tuyết": 1, "Liên": 2, "Nhàn": 1, "Quỳnh": 2, "Giang": 2, "Hiền": 3, "Thơ": 1, "Duyên": 2,
    "Ly": 2, "Vy": 2, "Trâm": 1, "Châu": 1, "Diễm": 1, "Tâm": 2, "Xuân": 1, "Nguyệt": 1,
}  # fmt: skip
GIVEN_MALE = ["Minh", "Hùng", "Dũng", "Tuấn", "Nam", "Sơn", "Hải", "Long", "Quang", "Thành"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Xuân"]
SCHOOL_NAMES = [
    "Hoa Sen", "Ánh Dương", "Bình Minh", "Hướng Dương", "Sao Mai", "Hoa Mai", "Hoa Hồng",
    "Tuổi Thơ", "Sơn Ca", "Họa Mi", "Vành Khuyên", "Măng Non", "Búp Sen Xanh", "Hoa Phượng",
    "Rạng Đông", "Thỏ Ngọc", "Mầm Xanh", "Hoa Cúc", "Hoa Lan", "Tuổi Hồng", "Ban Mai",
    "Hoa Thủy Tiên", "Anh Đào", "Bông Sen", "Sen Hồng", "Chim Non", "Việt Mỹ", "Thiên Thần",
]  # fmt: skip
QUALIFICATIONS = {"Đại học": 62, "Cao đẳng": 25, "Trung cấp": 9, "Thạc sĩ": 4}
POSITIONS = {
    "Giáo viên": 88, "Hiệu trưởng": 3.5, "Phó hiệu trưởng": 6, "Tổ trưởng": 2.3, "Khác": 0.2,
}  # fmt: skip
RATINGS = {"Tốt": 22, "Khá": 48, "Đạt": 27, "Chưa đạt": 3}
# Preschools per province (about 13,500 in all), roughly by population after the 2025 merger.
SCHOOLS_PER_PROVINCE = {
    "01": 1350, "79": 1500, "31": 520, "48": 300, "92": 280, "46": 240, "04": 200, "08": 380,
    "11": 180, "12": 150, "14": 280, "15": 360, "19": 420, "20": 230, "22": 260, "24": 560,
    "25": 640, "33": 560, "37": 520, "38": 650, "40": 560, "42": 270, "44": 330, "51": 380,
    "52": 520, "56": 380, "66": 480, "68": 620, "75": 640, "80": 420, "82": 440, "86": 500,
    "91": 560, "96": 310,
}  # fmt: skip
COURSE = "Bồi dưỡng giáo viên, cán bộ quản lý mầm non cốt cán"


def _weighted(rng: random.Random, table: Mapping[str, float]) -> list[str]:
    """A long list to draw from with rng.choice (faster than rng.choices per draw)."""
    pool: list[str] = []
    for value, weight in table.items():
        pool.extend([value] * max(1, round(weight * 10)))
    rng.shuffle(pool)
    return pool


class RegistryGenerator:
    """Rows in the import template's column order for a seeded random registry."""

    def __init__(self, seed: int = 2021, provinces: dict[str, str] | None = None):
        """`provinces`: GSO code -> name as written in the file (defaults to all 34)."""
        self.rng = random.Random(seed)
        self.family = _weighted(self.rng, FAMILY)
        self.given = _weighted(self.rng, GIVEN_FEMALE)
        self.qualifications = _weighted(self.rng, QUALIFICATIONS)
        self.positions = _weighted(self.rng, POSITIONS)
        self.ratings = _weighted(self.rng, RATINGS)
        self.provinces = provinces or {}
        self.schools = self._schools()

    def _schools(self) -> list[tuple[str, str, str]]:
        """(province code, province name, school name), weighted by province size."""
        pool = []
        for code, name in self.provinces.items():
            count = SCHOOLS_PER_PROVINCE.get(code, 300)
            for index in range(count):
                base = SCHOOL_NAMES[index % len(SCHOOL_NAMES)]
                suffix = "" if index < len(SCHOOL_NAMES) else f" {index // len(SCHOOL_NAMES) + 1}"
                pool.append((code, name, f"Trường Mầm non {base}{suffix}"))
        return pool

    def name(self) -> str:
        rng = self.rng
        if rng.random() < 0.015:
            return f"{rng.choice(self.family)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
        middle = "Thị" if rng.random() < 0.8 else rng.choice(MIDDLE_SECOND)
        if middle == "Thị" and rng.random() < 0.45:
            middle += " " + rng.choice(MIDDLE_SECOND)
        return f"{rng.choice(self.family)} {middle} {rng.choice(self.given)}"

    def rows(self, count: int, *, year: int = 2020, start: int = 0) -> Iterator[list]:
        rng = self.rng
        for number in range(start, start + count):
            code, province, school = self.schools[rng.randrange(len(self.schools))]
            name = self.name()
            position = rng.choice(self.positions)
            core_draw = rng.random()
            core = ""
            if core_draw < 0.015:
                core = (
                    "CBQL cốt cán"
                    if position in {"Hiệu trưởng", "Phó hiệu trưởng"}
                    else "GV cốt cán"
                )
            result = ("Đạt" if rng.random() < 0.9 else "Không đạt") if core else ""
            born = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(365 * 36))
            yield [
                f"0{int(code):02d}{rng.randrange(10)}{born.year % 100:02d}{number % 1_000_000:06d}",
                name,
                "Nam" if name.split()[-1] in GIVEN_MALE else "Nữ",
                born,
                f"09{rng.randrange(10**8):08d}",
                f"gv{number}@mn.edu.vn",
                province,
                school,
                position,
                rng.choice(self.qualifications),
                year,
                rng.choice(self.ratings),
                core,
                result,
                COURSE + f" {year}" if result else "",
            ]


def header() -> list[str]:
    return [column.header for column in COLUMNS]
