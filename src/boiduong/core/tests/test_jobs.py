"""Background jobs: progress, success, and all-or-nothing failure, plus a real Celery worker."""

import os
import shutil
import subprocess
import sys
import time

import pytest
from django.db import connection

from boiduong.core import jobs
from boiduong.core.models import Job
from boiduong.orgs.models import Region


@jobs.register("test.rename_regions")
def _rename_regions(job, progress):
    regions = list(Region.objects.order_by("order"))
    for index, region in enumerate(regions, start=1):
        region.name = f"{region.name} *"
        region.save()
        progress.update(index, len(regions), f"{index}/{len(regions)}")
        if job.params.get("fail_after") == index:
            raise RuntimeError("Máy chủ bị dừng giữa chừng")
    return {"message": f"{len(regions)} miền đã đổi tên"}


def test_job_succeeds_and_reports(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(user=world.user("admin"), kind="test.rename_regions", title="Đổi tên")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert job.message == "3 miền đã đổi tên"
    assert Region.objects.filter(name__endswith="*").count() == 3


def test_failed_job_changes_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            user=world.user("admin"),
            kind="test.rename_regions",
            title="Đổi tên",
            params={"fail_after": 2},
        )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "giữa chừng" in job.message
    assert not Region.objects.filter(name__endswith="*").exists()


def test_job_page_shows_progress_to_its_owner_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            user=world.user("so.hanoi"), kind="test.rename_regions", title="Đổi tên"
        )
    page = world.client_for("so.hanoi").get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-status="succeeded"' in page and "100%" in page
    assert world.client_for("so.camau").get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres") is False
    or shutil.which("redis-server") is None,
    reason="a real worker needs a database and broker shared across processes (PostgreSQL + Redis)",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_celery_worker_runs_a_job_through_redis():
    """The production path: web process queues on Redis, a separate worker process runs it."""
    from boiduong.core import demo

    demo.build(log=lambda line: None)
    env = {
        **os.environ,
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "DATABASE_URL": _test_database_url(),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "boiduong.core.tests.worker_app",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
        ],
        env=env,
    )
    try:
        from celery import Celery

        job = Job.objects.create(kind="test.rename_regions", title="Đổi tên")
        sender = Celery("sender", broker=env["CELERY_BROKER_URL"])
        sender.send_task("boiduong.run_job", args=[job.pk])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.3)
        assert job.status == Job.Status.SUCCEEDED, job.log
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
