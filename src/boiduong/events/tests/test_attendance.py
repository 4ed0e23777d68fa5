"""Attendance (tablet list, badge scan, online CSV) and results (the days rule, the registry's
training history)."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from boiduong.events import services
from boiduong.events.badges import badge_code, nomination_id_from_badge
from boiduong.events.choices import Outcome
from boiduong.events.models import Attendance, Course
from boiduong.people.models import TrainingResult

from . import factories as f


@pytest.fixture
def course(world):
    course = f.course(capacity=10, days=5, days_required=4)
    quota = f.quota(course, seats=5)
    ministry = world.user("cuc.ngcbqlgd")
    people = [
        f.person(name="Lê Thị Lan", email="lan@example.vn"),
        f.person(name="Phạm Thị Hoa", email="hoa@example.vn"),
        f.person(name="Trần Thị Hoa", email=""),
    ]
    for person in people:
        nomination = services.nomination_nominate(actor=None, quota=quota, person=person)
        services.nomination_confirm(actor=ministry, nomination=nomination)
    return course


def _nomination(course, name):
    return course.nominations.get(person__full_name=name)


def test_the_tablet_list_toggles_one_day_with_htmx(course, world):
    client = world.client_for("giangvien")
    lan = _nomination(course, "Lê Thị Lan")
    page = client.get(f"/events/{course.pk}/attendance/?day=2").content.decode()
    assert f'data-testid="toggle-{lan.pk}"' in page and 'data-present="0"' in page
    response = client.post(
        f"/events/{course.pk}/attendance/toggle/",
        {"nomination": lan.pk, "day": 2, "present": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'data-present="1"' in response.content.decode()
    assert Attendance.objects.get(nomination=lan, day=2).is_present
    client.post(
        f"/events/{course.pk}/attendance/toggle/",
        {"nomination": lan.pk, "day": 2, "present": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert not Attendance.objects.get(nomination=lan, day=2).is_present
    assert (
        client.post(
            f"/events/{course.pk}/attendance/toggle/",
            {"nomination": lan.pk, "day": 9, "present": "1"},
        ).status_code
        == 400
    )


def test_a_department_officer_cannot_take_attendance_on_a_national_course(course, world):
    lan = _nomination(course, "Lê Thị Lan")
    response = world.client_for("so.hanoi").post(
        f"/events/{course.pk}/attendance/toggle/", {"nomination": lan.pk, "day": 1, "present": "1"}
    )
    assert response.status_code == 403
    assert not Attendance.objects.filter(nomination=lan).exists()


def test_badges_carry_signed_codes_that_the_scan_page_accepts(course, world):
    lan = _nomination(course, "Lê Thị Lan")
    code = badge_code(lan.pk)
    assert nomination_id_from_badge(code) == lan.pk
    assert nomination_id_from_badge(code.lower()) == lan.pk
    assert nomination_id_from_badge(f"N{lan.pk + 1}-{code.split('-')[1]}") is None
    client = world.client_for("giangvien")
    pdf = client.get(f"/events/{course.pk}/badges/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Lê Thị Lan" in text and code in text
    page = client.post(f"/events/{course.pk}/attendance/scan/", {"code": code, "day": 3})
    assert page.status_code == 200 and 'data-testid="scanned"' in page.content.decode()
    record = Attendance.objects.get(nomination=lan, day=3)
    assert record.is_present and record.source == "badge"
    forged = client.post(f"/events/{course.pk}/attendance/scan/", {"code": "N1-AAAAAAAA", "day": 3})
    assert "không thuộc lớp" in forged.content.decode()


def test_a_badge_of_another_course_is_refused(course, world):
    other = Course.objects.get(code="361-MB").nominations.filter(status="confirmed").first()
    with pytest.raises(ValidationError):
        services.attendance_scan(actor=None, course=course, code=badge_code(other.pk), day=1)


ZOOM_CSV = """Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)
Lê Thị Lan,LAN@example.vn,03/02/2026 08:01:10 AM,03/02/2026 11:30:00 AM,209
Lê Thị Lan,lan@example.vn,03/02/2026 01:30:00 PM,03/02/2026 04:00:00 PM,150
Pham Thi Hoa,,03/02/2026 08:00:00 AM,03/02/2026 08:40:00 AM,40
Trần Thị Hoa,,03/03/2026 08:00:00 AM,03/03/2026 04:00:00 PM,480
Khách lạ,guest@example.com,03/02/2026 08:00:00 AM,03/02/2026 09:00:00 AM,60
Lê Thị Lan,lan@example.vn,03/20/2026 08:00:00 AM,03/20/2026 09:00:00 AM,60
"""


def test_online_attendance_is_matched_by_email_then_name_and_summed_per_day(course, world):
    client = world.client_for("giangvien")
    upload = io.BytesIO(ZOOM_CSV.encode("utf-8-sig"))
    upload.name = "zoom.csv"
    page = client.post(
        f"/events/{course.pk}/attendance/import/", {"file": upload, "min_minutes": 120}
    ).content.decode()
    assert 'data-testid="import-outcome"' in page and "Khách lạ" in page
    lan, hoa, tran = (
        _nomination(course, n) for n in ("Lê Thị Lan", "Phạm Thị Hoa", "Trần Thị Hoa")
    )
    day1 = Attendance.objects.get(nomination=lan, day=1)  # the course starts on 02/03/2026
    assert day1.is_present and day1.minutes_online == 359 and day1.source == "online"
    assert not Attendance.objects.get(nomination=hoa, day=1).is_present  # 40 minutes only
    assert Attendance.objects.get(nomination=tran, day=2).is_present  # matched by name
    assert "20/03/2026" in page  # outside the course's days, reported
    assert not Attendance.objects.filter(nomination=lan, day__gt=5).exists()


def test_a_semicolon_export_with_vietnamese_headers_is_read(course, world):
    data = (
        "Họ và tên;Địa chỉ email;Thời gian vào;Thời gian rời\n"
        "Lê Thị Lan;lan@example.vn;02/03/2026 08:00;02/03/2026 11:00\n"
    ).encode()
    outcome = services.attendance_import_online(actor=None, course=course, data=data)
    assert outcome["present"] == 1 and not outcome["problems"]


def test_passed_needs_the_days_the_course_requires(course, world):
    lan = _nomination(course, "Lê Thị Lan")
    for day in (1, 2, 3):
        services.attendance_set(actor=None, nomination=lan, day=day, is_present=True)
    with pytest.raises(ValidationError, match="3/4"):
        services.result_record(actor=None, nomination=lan, outcome=Outcome.PASSED)
    services.attendance_set(actor=None, nomination=lan, day=5, is_present=True)
    result = services.result_record(
        actor=None, nomination=lan, outcome=Outcome.PASSED, score=8.5, remarks="Tích cực"
    )
    assert result.outcome == "dat"
    history = TrainingResult.objects.get(person=lan.person, year=2026)
    assert history.result == "dat" and history.course_title == course.title


def test_results_are_entered_on_one_page(course, world):
    client = world.client_for("giangvien")
    lan, hoa = _nomination(course, "Lê Thị Lan"), _nomination(course, "Phạm Thị Hoa")
    for day in range(1, 6):
        services.attendance_set(actor=None, nomination=lan, day=day, is_present=True)
    response = client.post(
        f"/events/{course.pk}/results/",
        {
            f"outcome-{lan.pk}": "dat",
            f"score-{lan.pk}": "9,25",
            f"outcome-{hoa.pk}": "dat",  # no attendance: refused with the reason
            f"score-{hoa.pk}": "7",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "0/4" in page or "tham dự 0" in page
    lan.refresh_from_db()
    assert lan.result.outcome == "dat" and str(lan.result.score) == "9.25"
    assert not type(hoa).objects.filter(pk=hoa.pk, result__isnull=False).exists()


def test_the_demo_course_has_five_days_of_attendance_and_a_failure(world):
    mb = Course.objects.get(code="361-MB")
    confirmed = mb.nominations.filter(status="confirmed").count()
    assert Attendance.objects.filter(nomination__course=mb).count() == confirmed * 5
    failed = mb.nominations.get(result__outcome="khong_dat")
    assert failed.attendance.filter(is_present=True).count() == 3
