"""Histories name the records a change points to (a person's workplace, a task's units), not
their ids, and read those names with one query per related model however long the history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from boiduong.core import audit
from boiduong.core.models import AuditEvent
from boiduong.orgs.models import OrgUnit
from boiduong.people.models import Person

MAI = "001190999999"  # Hoàng Thị Mai (Hà Nội)
SCHOOLS = ["SGD01-2025-MN001", "SGD01-2025-MN002", "SGD01-2025-MN003"]


def _move(world, person: Person, unit: OrgUnit) -> None:
    person.workplace = unit
    audit.save(actor=world.user("so.hanoi"), instance=person, reason=f"chuyển {unit.code}")


def _history(world, person: Person) -> str:
    response = world.client_for("so.hanoi").get(person.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode().split('id="history"')[1]


def _temporary_school(world) -> OrgUnit:
    school = world.unit(SCHOOLS[0])
    unit = OrgUnit(
        kind=school.kind,
        name="Trường Mầm non Tạm Thời",
        parent=school.parent,
        province=school.province,
    )
    unit.save()
    return unit


def test_a_changed_workplace_reads_both_names(world):
    mai = Person.objects.get(national_id=MAI)
    old = mai.workplace
    new = world.unit(SCHOOLS[1]) if old.code != SCHOOLS[1] else world.unit(SCHOOLS[2])
    _move(world, mai, new)
    history = _history(world, mai)
    assert f"{old.name} → {new.name}" in history
    assert f"{old.pk} → {new.pk}" not in history


def test_a_deleted_workplace_reads_its_id_marked_deleted(world):
    mai = Person.objects.get(national_id=MAI)
    home, gone = mai.workplace, _temporary_school(world)
    _move(world, mai, gone)
    _move(world, mai, home)
    gone_id = gone.pk
    gone.delete()
    history = _history(world, mai)
    assert f"{home.name} → #{gone_id} (đã xoá)" in history
    assert f"#{gone_id} (đã xoá) → {home.name}" in history


def test_many_to_many_ids_read_as_names(db):
    units = list(OrgUnit.objects.order_by("pk")[:2])
    from boiduong.plans.models import PlanTask

    event = AuditEvent(
        action=AuditEvent.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(PlanTask),
        changes={"cooperating_units": [[], [units[0].pk, units[1].pk, 0]]},
    )
    [(label, text)] = audit.readable_changes(event)
    assert text == f"∅ → {units[0].name}, {units[1].name}, #0 (đã xoá)"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_longer_history_costs_no_more_queries(world, django_assert_max_num_queries):
    mai = Person.objects.get(national_id=MAI)
    schools = [world.unit(code) for code in SCHOOLS]
    client = world.client_for("so.hanoi")
    url = mai.get_absolute_url()
    _move(world, mai, schools[1])
    client.get(url)  # warm the content-type and session caches
    short = _queries(client, url)
    for n in range(12):  # each move names two units, and a creation would name one
        _move(world, mai, schools[n % 3])
    assert _queries(client, url) == short
    with django_assert_max_num_queries(12):  # the person page, its history of 13 events included
        client.get(url)


def test_the_audit_trail_names_related_records_once_per_page(world, django_assert_max_num_queries):
    mai = Person.objects.get(national_id=MAI)
    schools = [world.unit(code) for code in SCHOOLS]
    client = world.client_for("admin")
    url = "/audit/?q=chuyen"
    _move(world, mai, schools[1])
    client.get(url)
    short = _queries(client, url)
    for n in range(12):
        _move(world, mai, schools[n % 3])
    assert _queries(client, url) == short
    with django_assert_max_num_queries(7):
        page = client.get(url).content.decode()
    assert f"{schools[0].name} → {schools[1].name}" in page
    csv = client.get(url + "&export=csv").content.decode("utf-8-sig")
    assert f"{schools[0].name} → {schools[1].name}" in csv


def test_moments_dates_and_notes_read_as_people_write_them(db):
    """The audit keeps moments as ISO text in UTC and JSON as it is; a history shows local
    time, dd/mm/yyyy and a list of notes as its texts (found on a nomination's history)."""
    from boiduong.core.models import Job
    from boiduong.plans.models import Document

    event = AuditEvent(
        action=AuditEvent.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Job),
        object_id="1",
        changes={
            "finished_at": [None, "2026-12-02T08:25:15.267854+00:00"],
            "result": [{}, [{"ok": True, "text": "Là cốt cán."}, {"ok": False, "text": "Chưa."}]],
            "params": [None, {"năm": 2021}],
        },
    )
    rows = dict(audit.readable_changes(event))
    assert rows["Kết thúc lúc"].endswith("→ 02/12/2026 15:25")  # Asia/Ho_Chi_Minh
    assert rows["Kết quả"].endswith("→ ✔ Là cốt cán. ✘ Chưa.")
    assert rows["Tham số"].endswith('→ {"năm": 2021}')
    issued = AuditEvent(
        action=AuditEvent.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Document),
        object_id="1",
        changes={
            "issued_on": ["2021-04-06", "2021-04-07"],
            "recipients": [[], ["Như Điều 3", "Lưu: VT"]],
        },
    )
    rows = audit.readable_changes(issued)
    assert ("Ngày ban hành", "06/04/2021 → 07/04/2021") in rows
    assert rows[1][1] == "∅ → Như Điều 3, Lưu: VT"
