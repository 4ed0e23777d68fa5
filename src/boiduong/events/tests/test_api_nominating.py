"""A department's integration nominating through the API: it asks whether a person may be
nominated (the verdict and reasons of the nominate page) and sends a whole list at once, all
or nothing, through the same services, locks and scope as the pages."""

from __future__ import annotations

import pytest
from django.db import connection

from boiduong.events import services
from boiduong.events.choices import Audience
from boiduong.events.choices import NominationStatus as S
from boiduong.events.models import Course

from . import factories as f

MINISTRY, OFFICER, CAMAU, TRAINER = "cuc.ngcbqlgd", "so.hanoi", "so.camau", "giangvien"


def _eligibility(course, query=""):
    return f"/api/courses/{course.pk}/eligibility/{query}"


# --- eligibility ----------------------------------------------------------------------------------


def test_the_answer_is_the_nominate_pages_verdict(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=2)
    eligible, outsider = f.person(), f.person(core=None, result=None)
    officer = world.client_for(OFFICER)

    answer = officer.get(_eligibility(course, f"?person={eligible.pk}"))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["is_eligible"], body["may_nominate"], body["seat_free"]) == (True, True, True)
    assert (body["quota"], body["audience"], body["reasons"]) == (quota.pk, "gv_cot_can", [])
    assert body["department_name"] == "Sở Giáo dục và Đào tạo Hà Nội"
    assert [c["ok"] for c in body["checks"]] == [True, True, True]

    turned_away = officer.get(_eligibility(course, f"?national_id={outsider.national_id}")).json()
    assert turned_away["person"] == outsider.pk and turned_away["is_eligible"] is False
    assert turned_away["reasons"] == [
        "Không có tên trong danh sách cốt cán năm 2020.",
        "Chưa có kết quả đợt tập huấn năm 2020.",
    ]
    assert turned_away["may_nominate"] is True  # flagged for the ministry's exception, not refused
    page = officer.get(
        f"/events/{course.pk}/nominate/{quota.department_id}/?q={outsider.national_id}"
    ).content.decode()
    for check in turned_away["checks"]:
        assert check["text"] in page  # word for word what the department's page shows


def test_the_answer_says_what_would_refuse_a_nomination(world):
    course = f.course(capacity=10)
    f.quota(course, seats=1)
    first, second = f.person(), f.person()
    services.nomination_nominate(actor=None, quota=course.quotas.get(), person=first)
    officer = world.client_for(OFFICER)
    taken = officer.get(_eligibility(course, f"?person={first.pk}")).json()
    assert taken["may_nominate"] is False and taken["nomination_status"] == S.SUBMITTED
    assert taken["refusals"] == [f"{first.full_name} đã được cử tham dự lớp này."]
    full = officer.get(_eligibility(course, f"?person={second.pk}")).json()
    assert (full["may_nominate"], full["seat_free"]) == (True, False)  # it would wait
    manager_seat = officer.get(
        _eligibility(course, f"?person={second.pk}&audience={Audience.CORE_MANAGER}")
    ).json()
    assert manager_seat["quota"] is None and manager_seat["may_nominate"] is False
    assert manager_seat["refusals"] == ["Sở không có chỉ tiêu cho đối tượng này."]
    assert manager_seat["reasons"] == [
        "Là GV cốt cán, không phải CBQL cốt cán: hãy cử vào chỉ tiêu GV cốt cán."
    ]
    services.course_complete(actor=None, course=course)
    closed = officer.get(_eligibility(course, f"?person={second.pk}")).json()
    assert closed["refusals"] == ["Lớp đã hoàn thành: không nhận cử tham dự nữa."]


def test_eligibility_follows_the_scope(world):
    course = f.course(capacity=10)
    f.quota(course, seats=2)
    hanoi, camau = f.person(), f.person(department_code="SGD96-2025")
    query = f"?person={hanoi.pk}"
    assert world.client_for(OFFICER).get(_eligibility(course, query)).status_code == 200
    assert world.client_for(MINISTRY).get(_eligibility(course, query)).status_code == 200
    assert world.client_for(CAMAU).get(_eligibility(course, query)).status_code == 404
    foreign = world.client_for(OFFICER).get(_eligibility(course, f"?person={camau.pk}"))
    assert foreign.status_code == 404
    unknown = world.client_for(OFFICER).get(_eligibility(course, "?national_id=000000000000"))
    assert unknown.status_code == 404
    cascade = Course.objects.get(code="361-MN-CM1")  # Cà Mau's own course
    assert world.client_for(OFFICER).get(_eligibility(cascade, query)).status_code == 404
    assert world.client_for(TRAINER).get(_eligibility(course, query)).status_code == 403
    assert world.client_for("giaovien").get(_eligibility(course, query)).status_code == 403
    assert world.client_for(None).get(_eligibility(course, query)).status_code in {401, 403}
    neither = world.client_for(OFFICER).get(_eligibility(course))
    assert neither.status_code == 400
    assert neither.json() == {
        "non_field_errors": ["Cần ghi mã người (person) hoặc số định danh cá nhân (national_id)."]
    }


# --- bulk, all or nothing -------------------------------------------------------------------------

BULK = "/api/nominations/bulk/"


def _bulk(client, items, **headers):
    return client.post(BULK, items, content_type="application/json", **headers)


def test_a_whole_list_is_nominated_in_one_go(world):
    course = f.course(capacity=10)
    teachers = f.quota(course, seats=2)
    managers = f.quota(course, seats=2, audience=Audience.CORE_MANAGER)
    people = [f.person() for _ in range(3)]
    manager = f.person(core=Audience.CORE_MANAGER)
    items = [
        {"quota": teachers.pk, "person": people[0].pk, "travel_cost": "1200000"},
        {"quota": teachers.pk, "national_id": people[1].national_id, "note": "Tổ trưởng"},
        {"quota": teachers.pk, "person": people[2].pk},  # the quota is full by now
        {"quota": managers.pk, "person": manager.pk, "submit": False},
    ]
    response = _bulk(world.client_for(OFFICER), items)
    assert response.status_code == 201, response.content
    body = response.json()
    assert [n["person"] for n in body] == [*(p.pk for p in people), manager.pk]
    assert [n["status"] for n in body] == [S.SUBMITTED, S.SUBMITTED, S.WAITLISTED, S.DRAFT]
    assert (body[0]["travel_cost"], body[1]["note"]) == ("1200000", "Tổ trưởng")
    assert body[0]["course_code"] == course.code and body[0]["is_eligible"] is True
    teachers.refresh_from_db()
    course.refresh_from_db()
    assert (teachers.seats_held, course.seats_held) == (2, 2)


def test_one_refused_item_saves_nothing_and_each_refusal_is_listed(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=5)
    good, twice = f.person(), f.person()
    taken = f.person()
    services.nomination_nominate(actor=None, quota=quota, person=taken)
    camau = f.person(department_code="SGD96-2025")  # not Hà Nội's to send: reads as unknown
    items = [
        {"quota": quota.pk, "person": good.pk},
        {"quota": quota.pk, "person": twice.pk},
        {"quota": quota.pk, "person": twice.pk},
        {"quota": quota.pk, "person": taken.pk},
        {"quota": quota.pk, "person": camau.pk},
        {"quota": quota.pk, "national_id": "000000000000"},
    ]
    response = _bulk(world.client_for(OFFICER), items)
    assert response.status_code == 400, response.content
    assert response.json() == {
        "detail": ["Không lưu gì: 4 mục bị từ chối."],
        "items": [
            {"index": 2, "detail": [f"{twice.full_name} đã được cử tham dự lớp này."]},
            {"index": 3, "detail": [f"{taken.full_name} đã được cử tham dự lớp này."]},
            {
                "index": 4,
                "detail": ["Không có ai mang số định danh này công tác tại đơn vị thuộc Sở."],
            },
            {
                "index": 5,
                "detail": ["Không có ai mang số định danh này công tác tại đơn vị thuộc Sở."],
            },
        ],
    }
    assert course.nominations.count() == 1  # only the one made before
    quota.refresh_from_db()
    course.refresh_from_db()
    assert (quota.seats_held, course.seats_held) == (1, 1)
    malformed = _bulk(world.client_for(OFFICER), [{"quota": quota.pk}, {"person": good.pk}])
    assert malformed.status_code == 400
    assert [item["index"] for item in malformed.json()["items"]] == [0, 1]
    assert course.nominations.count() == 1


def test_bulk_follows_the_scope_of_each_items_quota(world):
    course = f.course(capacity=10)
    hanoi = f.quota(course, seats=5)
    camau = f.quota(course, "SGD96-2025", seats=5)
    person = f.person()
    items = [{"quota": hanoi.pk, "person": person.pk}, {"quota": camau.pk, "person": person.pk}]
    foreign = _bulk(world.client_for(OFFICER), items)
    assert foreign.status_code == 404 and "1" in foreign.json()["detail"]
    assert _bulk(world.client_for(MINISTRY), items[:1]).status_code == 403
    assert _bulk(world.client_for(TRAINER), items[:1]).status_code == 403
    assert _bulk(world.client_for(None), items[:1]).status_code in {401, 403}
    assert not course.nominations.exists()


def test_bulk_has_a_cap_and_wants_a_list(world):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=5)
    officer = world.client_for(OFFICER)
    over = _bulk(officer, [{"quota": quota.pk, "person": 1}] * (services.BULK_LIMIT + 1))
    assert over.status_code == 400
    assert over.json() == {"detail": ["Mỗi lần cử tối đa 500 người: danh sách này có 501."]}
    assert _bulk(officer, {"quota": quota.pk}).json() == {
        "detail": ["Gửi một danh sách (JSON list) các đề cử."]
    }
    assert _bulk(officer, []).json() == {"detail": ["Danh sách không có dòng nào."]}
    english = _bulk(officer, [{"quota": quota.pk, "national_id": "0"}], HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == ["Nothing was saved: 1 item was refused."]
    assert english.json()["items"][0]["detail"] == [
        "No one with this ID works under the department."
    ]
    assert not course.nominations.exists()


THREADS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_lists_across_courses_never_deadlock_or_overbook():
    """6 departments' integrations send lists at the same moment, each naming two courses —
    half of them in the opposite order. The courses and quotas are locked up front in id
    order, so none waits on another in a cycle; each course's 2 seats go to 2 of them."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every write transaction")
    f.reference_world()
    first, second = f.course(capacity=20), f.course(capacity=20)
    quotas = [f.quota(first, seats=2), f.quota(second, seats=2)]
    lists = []
    for number in range(THREADS):
        pair = [
            services.NominationRow(quota=quota, person=f.person())
            for quota in (quotas if number % 2 else quotas[::-1])
        ]
        lists.append(pair)
    race = f.race(lambda rows: services.nominations_nominate_all(actor=None, rows=rows), lists)
    assert not race.errors and not race.refusals, (race.errors + race.refusals)[:3]
    outcomes = [n.status for created in race.results for n in created]
    assert sorted(outcomes) == sorted([S.SUBMITTED] * 4 + [S.WAITLISTED] * (2 * THREADS - 4))
    for course, quota in zip((first, second), quotas, strict=True):
        quota.refresh_from_db()
        assert quota.seats_held == 2 and Course.objects.get(pk=course.pk).seats_held == 2
        assert services.seats_recount(course=course)["course"] == 2
