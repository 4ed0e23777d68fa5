"""The events API's writes: the nomination page's buttons, the travel cost and the results,
through the same services and permission rules as the pages; errors are JSON in Vietnamese."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from boiduong.core import audit
from boiduong.events import services
from boiduong.events.choices import NominationStatus as S
from boiduong.events.models import Course, Nomination, Result

from . import factories as f

MINISTRY, OFFICER, CAMAU, TRAINER = "cuc.ngcbqlgd", "so.hanoi", "so.camau", "giangvien"


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def _draft(world, *, person=None, seats=4):
    course = f.course(capacity=10)
    quota = f.quota(course, seats=seats)
    return services.nomination_create(
        actor=world.user(OFFICER), quota=quota, person=person or f.person()
    )


def _confirmed(world, course=None):
    course = course or f.course(capacity=10)
    nomination = services.nomination_nominate(
        actor=None, quota=f.quota(course, seats=4), person=f.person()
    )
    return services.nomination_confirm(actor=None, nomination=nomination)


def _url(nomination, action=""):
    return f"/api/nominations/{nomination.pk}/" + (f"{action}/" if action else "")


def test_a_department_submits_and_withdraws_its_own_nomination(world):
    draft = _draft(world)
    officer = world.client_for(OFFICER)
    submitted = _post(officer, _url(draft, "submit"))
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == S.SUBMITTED
    again = _post(officer, _url(draft, "submit"))
    assert again.status_code == 400
    assert again.json() == {"detail": ["Chỉ gửi được danh sách nháp."]}
    withdrawn = _post(officer, _url(draft, "withdraw"), {"reason": "Giáo viên ốm."})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == S.WITHDRAWN
    assert audit.history(draft).first().reason == "Giáo viên ốm."
    draft.refresh_from_db()
    assert draft.course.seats_held == 0


def test_nomination_buttons_follow_the_pages_permissions(world):
    draft = _draft(world)
    assert _post(world.client_for(None), _url(draft, "submit")).status_code in {401, 403}
    ministry = _post(world.client_for(MINISTRY), _url(draft, "submit"))  # not the ministry's
    assert ministry.status_code == 403 and ministry.json()["detail"].startswith("Bạn không")
    assert _post(world.client_for(CAMAU), _url(draft, "submit")).status_code == 404
    assert _post(world.client_for(TRAINER), _url(draft, "withdraw")).status_code == 403
    assert _post(world.client_for(OFFICER), _url(draft, "confirm")).status_code == 403
    assert _post(world.client_for(OFFICER), _url(draft, "nonsense")).status_code == 404
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_the_deadline_binds_the_department_not_the_ministry(world):
    draft = _draft(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    services.call_issue(
        actor=None, course=draft.course, title="V/v cử", issued_on=yesterday, deadline=yesterday
    )
    late = _post(world.client_for(OFFICER), _url(draft, "submit"))
    assert late.status_code == 400
    assert "Đã hết hạn cử" in late.json()["detail"][0]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_the_ministry_confirms_overrides_and_rejects(world):
    eligible = services.nomination_submit(actor=None, nomination=_draft(world))
    ministry = world.client_for(MINISTRY)
    confirmed = _post(ministry, _url(eligible, "confirm"))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == S.CONFIRMED

    outsider = services.nomination_submit(
        actor=None, nomination=_draft(world, person=f.person(core=None, result=None))
    )
    refused = _post(ministry, _url(outsider, "confirm"))
    assert refused.status_code == 400 and "cần ghi nhận ngoại lệ" in refused.json()["detail"][0]
    assert _post(ministry, _url(outsider, "override"), {"reason": ""}).status_code == 400
    overridden = _post(ministry, _url(outsider, "override"), {"reason": "Thay cốt cán nghỉ hưu."})
    assert overridden.json()["override_reason"] == "Thay cốt cán nghỉ hưu."
    assert _post(ministry, _url(outsider, "confirm")).json()["status"] == S.CONFIRMED

    other = services.nomination_submit(actor=None, nomination=_draft(world))
    missing = _post(ministry, _url(other, "reject"))
    assert missing.status_code == 400 and "reason" in missing.json()
    blank = _post(ministry, _url(other, "reject"), {"reason": "  "})
    assert blank.json() == {"detail": ["Nêu lý do không chấp nhận."]}
    rejected = _post(ministry, _url(other, "reject"), {"reason": "Không đúng đối tượng."})
    assert rejected.status_code == 200 and rejected.json()["status"] == S.REJECTED


def test_a_department_substitutes_a_confirmed_participant(world):
    nomination = _confirmed(world)
    officer = world.client_for(OFFICER)
    assert _post(officer, _url(nomination, "substitute"), {}).status_code == 400
    stranger = f.person(department_code="SGD96-2025")  # Cà Mau's: not Hà Nội's to send
    assert (
        _post(officer, _url(nomination, "substitute"), {"person": stranger.pk}).status_code == 404
    )
    colleague = f.person()
    response = _post(
        officer,
        _url(nomination, "substitute"),
        {"national_id": colleague.national_id, "reason": "Bận công tác."},
    )
    assert response.status_code == 201, response.content
    assert response.json()["person"] == colleague.pk and response.json()["status"] == S.CONFIRMED
    nomination.refresh_from_db()
    assert nomination.status == S.SUBSTITUTED
    assert (
        _post(officer, _url(nomination, "substitute"), {"person": f.person().pk}).status_code == 400
    )


def test_a_department_records_the_travel_cost(world):
    nomination = _confirmed(world)
    officer = world.client_for(OFFICER)

    def patch(client, body):
        return client.patch(_url(nomination), body, content_type="application/json")

    saved = patch(officer, {"travel_cost": "1200000"})
    assert saved.status_code == 200 and saved.json()["travel_cost"] == "1200000"
    assert patch(officer, {"travel_cost": -5}).status_code == 400
    assert patch(officer, {}).status_code == 400
    assert patch(world.client_for(MINISTRY), {"travel_cost": 1}).status_code == 403
    assert patch(world.client_for(CAMAU), {"travel_cost": 1}).status_code == 404
    cleared = patch(officer, {"travel_cost": None})
    assert cleared.status_code == 200 and cleared.json()["travel_cost"] is None
    assert [e.reason for e in audit.history(nomination)[:2]] == ["Chi phí đi lại", "Chi phí đi lại"]


def test_trainers_record_results_through_the_api(world):
    nomination = _confirmed(world)
    trainer = world.client_for(TRAINER)
    body = {"nomination": nomination.pk, "outcome": "dat", "score": "8.50"}
    too_few_days = _post(trainer, "/api/results/", body)
    assert too_few_days.status_code == 400
    assert "0/4 ngày yêu cầu: không thể đánh giá “đạt”" in too_few_days.json()["detail"][0]
    for day in range(1, 5):
        services.attendance_set(actor=None, nomination=nomination, day=day, is_present=True)
    created = _post(trainer, "/api/results/", body)
    assert created.status_code == 201, created.content
    assert (created.json()["outcome"], created.json()["score"]) == ("dat", "8.50")
    result = Result.objects.get(nomination=nomination)
    replaced = _post(trainer, "/api/results/", {**body, "score": "9.00"})
    assert replaced.status_code == 200 and replaced.json()["id"] == result.pk
    patched = trainer.patch(
        f"/api/results/{result.pk}/", {"remarks": "Tích cực."}, content_type="application/json"
    )
    assert patched.status_code == 200
    assert (patched.json()["score"], patched.json()["remarks"]) == ("9.00", "Tích cực.")
    unscored = _post(trainer, "/api/results/", {"nomination": nomination.pk, "outcome": "dat"})
    assert (unscored.json()["score"], unscored.json()["remarks"]) == (None, "")  # POST replaces
    bad = _post(trainer, "/api/results/", {**body, "outcome": "xuat_sac"})
    assert bad.status_code == 400 and "outcome" in bad.json()
    assert nomination.person.training_results.filter(result="dat").exists()


def test_who_may_record_a_result(world):
    nomination = _confirmed(world)
    body = {"nomination": nomination.pk, "outcome": "khong_dat"}
    assert _post(world.client_for(None), "/api/results/", body).status_code in {401, 403}
    # the department sees its participant but does not grade a national course
    assert _post(world.client_for(OFFICER), "/api/results/", body).status_code == 403
    assert _post(world.client_for(CAMAU), "/api/results/", body).status_code == 404
    assert _post(world.client_for("giaovien"), "/api/results/", body).status_code == 403
    assert not Result.objects.filter(nomination=nomination).exists()
    # …but it grades its own cascade course, as on the results page
    cascade = Course.objects.get(code="361-MB-HN1")
    participant = Nomination.objects.filter(course=cascade, status=S.CONFIRMED).first()
    assert participant is not None
    own = _post(
        world.client_for(OFFICER),
        "/api/results/",
        {"nomination": participant.pk, "outcome": "khong_dat", "remarks": "Vắng nhiều."},
    )
    assert own.status_code in {200, 201}, own.content
    camau = Nomination.objects.filter(course__code="361-MN", department__code="SGD96").first()
    assert camau is not None  # another province's participant: not there for Hà Nội
    foreign = {**body, "nomination": camau.pk}
    assert _post(world.client_for(OFFICER), "/api/results/", foreign).status_code == 404


def test_an_integrator_writes_with_a_token(world):
    """Token auth, as docs/api.md shows it: no session, no CSRF token."""
    from rest_framework.test import APIClient

    from boiduong.core.demo import DEMO_PASSWORD

    nomination = services.nomination_submit(actor=None, nomination=_draft(world))
    client = APIClient(enforce_csrf_checks=True)
    token = client.post(
        "/api/token/", {"username": MINISTRY, "password": DEMO_PASSWORD}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(_url(nomination, "confirm"), format="json")
    assert response.status_code == 200 and response.json()["status"] == S.CONFIRMED


def test_the_attendance_app_scans_badges(world):
    from boiduong.events.badges import badge_code

    nomination = _confirmed(world)
    course = nomination.course
    trainer = world.client_for(TRAINER)
    body = {"course": course.pk, "code": badge_code(nomination.pk), "day": 2}
    scanned = _post(trainer, "/api/attendance/scan/", body)
    assert scanned.status_code == 201, scanned.content
    assert scanned.json()["person_name"] == nomination.person.full_name
    assert scanned.json()["source"] == "badge" and scanned.json()["is_present"]
    other = _confirmed(world)  # a participant of another course
    wrong = _post(trainer, "/api/attendance/scan/", {**body, "code": badge_code(other.pk)})
    assert wrong.status_code == 400 and wrong.json()["detail"][0].startswith("Thẻ")
    assert _post(trainer, "/api/attendance/scan/", {**body, "day": 9}).status_code == 400
    assert _post(world.client_for(OFFICER), "/api/attendance/scan/", body).status_code == 403
    assert _post(world.client_for("giaovien"), "/api/attendance/scan/", body).status_code == 403
    assert _post(world.client_for(None), "/api/attendance/scan/", body).status_code in {401, 403}


def test_a_department_records_attendance_on_its_own_cascade(world):
    cascade = Course.objects.get(code="361-MB-HN1")
    participant = Nomination.objects.filter(course=cascade, status=S.CONFIRMED).first()
    assert participant is not None
    body = {"nomination": participant.pk, "day": 1, "is_present": False}
    recorded = _post(world.client_for(OFFICER), "/api/attendance/", body)
    assert recorded.status_code == 201, recorded.content
    assert not recorded.json()["is_present"]
    assert _post(world.client_for(CAMAU), "/api/attendance/", body).status_code == 404
    # not on a national course, even for its own people
    national = _confirmed(world)
    assert (
        _post(
            world.client_for(OFFICER), "/api/attendance/", {**body, "nomination": national.pk}
        ).status_code
        == 403
    )
