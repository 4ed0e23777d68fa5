"""The workflow through HTTP: course pages, quotas, the call and the inbox, nominating (one by
one, in bulk, by API), the ministry's decisions, reports, cascades, e-mails, query counts."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as Docx

from boiduong.events import services
from boiduong.events.choices import NominationStatus as S
from boiduong.events.models import CallRecipient, Course, Nomination, Quota
from boiduong.orgs.models import OrgUnit

from . import factories as f


def _mb():
    return Course.objects.get(code="361-MB")


@pytest.fixture
def open_course(world):
    """A 2026 Miền Bắc course with quotas for the 34 departments and a call issued."""
    course = f.course(capacity=68)
    services.quota_propose(actor=None, course=course)
    services.call_issue(
        actor=world.user("cuc.ngcbqlgd"),
        course=course,
        number="123/BGDĐT-NGCBQLGD",
        title="V/v cử tham dự",
        issued_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=2),
    )
    return course


def _hanoi(course):
    return Quota.objects.filter(course=course, department__code="SGD01-2025").first().department


def test_course_page_shows_the_rule_the_plan_figures_and_the_staff(world):
    page = world.client_for("so.hanoi").get(_mb().get_absolute_url()).content.decode()
    assert "là cốt cán năm 2020" in page and "được đánh giá đạt trong đợt tập huấn năm 2020" in page
    assert 'data-testid="staff-count">20 / 20' in page
    assert "Kế hoạch nêu khoảng 200 học viên." in page and "Chỉ tiêu khớp" in page
    assert "4. Tổ chức tập huấn tại miền Bắc" in page  # the plan task it delivers
    mn = Course.objects.get(code="361-MN")
    page = world.client_for("so.hanoi").get(mn.get_absolute_url()).content.decode()
    assert "dự kiến tháng 7-8/2021" in page and "Kế hoạch nêu 20 người; hiện có 0 người." in page


def test_quotas_are_proposed_and_edited_by_the_ministry_only(world):
    course = f.course(capacity=100)
    client = world.client_for("cuc.ngcbqlgd")
    client.post(f"/events/{course.pk}/quotas/", {"propose": "1", "method": "equal"})
    quotas = Quota.objects.filter(course=course)
    assert sum(q.seats for q in quotas) == 100
    first = quotas.order_by("pk").first()
    client.post(f"/events/{course.pk}/quotas/", {f"seats-{first.pk}": first.seats + 30})
    page = client.get(f"/events/{course.pk}/quotas/").content.decode()
    assert "Tổng chỉ tiêu vượt quy mô của lớp." in page and 'data-testid="stated-check"' in page
    assert (
        world.client_for("so.hanoi")
        .post(f"/events/{course.pk}/quotas/", {"propose": "1", "method": "equal"})
        .status_code
        == 403
    )


def test_the_call_lands_in_each_departments_inbox_and_mailbox(
    world, django_capture_on_commit_callbacks
):
    officer = world.user("so.hanoi")
    officer.email = "so.hanoi@hanoi.edu.vn"
    officer.save()
    course = f.course(capacity=68)
    services.quota_propose(actor=None, course=course)
    client = world.client_for("cuc.ngcbqlgd")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/events/{course.pk}/call/",
            {"number": "45/BGDĐT-NGCBQLGD", "title": "V/v cử giáo viên tham dự",
             "issued_on": "2026-01-05", "deadline": "2026-01-20", "body": "Đề nghị các Sở…"},
        )  # fmt: skip
    assert response.status_code == 302
    departments = Quota.objects.filter(course=course).values("department").distinct().count()
    assert CallRecipient.objects.filter(call__course=course).count() == departments == 15
    assert [m.to for m in mail.outbox if "so.hanoi@hanoi.edu.vn" in m.to]
    inbox = world.client_for("so.hanoi").get("/events/inbox/").content.decode()
    assert course.code in inbox and "45/BGDĐT-NGCBQLGD" in inbox
    assert "Sở GDĐT Cà Mau" not in inbox
    home = world.client_for("so.hanoi").get("/").content.decode()
    assert "Công văn triệu tập" in home


def test_nominating_through_the_pages_explains_who_is_not_eligible(open_course, world):
    course = open_course
    hanoi = _hanoi(course)
    ok, bad = f.person(name="Đinh Thị Đủ"), f.person(name="Lý Thị Thiếu", result="khong_dat")
    client = world.client_for("so.hanoi")
    page = client.get(f"/events/{course.pk}/nominate/{hanoi.pk}/?q=ly thi thieu").content.decode()
    assert (
        "Lý Thị Thiếu" in page and "Được đánh giá “không đạt” trong đợt tập huấn năm 2020." in page
    )
    for person in (ok, bad):
        client.post(
            f"/events/{course.pk}/nominate/{hanoi.pk}/",
            {"action": "add", "person": person.pk, "audience": "gv_cot_can"},
        )
    client.post(f"/events/{course.pk}/nominate/{hanoi.pk}/", {"action": "submit_all"})
    statuses = dict(
        Nomination.objects.filter(course=course).values_list("person__full_name", "status")
    )
    assert statuses == {"Đinh Thị Đủ": S.SUBMITTED, "Lý Thị Thiếu": S.SUBMITTED}
    assert CallRecipient.objects.get(call__course=course, department=hanoi).seen_at is not None

    ministry = world.client_for("cuc.ngcbqlgd")
    listing = ministry.get(f"/events/{course.pk}/nominations/?status=submitted").content.decode()
    assert "Lý Thị Thiếu" in listing and "Cần ghi nhận ngoại lệ trước" in listing
    bad_nomination = Nomination.objects.get(course=course, person=bad)
    ministry.post(f"/events/nominations/{bad_nomination.pk}/act/", {"action": "confirm"})
    bad_nomination.refresh_from_db()
    assert bad_nomination.status == S.SUBMITTED  # refused: the rule needs an exception
    ministry.post(
        f"/events/nominations/{bad_nomination.pk}/act/",
        {"action": "reject", "reason": "Không đạt năm 2020"},
    )
    good = Nomination.objects.get(course=course, person=ok)
    ministry.post(f"/events/nominations/{good.pk}/act/", {"action": "confirm"})
    good.refresh_from_db(), bad_nomination.refresh_from_db()
    assert (good.status, bad_nomination.status) == (S.CONFIRMED, S.REJECTED)
    # A department cannot confirm its own nominations.
    other = services.nomination_nominate(actor=None, quota=good.quota, person=f.person())
    client.post(f"/events/nominations/{other.pk}/act/", {"action": "confirm"})
    other.refresh_from_db()
    assert other.status == S.SUBMITTED


def test_another_departments_page_and_people_are_out_of_reach(open_course, world):
    course = open_course
    camau = f.quota(course, "SGD96-2025", seats=2).department  # a quota outside its region
    client = world.client_for("so.hanoi")
    assert client.get(f"/events/{course.pk}/nominate/{camau.pk}/").status_code == 404
    stranger = f.person(department_code="SGD96-2025")
    hanoi = _hanoi(course)
    response = client.post(
        f"/events/{course.pk}/nominate/{hanoi.pk}/",
        {"action": "add", "person": stranger.pk, "audience": "gv_cot_can"},
    )
    assert response.status_code == 404
    assert not Nomination.objects.filter(person=stranger).exists()


def test_bulk_nomination_from_the_departments_spreadsheet(open_course, world):
    course = open_course
    hanoi = _hanoi(course)
    client = world.client_for("so.hanoi")
    response = client.get(f"/events/{course.pk}/nominate/{hanoi.pk}/template/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows and all(len(r[0]) == 12 for r in rows)  # eligible core staff, IDs as text

    def upload(rows):
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(["x"])
        ws.append(["y"])
        ws.append(["Số định danh cá nhân (CCCD)", "Họ và tên", "Đối tượng", "Ghi chú"])
        for row in rows:
            ws.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        buffer.name = "ds.xlsx"
        return client.post(f"/events/{course.pk}/nominate/{hanoi.pk}/upload/", {"file": buffer})

    bad = upload([list(rows[0][:3]), ["001000000000", "Không Ai", "GV cốt cán"], ["123", "", "x"]])
    assert 'data-testid="upload-errors"' in bad.content.decode()
    assert not Nomination.objects.filter(course=course).exists()  # all or nothing
    good = upload([list(rows[0][:3]), list(rows[1][:3])])
    assert 'data-testid="upload-ok"' in good.content.decode()
    assert Nomination.objects.filter(course=course, department=hanoi).count() == 2


def test_nominating_through_the_api(open_course, world):
    course = open_course
    hanoi_quota = Quota.objects.get(
        course=course, department__code="SGD01-2025", audience="gv_cot_can"
    )
    client = world.client_for("so.hanoi")
    person = f.person(result="khong_dat")
    response = client.post(
        "/api/nominations/",
        {"quota": hanoi_quota.pk, "person": person.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "submitted" and data["is_eligible"] is False
    assert any("không đạt" in n["text"] for n in data["eligibility_notes"])
    again = client.post(
        "/api/nominations/",
        {"quota": hanoi_quota.pk, "person": person.pk},
        content_type="application/json",
    )
    assert again.status_code == 400
    camau_quota = f.quota(course, "SGD96-2025", seats=2)
    assert (
        client.post(
            "/api/nominations/",
            {"quota": camau_quota.pk, "person": person.pk},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert (
        world.client_for("giangvien")
        .post(
            "/api/nominations/",
            {"quota": hanoi_quota.pk, "person": person.pk},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_mode_change_tells_the_participants(open_course, world, django_capture_on_commit_callbacks):
    course = open_course
    quota = Quota.objects.get(course=course, department__code="SGD01-2025", audience="gv_cot_can")
    services.nomination_nominate(actor=None, quota=quota, person=f.person(email="a@example.vn"))
    client = world.client_for("cuc.ngcbqlgd")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/{course.pk}/mode/", {"mode": "online", "reason": "Dịch bệnh"})
    course.refresh_from_db()
    assert course.mode == "online"
    message = next(m for m in mail.outbox if "Thay đổi hình thức" in m.subject)
    assert message.to == ["a@example.vn"] and "trực tuyến" in message.body


def test_deadline_reminders_go_once_a_day_to_departments_short_of_their_quota(
    open_course, world, django_capture_on_commit_callbacks
):
    officer = world.user("so.hanoi")
    officer.email = "so.hanoi@hanoi.edu.vn"
    officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())
    reminded = [m for m in mail.outbox if "Nhắc hạn" in m.subject]
    assert any("so.hanoi@hanoi.edu.vn" in m.to for m in reminded)
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == count


def test_results_report_page_xlsx_and_docx(world):
    client = world.client_for("so.hanoi")
    mb = _mb()
    page = client.get(f"/events/{mb.pk}/report/").content.decode()
    assert "chart-departments" in page and "vendor/chartjs/chart.umd.min.js" in page
    assert "Sở Giáo dục và Đào tạo Hà Nội" in page
    assert 'data-testid="province-map"' in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/events/{mb.pk}/report/?export=xlsx").content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][1] == "Sở GDĐT" and rows[-1][1] == "Tổng cộng"
    document = Docx(io.BytesIO(client.get(f"/events/{mb.pk}/report/?export=docx").content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([*(p.text for p in document.paragraphs), *cells])
    assert (
        "BÁO CÁO" in text and "Kế hoạch số 361/KH-BGDĐT" in text and "- Lưu: VT, NGCBQLGD." in text
    )
    region = client.get(f"/events/regions/{mb.region_id}/report/").content.decode()
    assert "361-MB" in region


def test_cascade_reach_flags_certified_teachers_who_trained_nobody(world):
    page = world.client_for("so.hanoi").get("/events/reach/").content.decode()
    assert "361-MB-HN1" in page and 'data-testid="idle-count"' in page
    assert "Sở GDĐT Cà Mau" not in page  # another province's cascade is out of scope
    ministry = world.client_for("cuc.ngcbqlgd").get("/events/reach/")
    assert "361-MN-CM1" in ministry.content.decode()
    assert 'data-testid="province-map"' in ministry.content.decode()
    by_province = ministry.context["reach"]["reach_by_province"]
    assert "01" in {p.code for p in by_province} and all(by_province.values())


def test_a_department_runs_its_own_cascade(world):
    mb = _mb()
    client = world.client_for("so.hanoi")
    hanoi = OrgUnit.objects.get(code="SGD01")
    response = client.post(
        f"/events/{mb.pk}/cascades/new/",
        {"department": hanoi.pk, "code": "361-MB-HN2", "title": "Tập huấn lại đợt 2",
         "starts_on": "2021-10-04", "ends_on": "2021-10-05", "days": 2, "capacity": 40},
    )  # fmt: skip
    assert response.status_code == 302
    cascade = Course.objects.get(code="361-MB-HN2")
    assert cascade.parent == mb and cascade.owner == hanoi
    trainer = mb.certificates.filter(status="valid", nomination__department=hanoi).first()
    not_certified = f.person()
    client.post(
        f"/events/{cascade.pk}/cascade/add/",
        {"kind": "trainer", "national_id": not_certified.national_id},
    )
    client.post(
        f"/events/{cascade.pk}/cascade/add/",
        {"kind": "trainer", "national_id": trainer.nomination.person.national_id},
    )
    client.post(
        f"/events/{cascade.pk}/cascade/add/",
        {"kind": "participant", "national_id": not_certified.national_id},
    )
    assert list(cascade.staff.values_list("person", flat=True)) == [trainer.nomination.person_id]
    assert cascade.nominations.get().person == not_certified
    # The department takes attendance on its own cascade, not on another's.
    nomination = cascade.nominations.get()
    assert (
        client.post(
            f"/events/{cascade.pk}/attendance/toggle/",
            {"nomination": nomination.pk, "day": 1, "present": "1"},
        ).status_code
        == 302
    )
    camau = Course.objects.get(code="361-MN-CM1")
    assert world.client_for("so.hanoi").get(f"/events/{camau.pk}/").status_code == 404


def test_a_teacher_sees_her_own_courses_and_certificate(world):
    page = world.client_for("giaovien").get("/events/mine/").content.decode()
    assert "361-MB" in page or "miền Bắc" in page
    assert "/verify/" in page


@pytest.mark.parametrize(
    "username,url,ceiling",
    [
        ("so.hanoi", "/events/", 12),
        ("cuc.ngcbqlgd", "/events/{mb}/nominations/", 16),
        ("so.hanoi", "/events/{mb}/certificates/", 16),
        ("giangvien", "/events/{mb}/attendance/", 14),
        ("so.hanoi", "/events/{mb}/report/", 20),
        ("so.hanoi", "/events/reach/", 16),
        ("so.hanoi", "/api/nominations/", 10),
        ("so.hanoi", "/api/certificates/", 10),
        ("cuc.ngcbqlgd", "/api/courses/", 10),
    ],
)
def test_query_counts_do_not_grow_with_rows(world, username, url, ceiling):
    client = world.client_for(username)
    url = url.format(mb=_mb().pk)
    client.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= ceiling, "\n".join(q["sql"][:200] for q in queries.captured_queries)


def test_a_call_without_a_number_is_registered_and_numbered_by_the_document_register(world):
    from boiduong.plans.models import Document

    course = f.course(capacity=30)
    services.quota_propose(actor=None, course=course)
    call = services.call_issue(
        actor=world.user("cuc.ngcbqlgd"),
        course=course,
        title="V/v cử giáo viên tham dự bồi dưỡng",
        issued_on=dt.date(2026, 2, 2),
        deadline=dt.date(2026, 2, 20),
        body="Đề nghị các Sở cử giáo viên theo chỉ tiêu.",
    )
    document = call.document
    assert document.doc_type == "CV" and document.code == call.number
    assert call.number.endswith("/BGDĐT-NGCBQLGD") and document.issued_on == dt.date(2026, 2, 2)
    assert len(document.addressees) == 15 and document.sections.get().text.startswith("Đề nghị")
    again = services.call_issue(
        actor=None, course=course, number=call.number, title="x",
        issued_on=dt.date(2026, 2, 3), deadline=dt.date(2026, 2, 20),
    )  # fmt: skip
    assert again.document == document  # the same công văn, not a second one
    mb = Course.objects.get(code="361-MB")
    assert mb.calls.get().document == Document.objects.get(code="2786/BGDĐT-NGCBQLGD", year=2021)


def test_the_ministry_sets_up_and_edits_a_course_through_the_form(world):
    from boiduong.orgs.models import Region

    client = world.client_for("cuc.ngcbqlgd")
    form = {
        "kind": "training",
        "code": "451-HT",
        "title": "Hội thảo góp ý kế hoạch kiểm tra",
        "region": Region.objects.get(code="mien-trung-tay-nguyen").pk,
        "venue": "Đà Nẵng",
        "starts_on": "2026-12-07",
        "ends_on": "2026-12-08",
        "is_tentative": "",
        "days": 2,
        "days_required": 2,
        "mode": "blended",
        "capacity": 150,
        "stated_participants": 150,
        "audiences": ["gv_cot_can", "cbql_cot_can"],
        "modules": "Góp ý dự thảo\nThống nhất mẫu biểu",
        "rule_core_staff": "on",
        "rule_year": 2025,
    }
    response = client.post("/events/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    course = Course.objects.get(code="451-HT")
    assert course.eligibility_rule == {
        "core_staff": True,
        "audience_matches": True,
        "core_staff_year": 2025,
        "training_round_year": 2025,
    }
    assert list(course.modules.values_list("title", flat=True)) == [
        "Góp ý dự thảo",
        "Thống nhất mẫu biểu",
    ]
    assert course.owner.code == "NGCBQLGD"
    bad = client.post("/events/new/", {**form, "code": "451 ht", "days_required": 5})
    assert bad.status_code == 200 and Course.objects.filter(code__startswith="451").count() == 1
    edit = client.post(f"/events/{course.pk}/edit/", {**form, "venue": "Huế", "capacity": 120})
    assert edit.status_code == 302
    course.refresh_from_db()
    assert (course.venue, course.capacity, course.mode) == ("Huế", 120, "blended")
