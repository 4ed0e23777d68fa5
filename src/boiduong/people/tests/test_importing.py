import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from boiduong.core.text import fold, person_sort_key
from boiduong.orgs.models import OrgUnit
from boiduong.people import keys
from boiduong.people.importing import match_headers, normalise_header, people_import
from boiduong.people.models import CoreStaffStatus, Person, ProfessionalRating, TrainingResult
from boiduong.people.sample import RegistryGenerator, header
from boiduong.people.workbooks import error_report_xlsx, template_xlsx

from .files import CAMAU, csv_file, person, to_cp1258, xlsx


def run(path, *, actor=None, dry_run=False):
    return people_import(actor=actor, path=str(path), filename=path.name, dry_run=dry_run)


def messages(outcome) -> str:
    return "\n".join(outcome.messages(200))


# --- Good files -----------------------------------------------------------------------------


def test_good_xlsx_creates_people_facts_and_new_schools(world, tmp_path):
    hanoi = world.unit("SGD01-2025")
    children_before = hanoi.child_count
    rows = [
        person(1, core="GV cốt cán", result="Đạt", course="Bồi dưỡng cốt cán 2020"),
        person(2, name="Trần Thị Bích Ngọc", school="Trường Mầm non Ban Mai Mới"),
        person(3, name="Lê Văn Hùng", gender="Nam", position="Hiệu trưởng", rating="Tốt"),
    ]
    outcome = run(xlsx(tmp_path / "ds.xlsx", rows))
    assert outcome.ok, messages(outcome)
    assert (outcome.rows, outcome.new, outcome.updated, outcome.unchanged) == (3, 3, 0, 0)
    assert outcome.committed and outcome.schools_created == 1
    lan = Person.objects.get(national_id="001189000001")
    assert lan.workplace == world.unit("SGD01-2025-MN001")  # matched by the school's short name
    assert lan.birth_date == dt.date(1989, 3, 15) and lan.gender == "female"
    assert lan.sort_key == person_sort_key("Nguyễn Thị Lan")
    assert "nguyen thi lan 001189000001" in lan.search_text and "hoa sen" in lan.search_text
    assert ProfessionalRating.objects.get(person=lan, year=2020).rating == "kha"
    assert CoreStaffStatus.objects.get(person=lan, year=2020).kind == "gv_cot_can"
    assert TrainingResult.objects.get(person=lan, year=2020).result == "dat"
    new_school = Person.objects.get(national_id="001189000002").workplace
    hanoi.refresh_from_db()
    assert new_school.kind == "school" and new_school.parent == hanoi
    assert new_school.path == f"{hanoi.path}{children_before + 1:05d}."
    assert hanoi.child_count == children_before + 1


def test_reimporting_the_same_file_changes_nothing(world, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [person(i, core="GV cốt cán") for i in range(1, 6)])
    assert run(path).new == 5
    again = run(path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
    assert again.schools_created == 0


def test_changed_rows_count_as_updates(world, tmp_path):
    run(xlsx(tmp_path / "a.xlsx", [person(1), person(2), person(3)]))
    changed = [person(1, phone="0987654321"), person(2, rating="Tốt"), person(3)]
    outcome = run(xlsx(tmp_path / "b.xlsx", changed))
    assert (outcome.new, outcome.updated, outcome.unchanged) == (0, 2, 1)
    assert Person.objects.get(national_id="001189000001").phone == "0987654321"


def test_an_empty_core_cell_clears_that_years_core_status(world, tmp_path):
    run(xlsx(tmp_path / "a.xlsx", [person(1, core="CBQL cốt cán")]))
    outcome = run(xlsx(tmp_path / "b.xlsx", [person(1, core="")]))
    assert outcome.updated == 1
    status = CoreStaffStatus.objects.get(person__national_id="001189000001", year=2020)
    assert not status.is_core and status.kind == ""


def test_dry_run_counts_but_writes_nothing(world, tmp_path):
    people, units = Person.objects.count(), OrgUnit.objects.count()
    outcome = run(
        xlsx(tmp_path / "ds.xlsx", [person(1, school="Trường Mầm non Mới")]), dry_run=True
    )
    assert outcome.ok and outcome.new == 1 and not outcome.committed
    assert (Person.objects.count(), OrgUnit.objects.count()) == (people, units)


def test_headers_in_any_order_case_accents_and_variants(world, tmp_path):
    head = ["STT", "Ho ten", "SỐ CCCD", "Ngày tháng năm sinh", "tinh/tp", "Đơn vị công tác"]
    head += ["Xếp loại", "NĂM"]
    rows = [[1, "Phạm Thị Hoa", "001189000009", "01/02/1990", "Hà Nội", "MN Tuổi Thơ", "Đạt", 2021]]
    path = xlsx(tmp_path / "ds.xlsx", rows, head=head, title_rows=2)
    outcome = run(path)
    assert outcome.ok, messages(outcome)
    assert Person.objects.get(national_id="001189000009").full_name == "Phạm Thị Hoa"
    assert "rating" in match_headers(1, head).columns.values()


def test_header_normalisation():
    assert normalise_header("Số định danh cá nhân / CCCD") == "so dinh danh ca nhan cccd"
    assert normalise_header(" Cốt cán (GV cốt cán / CBQL cốt cán / để trống) ") == "cot can"


def test_rating_without_year_column_is_a_row_error(world, tmp_path):
    head = ["CCCD", "Họ và tên", "Tỉnh/thành phố", "Trường", "Xếp loại"]
    rows = [["001189000009", "Phạm Thị Hoa", "Hà Nội", "MN Tuổi Thơ", "Đạt"]]
    outcome = run(xlsx(tmp_path / "ds.xlsx", rows, head=head))
    assert "Dòng 2, cột “Năm”: cần ghi năm" in messages(outcome)


def test_old_province_names_go_to_the_province_of_today(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1, province="Tỉnh Bạc Liêu", school="MN Á")]))
    assert outcome.ok, messages(outcome)
    workplace = Person.objects.get(national_id="001189000001").workplace
    assert workplace.parent == world.unit("SGD96-2025")


def test_numeric_national_id_gets_its_leading_zeros_back(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1, id=1189000077, phone=912345678)]))
    assert outcome.ok, messages(outcome)
    found = Person.objects.get(national_id="001189000077")
    assert found.phone == "0912345678"


# --- Bad files -------------------------------------------------------------------------------


def test_missing_and_duplicate_headers_are_file_errors(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [["x", "y"]], head=["Họ và tên", "Ghi chú", "Email"]))
    text = messages(outcome)
    assert "Thiếu cột bắt buộc" in text and "Số định danh cá nhân / CCCD" in text
    assert "Tỉnh/thành phố" in text and not outcome.committed
    outcome = run(xlsx(tmp_path / "dup.xlsx", [], head=[*header(), "Số CCCD"]))
    assert "cùng là" in messages(outcome)


def test_wrong_headers_say_which_columns_are_missing(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [[1, 2, 3]], head=["Mã hàng", "Số lượng", "Giá"]))
    assert "Thiếu cột bắt buộc" in messages(outcome)


@pytest.mark.parametrize(
    "national_id,expected",
    [
        ("00118900001", "12 chữ số"),
        ("00118900001A", "12 chữ số"),
        ("0011890000011", "12 chữ số"),
        (1.5, "12 chữ số"),
    ],
)
def test_bad_national_ids_are_named_with_row_and_column(world, tmp_path, national_id, expected):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1), person(2, id=national_id)]))
    assert outcome.error_rows == 1 and not outcome.committed
    issue = outcome.issues[0]
    assert issue.row == 3 and issue.header == "Số định danh cá nhân / CCCD"
    assert expected in issue.message
    assert str(issue).startswith("Dòng 3, cột “Số định danh cá nhân / CCCD”")
    assert not Person.objects.filter(national_id="001189000001").exists()  # all or nothing


def test_duplicates_in_the_file_point_to_the_first_row(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1), person(2), person(1, name="Lê Thị Hà")]))
    assert [str(i) for i in outcome.issues] == [
        "Dòng 4, cột “Số định danh cá nhân / CCCD”: số định danh trùng với dòng 2"
    ]


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"born": "31/02/1990"}, "ngày không có thật"),
        ({"born": "hôm qua"}, "ngày không hợp lệ"),
        ({"born": dt.date(2020, 1, 1)}, "ngoài khoảng hợp lý"),
        ({"province": "Tỉnh Sao Hỏa"}, "không tìm thấy tỉnh/thành phố"),
        ({"name": ""}, "thiếu giá trị bắt buộc"),
        ({"name": "Lan2"}, "chữ số"),
        ({"email": "lan@"}, "email không hợp lệ"),
        ({"rating": "Xuất sắc"}, "Chưa đạt, Đạt, Khá, Tốt"),
        ({"core": "có"}, "GV cốt cán, CBQL cốt cán"),
        ({"result": "Đạt"}, "thiếu tên khóa bồi dưỡng"),
        ({"year": 1890}, "năm không hợp lệ"),
        ({"name": "Nguyễn Thị " + "A" * 200}, "ô quá dài"),
        ({"school": '=HYPERLINK("http://x")'}, "công thức"),
    ],
)
def test_row_checks(world, tmp_path, changes, message):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1, **changes)]))
    assert message in messages(outcome)
    assert outcome.error_rows == 1


def test_formula_cells_are_refused(world, tmp_path):
    path = xlsx(tmp_path / "ds.xlsx", [person(1), person(2)])
    workbook = openpyxl.load_workbook(path)
    workbook.active["K3"] = "=2019+1"  # the year, computed
    workbook.save(path)
    outcome = run(path)
    assert [(i.row, i.header) for i in outcome.issues] == [(3, "Năm")]
    assert "công thức" in outcome.issues[0].message


def test_a_huge_cell_is_refused(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1, qualification="Đại học " * 5000)]))
    assert "ô quá dài (32767 ký tự, tối đa 100)" in messages(outcome)  # Excel keeps 32,767


def test_a_csv_cell_over_a_megabyte_fails_the_file_cleanly(world, tmp_path):
    path = csv_file(tmp_path / "ds.csv", [person(1, qualification="x" * (1 << 21))])
    outcome = run(path)
    assert outcome.file_errors and not outcome.committed


def test_empty_and_header_only_files(world, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "không phải bảng tính" in messages(run(empty)) or "trống" in messages(run(empty))
    outcome = run(xlsx(tmp_path / "head.xlsx", []))
    assert "không có dòng dữ liệu" in messages(outcome)


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.7\n\x00\x01\x02"]
)
def test_a_file_that_is_not_a_spreadsheet(world, tmp_path, content):
    path = tmp_path / "anh.xlsx"
    path.write_bytes(content * 100)
    assert "không phải bảng tính" in messages(run(path))


def test_a_zip_that_is_not_a_workbook(world, tmp_path):
    path = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "không phải bảng tính" in messages(run(path))


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "utf-8", "utf-8-sig"])
def test_csv_in_other_encodings(world, tmp_path, encoding):
    rows = [person(1, name="Nguyễn Thị Huyền Trâm", school="Trường Mầm non Thủy Tiên")]
    path = tmp_path / f"ds-{encoding}.csv"
    if encoding == "cp1258":
        text = csv_file(tmp_path / "tmp.csv", rows, encoding="utf-8").read_text("utf-8")
        path.write_bytes(to_cp1258(text))
    else:
        csv_file(path, rows, encoding=encoding, delimiter=";")
    outcome = run(path)
    assert outcome.ok, messages(outcome)
    found = Person.objects.get(national_id="001189000001")
    assert found.full_name == "Nguyễn Thị Huyền Trâm"
    assert found.workplace.name == "Trường Mầm non Thủy Tiên"


# --- Scope ------------------------------------------------------------------------------------


def test_a_provincial_officer_imports_only_their_province(world, tmp_path):
    rows = [person(1), person(2, province=CAMAU, school="Trường Mầm non Sao Mai")]
    outcome = run(xlsx(tmp_path / "ds.xlsx", rows), actor=world.user("so.hanoi"))
    assert outcome.error_rows == 1
    assert "không có quyền nhập dữ liệu của Tỉnh Cà Mau" in messages(outcome)
    assert run(xlsx(tmp_path / "b.xlsx", rows[1:]), actor=world.user("so.camau")).ok


def test_a_provincial_officer_cannot_take_over_another_provinces_person(world, tmp_path):
    camau = Person.objects.filter(workplace__province__code="96").first()
    row = person(1, id=camau.national_id, name=camau.full_name)
    outcome = run(xlsx(tmp_path / "ds.xlsx", [row]), actor=world.user("so.hanoi"))
    assert "ngoài phạm vi" in messages(outcome) and not outcome.committed
    camau.refresh_from_db()
    assert camau.workplace.province.code == "96"


# --- Report, template, keys, command ------------------------------------------------------


def test_error_report_marks_the_faulty_cells(world, tmp_path):
    outcome = run(xlsx(tmp_path / "ds.xlsx", [person(1), person(2, born="31/02/1990", email="x")]))
    sheet = openpyxl.load_workbook(io.BytesIO(error_report_xlsx(outcome))).active
    assert sheet["A2"].value == 3  # the row number in the user's file
    born, email = sheet.cell(row=2, column=5), sheet.cell(row=2, column=7)
    assert born.value == "31/02/1990" and "không có thật" in born.comment.text
    assert born.fill.fgColor.rgb.endswith("F8CBAD") and email.comment is not None
    assert sheet.cell(row=2, column=2).comment is None


def test_the_template_imports_as_it_is(world, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_xlsx())
    outcome = run(path, dry_run=True)
    assert outcome.ok and outcome.rows == 1, messages(outcome)


def test_keys_match_the_core_text_rules():
    generator = RegistryGenerator(seed=7, provinces={"01": "Hà Nội"})
    for _ in range(300):
        name = generator.name()
        assert keys.person_sort_key(name) == person_sort_key(name)
        assert keys.person_search_text(full_name=name, national_id="1", school_folded="s") == fold(
            f"{name} 1 s"
        )


def test_the_shell_command(world, tmp_path, capsys):
    good = xlsx(tmp_path / "ds.xlsx", [person(1)])
    call_command("import_people", str(good), "--dry-run")
    assert "Kiểm tra xong" in capsys.readouterr().out
    assert not Person.objects.filter(national_id="001189000001").exists()
    call_command("import_people", str(good))
    assert Person.objects.filter(national_id="001189000001").exists()
    bad = xlsx(tmp_path / "bad.xlsx", [person(2, id="123")])
    with pytest.raises(CommandError) as failure:
        call_command("import_people", str(bad))
    assert failure.value.returncode == 2 and "Không nhập gì" in str(failure.value)
    assert "Dòng 2" in capsys.readouterr().err


def test_checking_a_batch_finds_what_checking_row_by_row_finds(world):
    """`check_batch` (the fast path) stages the same rows and words the same issues, in the
    same order, as `check` on each row in turn — duplicates, scope and cross-column rules
    included."""
    from boiduong.core import access
    from boiduong.people.importing import RowChecker, find_header, load_provinces

    rows = [
        person(1, core="GV cốt cán", result="Đạt", course="Khóa 1"),
        person(2, phone="912345678", id=1189000002),  # leading zeros restored
        person(3, id="0011890000x3"),
        person(1, name="Lê Thị Hà"),  # duplicate of the first row
        person(4, phone="12"),
        person(5, name=None),
        person(6, year=None),  # a rating without a year
        person(7, year=None, rating=None, core="Không"),  # nothing that needs a year
        person(8, course="Khóa 2"),  # a course without a result
        person(9, province=CAMAU),  # outside the officer's scope
        person(10, school="Trường Mầm non Mới", email=None),
        person(11, born="31/02/1990", rating="Xuất sắc"),
        person(3, name="Lan3"),  # a bad name, and the ID of a row with a bad ID
        person(12, gender=None, position=None, qualification=None, born=None),
    ]
    rows = [[None if v == "" else v for v in row] for row in rows]  # as the readers give them
    numbers = list(range(2, len(rows) + 2))
    today = dt.date(2026, 1, 1)
    scope = access.scope(world.user("so.hanoi"), "people.manage")

    def checker():
        head = find_header(iter([(1, header())]))
        return RowChecker(head, load_provinces(scope=scope, on=today), today)

    one_by_one, staged, issues = checker(), [], []
    for number, cells in zip(numbers, rows, strict=True):
        row, found = one_by_one.check(number, list(cells))
        staged += [row] if row else []
        issues += found
    batched = checker()
    fast, bad = batched.check_batch(numbers, [list(cells) for cells in rows])
    assert fast == staged and len(fast) == 5
    assert [str(i) for _, _, found in bad for i in found] == [str(i) for i in issues]
    assert batched.schools.new.keys() == one_by_one.schools.new.keys()


def test_backslashes_and_empty_birth_dates_are_stored_as_written(world, tmp_path):
    """On PostgreSQL new people are COPYed as text: an empty birth date is NULL there, and a
    backslash (an escape in COPY's text format) must come through as written."""
    outcome = run(xlsx(tmp_path / "a.xlsx", [person(1, born=None)]))
    assert outcome.ok and outcome.new == 1, messages(outcome)
    assert Person.objects.get(national_id="001189000001").birth_date is None
    rows = [person(2, born=None, qualification=r"Cao đẳng \ Sư phạm", email=r"a\b@mn.edu.vn")]
    outcome = run(xlsx(tmp_path / "b.xlsx", rows))
    assert outcome.ok and outcome.new == 1, messages(outcome)
    second = Person.objects.get(national_id="001189000002")
    assert (second.qualification, second.email) == (r"Cao đẳng \ Sư phạm", r"a\b@mn.edu.vn")
    assert second.birth_date is None


def test_a_file_of_many_chunks_links_every_fact_to_its_person(world, tmp_path, monkeypatch):
    """Chunks of 5 rows: ids fetched ahead of need, schools created by one chunk and named by
    the next, known and new people mixed, one chunk with a backslash (escaped path)."""
    from boiduong.people import importing, upsert

    monkeypatch.setattr(importing, "BATCH_ROWS", 2)
    monkeypatch.setattr(upsert, "CHUNK_ROWS", 5)
    monkeypatch.setattr(upsert, "REFILL_IDS", 6)
    ratings = ["Tốt", "Khá", "Đạt", "Chưa đạt"]
    given = ["An", "Bình", "Cúc", "Dung", "Hà", "Lan", "Mai", "Ngọc"]

    def name(n: int) -> str:
        return f"Nguyễn {given[n // 8]} {given[n % 8]}"

    assert run(xlsx(tmp_path / "a.xlsx", [person(n) for n in range(1, 8)])).new == 7

    def row(n: int) -> list:
        return person(
            n,
            name=name(n),
            school=f"Trường Mầm non Mới {n % 6}",
            rating=ratings[n % 4],
            core="GV cốt cán" if n % 5 == 0 else "",
            qualification="Cao đẳng \\ Sư phạm" if n == 23 else "Đại học",
        )

    outcome = run(xlsx(tmp_path / "b.xlsx", [row(n) for n in range(1, 41)]))
    assert outcome.ok, messages(outcome)
    assert (outcome.new, outcome.updated, outcome.schools_created) == (33, 7, 6)
    labels = {"Tốt": "tot", "Khá": "kha", "Đạt": "dat", "Chưa đạt": "chua_dat"}
    for n in range(1, 41):
        found = Person.objects.get(national_id=f"0011890{n:05d}")
        assert found.full_name == name(n)
        assert found.workplace.name == f"Trường Mầm non Mới {n % 6}"
        assert (
            ProfessionalRating.objects.get(person=found, year=2020).rating == labels[ratings[n % 4]]
        )
        assert CoreStaffStatus.objects.filter(person=found, is_core=True).exists() == (n % 5 == 0)
    assert Person.objects.get(national_id="001189000023").qualification == "Cao đẳng \\ Sư phạm"
    # A re-import creates no one, and takes no ids from the sequence (PostgreSQL fetches them
    # ahead of need only for chunks with new people).
    sequence = _person_sequence_value()
    again = run(xlsx(tmp_path / "b.xlsx", [row(n) for n in range(1, 41)]))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 40)
    assert _person_sequence_value() == sequence


def _person_sequence_value() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_value FROM people_person_id_seq")
        else:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = 'people_person'")
        return cursor.fetchone()[0]
