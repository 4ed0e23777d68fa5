import csv
import io

import openpyxl
import pytest

from boiduong.core import audit
from boiduong.core.exports import neutralise, xlsx_bytes
from boiduong.core.models import AuditEvent
from boiduong.orgs.services import orgunit_update


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_cells_are_kept():
    assert neutralise("Nguyễn Văn A") == "Nguyễn Văn A"
    assert neutralise(None) == ""


def test_xlsx_has_no_formulas():
    data = xlsx_bytes([["Tên", "Giá trị"], ["A", '=HYPERLINK("x")']], title="t")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["B2"].value == '\'=HYPERLINK("x")'
    assert sheet["B2"].data_type == "s"


def test_audit_records_field_diff_and_reason(world):
    admin = world.user("admin")
    unit = world.unit("NGCBQLGD")
    orgunit_update(actor=admin, unit=unit, abbreviation="NGCB", reason="Viết tắt mới")
    event = audit.history(unit).first()
    assert event.action == AuditEvent.Action.UPDATE
    assert event.changes == {"abbreviation": ["NGCBQLGD", "NGCB"]}
    assert event.reason == "Viết tắt mới"
    assert event.actor == admin


def test_saving_without_change_records_nothing(world):
    unit = world.unit("GDMN")
    before = AuditEvent.objects.count()
    orgunit_update(actor=world.user("admin"), unit=unit)
    assert AuditEvent.objects.count() == before


def test_unit_page_shows_history_and_admin_can_search_log(world):
    unit = world.unit("GDMN")
    orgunit_update(
        actor=world.user("admin"), unit=unit, short_name="Vụ Mầm non", reason="Đổi tên ngắn"
    )
    page = world.client_for("so.hanoi").get(unit.get_absolute_url()).content.decode()
    assert "Vụ Mầm non" in page and "Đổi tên ngắn" in page
    log = world.client_for("admin").get("/audit/?q=doi ten ngan").content.decode()
    assert "Đổi tên ngắn" in log


def test_csv_export_of_audit_log_is_injection_safe(world):
    unit = world.unit("GDMN")
    orgunit_update(actor=world.user("admin"), unit=unit, short_name="=cmd|' /C calc'!A0")
    response = world.client_for("admin").get("/audit/?export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert all(not cell.startswith("=") for row in rows for cell in row)


@pytest.mark.parametrize(
    ("value", "shown"), [(None, "∅"), ("", "∅"), (0, 0), (False, False), ("Đạt", "Đạt")]
)
def test_history_shows_zero_and_false_but_marks_empty(value, shown):
    from boiduong.core.templatetags.vn import audit_value

    assert audit_value(value) == shown


def test_every_export_is_logged_with_its_filters_and_row_count(world):
    client = world.client_for("so.hanoi")
    response = client.get("/people/?q=nguyen&export=xlsx")
    assert response.status_code == 200
    rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row - 1
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("at")
    assert event.actor == world.user("so.hanoi")
    assert event.changes == {"format": "xlsx", "rows": rows, "query": "q=nguyen"}
    assert event.content_type.model == "person" and rows > 0


def test_filters_read_all_when_unset_and_count_what_is_set(world):
    client = world.client_for("so.hanoi")
    response = client.get("/orgs/units/?kind=provincial_department&q=")
    page = response.content.decode()
    assert response.context["active_filters"] == 1
    assert "Tất cả" in page and "---------" not in page
    assert 'data-bs-target="#bd-filters"' in page  # phones open the filters with a button


def test_audit_log_reads_like_a_sentence_not_a_dict(world):
    unit = world.unit("GDMN")
    orgunit_update(
        actor=world.user("admin"), unit=unit, short_name="Vụ Mầm non (mới)", reason="Rút gọn"
    )
    response = world.client_for("admin").get("/audit/?q=rut gon")
    page = response.content.decode()
    assert "Tên viết tắt" in page or "Tên ngắn" in page  # the field's label, not short_name
    assert "short_name" not in page and "None" not in page
    assert "Đơn vị" in page and "orgs |" not in page  # the record type's own name
