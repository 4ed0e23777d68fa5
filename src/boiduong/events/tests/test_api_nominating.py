"""A department's integration nominating through the API: it asks whether a person may be
nominated (the verdict and reasons of the nominate page) and sends a whole list at once, all
or nothing, through the same services, locks and scope as the pages."""

from __future__ import annotations

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
