"""The events API through the access layer: what each role reads and writes."""

from boiduong.events.models import Attendance, Course, Nomination

from .. import services
from . import factories as f


def _mb():
    return Course.objects.get(code="361-MB")


def test_courses_show_national_ones_and_only_own_cascades(world):
    hanoi = {c["code"] for c in world.client_for("so.hanoi").get("/api/courses/").json()["results"]}
    assert {"361-MB", "361-MTTN", "361-MN", "361-MB-HN1"} <= hanoi and "361-MN-CM1" not in hanoi
    camau = {c["code"] for c in world.client_for("so.camau").get("/api/courses/").json()["results"]}
    assert "361-MN-CM1" in camau and "361-MB-HN1" not in camau
    detail = world.client_for("so.hanoi").get(f"/api/courses/{_mb().pk}/").json()
    assert detail["eligibility_rule"]["training_round_year"] == 2020
    assert detail["dates"] == "19/07/2021 – 23/07/2021" and detail["seats_held"] > 0


def test_quotas_and_nominations_are_the_departments_own(world):
    client = world.client_for("so.hanoi")
    quotas = client.get(f"/api/quotas/?course={_mb().pk}").json()["results"]
    assert quotas and {q["department_name"] for q in quotas} == {"Sở Giáo dục và Đào tạo Hà Nội"}
    nominations = client.get("/api/nominations/?status=confirmed").json()["results"]
    assert nominations and all(n["status"] == "confirmed" for n in nominations)
    assert {n["course_code"] for n in nominations} == {"361-MB", "361-MB-HN1"}  # and its cascade
    ministry = world.client_for("cuc.ngcbqlgd").get("/api/nominations/").json()["count"]
    assert ministry == Nomination.objects.count()


def test_a_teacher_reads_her_own_nomination_and_result_only(world):
    """Her role is granted on her school; her colleagues' records are still not hers to read."""
    client = world.client_for("giaovien")
    nominations = client.get("/api/nominations/").json()["results"]
    assert [n["person_name"] for n in nominations] == ["Hoàng Thị Mai"]
    results = client.get("/api/results/").json()["results"]
    assert [r["person_name"] for r in results] == ["Hoàng Thị Mai"]
    certificates = client.get("/api/certificates/").json()["results"]
    assert len(certificates) == 1 and certificates[0]["holder_name"] == "Hoàng Thị Mai"
    colleague = Nomination.objects.filter(
        person__workplace__name="Trường Mầm non Hoa Sen", person__user__isnull=True
    ).first()
    assert colleague is not None
    assert client.get(f"/api/nominations/{colleague.pk}/").status_code == 404
    assert client.get(f"/events/nominations/{colleague.pk}/").status_code == 404


def test_trainers_record_attendance_through_the_api(world):
    course = f.course(capacity=5)
    quota = f.quota(course, seats=2)
    nomination = services.nomination_nominate(actor=None, quota=quota, person=f.person())
    services.nomination_confirm(actor=world.user("cuc.ngcbqlgd"), nomination=nomination)
    trainer = world.client_for("giangvien")
    response = trainer.post(
        "/api/attendance/",
        {"nomination": nomination.pk, "day": 3, "is_present": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Attendance.objects.get(nomination=nomination, day=3).is_present
    bad = trainer.post(
        "/api/attendance/",
        {"nomination": nomination.pk, "day": 9, "is_present": True},
        content_type="application/json",
    )
    assert bad.status_code == 400
    listed = trainer.get(f"/api/attendance/?nomination__course={course.pk}").json()
    assert listed["count"] == 1
    officer = world.client_for("so.hanoi").post(
        "/api/attendance/",
        {"nomination": nomination.pk, "day": 2, "is_present": True},
        content_type="application/json",
    )
    assert officer.status_code == 403
