"""Demo people: a few hundred teachers and managers in nine provinces across the three regions,
loaded through the real importer (so the demo exercises it), plus the teacher who logs in as
`giaovien`. Core staff rated đạt in the 2020 round are the ones KH 361's 2021 regional courses
will take; others failed or were not core staff (for the ineligible cases). Idempotent."""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile

from boiduong.accounts.models import User

from .importing import people_import
from .models import Person
from .sample import COURSE, RegistryGenerator, header
from .services import person_link_user

# GSO code -> name as the files write it (Bạc Liêu is the former province, now Cà Mau).
DEMO_PROVINCES = {
    "01": "Thành phố Hà Nội",
    "31": "Thành phố Hải Phòng",
    "19": "Thái Nguyên",
    "48": "Thành phố Đà Nẵng",
    "40": "Nghệ An",
    "46": "Thành phố Huế",
    "79": "Thành phố Hồ Chí Minh",
    "96": "Cà Mau",
    "92": "Thành phố Cần Thơ",
}
PEOPLE_PER_PROVINCE = 36
TEACHER = [
    "001190999999", "Hoàng Thị Mai", "Nữ", dt.date(1990, 5, 12), "0912000001",
    "mai.ht@mnhoasen.edu.vn", "Thành phố Hà Nội", "Trường Mầm non Hoa Sen", "Giáo viên",
    "Đại học", 2020, "Khá", "GV cốt cán", "Đạt", f"{COURSE} 2020",
]  # fmt: skip


def _rows() -> list[list]:
    rows = [TEACHER]
    for index, (code, name) in enumerate(DEMO_PROVINCES.items()):
        generator = RegistryGenerator(seed=361 + index, provinces={code: name})
        generator.schools = generator.schools[:4]
        for number, row in enumerate(
            generator.rows(PEOPLE_PER_PROVINCE, start=index * 1000), start=1
        ):
            if code == "96" and number % 3 == 0:
                row[6] = "Bạc Liêu"  # a file still written with the former province
            if number % 4 == 0:  # one in four is core staff in 2020 …
                manager = row[8] in {"Hiệu trưởng", "Phó hiệu trưởng"}
                row[12] = "CBQL cốt cán" if manager else "GV cốt cán"
                row[13] = "Không đạt" if number % 16 == 0 else "Đạt"  # … most passed
                row[14] = f"{COURSE} 2020"
            if number % 9 == 0:  # a few without any 2020 facts
                row[10:15] = ["", "", "", "", ""]
            rows.append(row)
    return rows


def build(*, log) -> None:
    handle, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header())
            for row in _rows():
                writer.writerow(
                    [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row]
                )
        outcome = people_import(actor=None, path=path, filename="demo.csv", dry_run=False)
    finally:
        os.unlink(path)
    if not outcome.ok:
        raise RuntimeError("Demo people do not import: " + "; ".join(outcome.messages(5)))
    log(
        f"People: {outcome.rows} rows, {outcome.new} new, {outcome.updated} updated, "
        f"{outcome.schools_created} schools created"
    )
    teacher = User.objects.filter(username="giaovien").first()
    person = Person.objects.get(national_id=TEACHER[0])
    if teacher is not None and person.user_id != teacher.pk:
        person_link_user(actor=None, person=person, user=teacher)
