"""The background jobs list and the way back from a job's page to where it is started again."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from boiduong.core.models import Job
from boiduong.events.models import Course
from boiduong.events.tasks import CERTIFICATES_JOB
from boiduong.people.services import IMPORT_JOB

HANOI_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


def _job(world, username, title, *, kind=IMPORT_JOB, status=Job.Status.SUCCEEDED, **fields):
    return Job.objects.create(
        kind=kind,
        title=title,
        status=status,
        created_by=world.user(username) if username else None,
        **fields,
    )


def test_the_list_shows_my_jobs_newest_first_and_not_others(world):
    older = _job(world, "so.hanoi", "Kiểm tra danh sách A")
    newer = _job(world, "so.hanoi", "Kiểm tra danh sách B", status=Job.Status.FAILED)
    _job(world, "so.camau", "Danh sách của Cà Mau")
    Job.objects.filter(pk=older.pk).update(
        created_at=datetime(2026, 11, 30, 8, 0, tzinfo=HANOI_TIME)
    )
    page = world.client_for("so.hanoi").get("/jobs/").content.decode()
    assert 'data-testid="job-table"' in page
    assert page.index("Kiểm tra danh sách B") < page.index("Kiểm tra danh sách A")
    assert "Danh sách của Cà Mau" not in page
    assert reverse("core:job_detail", args=[newer.pk]) in page
    # kinds read as their names, statuses as coloured badges
    assert "Nhập danh sách nhân sự" in page
    assert 'class="badge text-bg-danger" data-status="failed"' in page
    assert 'class="badge text-bg-success" data-status="succeeded"' in page
    # one's own jobs need no "started by" column
    assert "Người khởi tạo" not in page


def test_a_ministry_administrator_sees_every_job_and_who_started_it(world):
    _job(world, "so.camau", "Danh sách của Cà Mau")
    _job(world, None, "Tác vụ của hệ thống")
    page = world.client_for("admin").get("/jobs/").content.decode()
    assert "Danh sách của Cà Mau" in page and "Tác vụ của hệ thống" in page
    assert "Người khởi tạo" in page
    assert str(world.user("so.camau")) in page


def test_the_list_and_the_job_page_agree_on_who_sees_a_job(world):
    foreign = _job(world, "so.camau", "Danh sách của Cà Mau")
    client = world.client_for("so.hanoi")
    assert client.get(f"/jobs/{foreign.pk}/").status_code == 404
    assert client.get(f"/jobs/{foreign.pk}/download/").status_code == 404
    assert world.client_for("admin").get(f"/jobs/{foreign.pk}/").status_code == 200


def test_filters_by_status_kind_and_date(world):
    _job(world, "so.hanoi", "Việc xong")
    failed = _job(world, "so.hanoi", "Việc hỏng", status=Job.Status.FAILED)
    certificates = _job(
        world, "so.hanoi", "Giấy của lớp", kind=CERTIFICATES_JOB, status=Job.Status.RUNNING
    )
    Job.objects.filter(pk=failed.pk).update(
        created_at=datetime(2026, 11, 2, 9, 0, tzinfo=HANOI_TIME)
    )
    Job.objects.filter(pk=certificates.pk).update(
        created_at=datetime(2026, 11, 20, 23, 30, tzinfo=HANOI_TIME)
    )
    client = world.client_for("so.hanoi")

    def titles(query: str) -> set[str]:
        page = client.get(f"/jobs/?{query}").content.decode()
        return {t for t in ("Việc xong", "Việc hỏng", "Giấy của lớp") if t in page}

    assert titles("status=failed") == {"Việc hỏng"}
    assert titles(f"kind={CERTIFICATES_JOB}") == {"Giấy của lớp"}
    assert titles(f"kind={IMPORT_JOB}") == {"Việc xong", "Việc hỏng"}
    # dates are the user's (Hà Nội) days: 23:30 on the 20th is the 20th, not the 21st
    assert titles("since=2026-11-20&until=2026-11-20") == {"Giấy của lớp"}
    assert titles("until=2026-11-19") == {"Việc hỏng"}
    page = client.get("/jobs/").content.decode()
    assert "Tạo giấy chứng nhận" in page  # the kind filter offers registered kinds by name


def test_download_link_only_for_a_result_file(world):
    with_file = _job(world, "so.hanoi", "Có báo cáo")
    with_file.result_file.save("bao-cao-loi.xlsx", ContentFile(b"xlsx"))
    _job(world, "so.hanoi", "Không có tệp")
    page = world.client_for("so.hanoi").get("/jobs/").content.decode()
    assert page.count('data-testid="job-download"') == 1
    assert reverse("core:job_download", args=[with_file.pk]) in page


def test_export_lists_what_the_user_may_see(world):
    _job(world, "so.hanoi", "Việc của tôi", status=Job.Status.FAILED)
    _job(world, "so.camau", "Việc của Cà Mau")
    response = world.client_for("so.hanoi").get("/jobs/?export=csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    body = [" ".join(row) for row in rows[1:]]
    assert any("Việc của tôi" in row and "thất bại" in row for row in body)
    assert not any("Cà Mau" in row for row in body)


def test_list_query_count_is_flat(world, django_assert_max_num_queries):
    for index in range(30):
        status = [Job.Status.RUNNING, Job.Status.SUCCEEDED, Job.Status.FAILED][index % 3]
        _job(world, "so.hanoi", f"Việc {index}", status=status)
    for username in ("so.hanoi", "admin"):
        client = world.client_for(username)
        with django_assert_max_num_queries(8):
            assert client.get("/jobs/").status_code == 200


def test_the_menu_leads_to_the_list(world):
    page = world.client_for("so.hanoi").get("/").content.decode()
    assert 'href="/jobs/"' in page and "Tác vụ nền" in page
    assert f'hx-get="{reverse("core:job_active_count")}"' in page  # the badge, loaded later


def test_the_menu_badge_counts_the_jobs_still_to_finish(world):
    url = reverse("core:job_active_count")
    client = world.client_for("so.hanoi")
    assert "job-active-count" not in client.get(url).content.decode()  # nothing running: none
    _job(world, "so.hanoi", "Đang chạy", status=Job.Status.RUNNING)
    _job(world, "so.hanoi", "Đang chờ", status=Job.Status.QUEUED)
    _job(world, "so.hanoi", "Xong")
    _job(world, "so.camau", "Của Cà Mau", status=Job.Status.RUNNING)
    badge = client.get(url).content.decode()
    assert 'data-testid="job-active-count"' in badge and ">2</span>" in badge
    assert ">3</span>" in world.client_for("admin").get(url).content.decode()


def test_job_page_has_a_breadcrumb_to_the_list(world):
    job = _job(world, "so.hanoi", "Kiểm tra danh sách nhân sự: gv.xlsx")
    page = world.client_for("so.hanoi").get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="breadcrumb"' in page
    assert f'<a href="{reverse("core:job_list")}">Tác vụ nền</a>' in page
    assert 'data-testid="job-restart"' not in page  # nothing failed


def test_a_failed_people_check_offers_to_upload_again(world):
    job = _job(
        world,
        "so.hanoi",
        "Kiểm tra danh sách nhân sự: gv.xlsx",
        status=Job.Status.FAILED,
        params={"dry_run": True, "filename": "gv.xlsx"},
        message="Máy chủ bị dừng",
    )
    page = world.client_for("so.hanoi").get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="{reverse("people:import")}" data-testid="job-restart"' in page
    assert "Thử lại" in page


def test_a_failed_people_import_goes_back_to_its_checked_file(world):
    preview = _job(world, "so.hanoi", "Kiểm tra", params={"dry_run": True, "filename": "gv.xlsx"})
    job = _job(
        world,
        "so.hanoi",
        "Nhập danh sách nhân sự: gv.xlsx",
        status=Job.Status.FAILED,
        params={"dry_run": False, "filename": "gv.xlsx", "preview": preview.pk},
    )
    page = world.client_for("so.hanoi").get(f"/jobs/{job.pk}/").content.decode()
    restart = reverse("people:import_detail", args=[preview.pk])
    assert f'href="{restart}" data-testid="job-restart"' in page


def test_failed_certificates_go_back_to_the_course(world):
    course = Course.objects.get(code="361-MB")
    job = _job(
        world,
        "admin",
        "Giấy chứng nhận của 361-MB",
        kind=CERTIFICATES_JOB,
        status=Job.Status.FAILED,
        params={"course": course.pk},
    )
    page = world.client_for("admin").get(f"/jobs/{job.pk}/").content.decode()
    restart = reverse("events:certificate_list", args=[course.pk])
    assert f'href="{restart}" data-testid="job-restart"' in page


@pytest.mark.parametrize("kind", ["unknown.kind", CERTIFICATES_JOB])
def test_a_failed_job_with_no_known_way_back_offers_the_list(world, kind):
    # an unregistered kind; certificates whose parameters lack the course
    job = _job(world, "so.hanoi", "Việc lạ", kind=kind, status=Job.Status.FAILED)
    page = world.client_for("so.hanoi").get(f"/jobs/{job.pk}/").content.decode()
    assert f'href="{reverse("core:job_list")}" data-testid="job-restart"' in page
    if kind == "unknown.kind":
        assert "unknown.kind" in page  # an unnamed kind shows its code


def test_the_table_refreshes_itself_while_a_job_runs(world):
    _job(world, "so.hanoi", "Đang chạy", status=Job.Status.RUNNING)
    client = world.client_for("so.hanoi")
    page = client.get("/jobs/").content.decode()
    assert 'data-testid="job-list-poll"' in page and 'data-status="running"' in page
    partial = client.get("/jobs/?status=running", HTTP_HX_REQUEST="true").content.decode()
    assert "Đang chạy" in partial and "<html" not in partial
