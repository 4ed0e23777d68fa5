"""Background jobs: start one, report progress, read it back.

A job's work runs in a Celery worker inside one database transaction, so a job that fails or
is killed leaves the database as it was. Live progress is written to the cache (shared by the
web servers and the workers), because rows written inside the job's open transaction are
invisible to the page that polls them; the Job row gets the final state.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Job

Handler = Callable[[Job, "Progress"], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    """Declare the function that does the work of jobs of `kind`."""

    def decorator(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return decorator


def _key(job_id: int) -> str:
    return f"boiduong:job-progress:{job_id}"


class Progress:
    """Handed to a job's handler: `update(done, total, message)` and `log(line)`."""

    def __init__(self, job: Job):
        self.job = job
        self.lines: list[str] = []
        self._last = -1

    def update(self, done: int, total: int, message: str = "") -> None:
        percent = 100 if total <= 0 else min(100, int(done * 100 / total))
        if percent == self._last and not message:
            return
        self._last = percent
        cache.set(_key(self.job.pk), {"progress": percent, "message": message}, 3600)

    def log(self, line: str) -> None:
        self.lines.append(line)


def job_start(
    *,
    user,
    kind: str,
    title: str,
    params: dict | None = None,
    input_file=None,
) -> Job:
    """Record a job and queue it once the current transaction commits."""
    from .tasks import run_job

    if kind not in HANDLERS:
        raise KeyError(f"No handler registered for job kind {kind!r}")
    job = Job(kind=kind, title=title, params=params or {}, created_by=user)
    if input_file is not None:
        job.input_file = input_file
    job.save()
    transaction.on_commit(lambda: run_job.delay(job.pk))
    return job


def job_state(job: Job) -> dict[str, Any]:
    """Status, percentage and message, live while the job runs."""
    state = {"status": job.status, "progress": job.progress, "message": job.message}
    if job.status == Job.Status.RUNNING:
        live = cache.get(_key(job.pk))
        if live:
            state.update(live)
    return state


def execute(job_id: int) -> None:
    """Run one job to the end (called by the Celery task)."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    progress = Progress(job)
    try:
        with transaction.atomic():
            result = HANDLERS[job.kind](job, progress) or {}
    except Exception as exc:  # the job's failure is data for the user, not a crash
        progress.log(traceback.format_exc())
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            message=str(exc)[:500],
            log="\n".join(progress.lines),
            finished_at=timezone.now(),
        )
    else:
        job.refresh_from_db(fields=["result_file"])
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED,
            progress=100,
            result=result,
            message=str(result.get("message", ""))[:500],
            log="\n".join(progress.lines),
            finished_at=timezone.now(),
        )
    cache.delete(_key(job.pk))
