"""Background jobs: progress, success, and all-or-nothing failure, plus a real Celery worker."""

import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from boiduong.core import audit, jobs
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


@jobs.register("test.wait_for_a_heartbeat")
def _wait_for_a_heartbeat(job, progress):
    """Busy in one long step (no progress reported): the heartbeat must keep coming anyway."""
    first = cache.get(jobs._key(job.pk))["heartbeat_at"]
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if cache.get(jobs._key(job.pk))["heartbeat_at"] > first:
            return {"message": "alive"}
        time.sleep(0.01)
    raise AssertionError("no heartbeat while the job ran")


def _running_job(world, *, started_at):
    """A job left "running" by a worker that died."""
    return Job.objects.create(
        kind="test.rename_regions",
        title="Đổi tên",
        status=Job.Status.RUNNING,
        started_at=started_at,
        created_by=world.user("so.hanoi"),
    )


def test_a_running_job_beats_while_busy(world, settings, django_capture_on_commit_callbacks):
    settings.JOBS_HEARTBEAT_EVERY = 0.02
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            user=world.user("admin"), kind="test.wait_for_a_heartbeat", title="Chờ"
        )
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert cache.get(jobs._key(job.pk)) is None  # a finished job leaves no live entry


def test_a_dead_running_job_is_swept_after_the_limit_and_not_before(world):
    started = timezone.now()
    job = _running_job(world, started_at=started)
    assert jobs.job_sweep_stale(now=started + timedelta(minutes=14)) == 0
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING

    assert jobs.job_sweep_stale(now=started + timedelta(minutes=16)) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "15 phút" in job.message and "chưa có gì bị thay đổi" in job.message
    assert "chạy lại" in job.message
    (event,) = audit.history(job)
    assert event.actor is None and event.changes["status"] == ["running", "failed"]

    # The page its user polls shows the failure and stops polling.
    client = world.client_for("so.hanoi")
    page = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="failed"' in page and "hx-get" not in page
    assert page.count(job.message) == 1
    assert jobs.job_sweep_stale(now=started + timedelta(days=1)) == 0  # swept once


def test_a_live_job_is_not_swept(world):
    job = _running_job(world, started_at=timezone.now() - timedelta(hours=2))
    jobs.Progress(job).beat()  # what its worker does every 30 s
    try:
        assert jobs.job_sweep_stale(now=timezone.now() + timedelta(minutes=14)) == 0
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING
        # Silence is counted from the last heartbeat, not from the start.
        assert jobs.job_sweep_stale(now=timezone.now() + timedelta(minutes=16)) == 1
    finally:
        cache.delete(jobs._key(job.pk))


def test_the_limit_may_be_given_in_seconds(world, settings):
    settings.JOBS_STALE_AFTER = 60
    started = timezone.now()
    job = _running_job(world, started_at=started)
    assert jobs.job_sweep_stale(now=started + timedelta(seconds=59)) == 0
    assert jobs.job_sweep_stale(now=started + timedelta(seconds=61)) == 1
    job.refresh_from_db()
    assert "1 phút" in job.message


def test_a_queued_job_never_started_is_swept_and_never_runs_after(world):
    job = Job.objects.create(kind="test.rename_regions", title="Đổi tên")
    assert jobs.job_sweep_stale(now=job.created_at + timedelta(minutes=59)) == 0
    assert jobs.job_sweep_stale(now=job.created_at + timedelta(minutes=61)) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.started_at is None
    assert "60 phút" in job.message and "hàng đợi" in job.message
    jobs.execute(job.pk)  # the lost message turns up after all
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not Region.objects.filter(name__endswith="*").exists()


def test_a_redelivered_job_whose_worker_died_runs_again(world):
    """Celery's acks_late hands the message of a killed worker to another one: the killed
    run committed nothing, so running it again is right."""
    job = _running_job(world, started_at=timezone.now() - timedelta(minutes=5))
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert Region.objects.filter(name__endswith="*").count() == 3


def test_sweep_jobs_command_prints_the_count(world):
    job = Job.objects.create(kind="test.rename_regions", title="Đổi tên")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    out = StringIO()
    call_command("sweep_jobs", stdout=out)
    assert out.getvalue().strip() == "Swept 1 stale job(s)."


def test_celery_beat_sweeps_every_five_minutes(db, settings):
    from boiduong.celery import app

    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "core.sweep_jobs"]
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert app.tasks["core.sweep_jobs"].apply().get() == 0


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
