"""Background jobs: start one, report progress, read it back, and sweep the ones that died.

A job's work runs in a Celery worker inside one database transaction, so a job that fails or
is killed leaves the database as it was. Live progress is written to the cache (shared by the
web servers and the workers), because rows written inside the job's open transaction are
invisible to the page that polls them; the Job row gets the final state.

A worker can die without a word (SIGKILL, out of memory, a machine restart) and a broker can
lose a message; the Job row would then say "running" or "queued" forever and its page would
poll forever. So a running job shows life (a heartbeat, see `Progress`), and
`job_sweep_stale`, run by Celery beat every five minutes and by `boiduong sweep_jobs`, marks
the silent ones as failed. Being all-or-nothing, such a job changed nothing, and the user can
simply start it again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .models import Job

Handler = Callable[[Job, "Progress"], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}


@dataclass(frozen=True)
class Kind:
    """What the pages say about a kind of job: its name, and where to start one again."""

    label: str | Promise
    restart: Callable[[Job], str] | None = None


KINDS: dict[str, Kind] = {}


def register(
    kind: str,
    *,
    label: str | Promise | None = None,
    restart: Callable[[Job], str] | None = None,
) -> Callable[[Handler], Handler]:
    """Declare the function that does the work of jobs of `kind`, the name the job list shows
    for them (`label`), and `restart(job)`: the URL of the page where a failed job of this
    kind is started again (the upload form, the course's certificates)."""

    def decorator(func: Handler) -> Handler:
        HANDLERS[kind] = func
        KINDS[kind] = Kind(label=label or kind, restart=restart)
        return func

    return decorator


def kind_label(kind: str) -> str:
    """The readable name of a kind of job; its code when no handler names it."""
    found = KINDS.get(kind)
    return str(found.label) if found else kind


def kind_choices() -> list[tuple[str, str]]:
    """(code, name) of every registered kind, by name: the job list's kind filter."""
    return sorted(((code, str(k.label)) for code, k in KINDS.items()), key=lambda c: c[1])


def restart_url(job: Job) -> str | None:
    """Where a failed job can be started again, if its kind says so and its parameters still
    lead there; None otherwise."""
    found = KINDS.get(job.kind)
    if found is None or found.restart is None:
        return None
    try:
        return found.restart(job)
    except (KeyError, TypeError, ValueError, NoReverseMatch):
        return None  # parameters of an older shape, or the app is gone: no way back to offer


def _key(job_id: int) -> str:
    return f"boiduong:job-progress:{job_id}"


def _limit(name: str, default: dt.timedelta) -> dt.timedelta:
    """A duration setting, given as a timedelta or as seconds."""
    value = getattr(settings, name, default)
    return value if isinstance(value, dt.timedelta) else dt.timedelta(seconds=value)


def heartbeat_every() -> float:
    """Seconds between two heartbeats of a running job; far below JOBS_STALE_AFTER."""
    return float(getattr(settings, "JOBS_HEARTBEAT_EVERY", 30))


def stale_after() -> dt.timedelta:
    """How long a running job may stay silent before it is declared dead."""
    return _limit("JOBS_STALE_AFTER", dt.timedelta(minutes=15))


def queued_stale_after() -> dt.timedelta:
    """How long a job may wait in the queue, never started, before it is declared lost."""
    return _limit("JOBS_QUEUED_STALE_AFTER", dt.timedelta(hours=1))


class Progress:
    """Handed to a job's handler: `update(done, total, message)` and `log(line)`.

    It also keeps the job's heartbeat: every write to the job's cache entry carries
    `heartbeat_at` (a POSIX timestamp), and while the job runs a small thread rewrites the
    entry every 30 seconds (`JOBS_HEARTBEAT_EVERY`), so a handler busy in one long step
    (building an index, rendering a large PDF) still shows life; only a dead process falls
    silent.

    Why the cache and not a `heartbeat_at` column: the handler runs inside one transaction,
    and a row it updates stays invisible to the sweep (and locked against it) until commit.
    Writing the column from a second connection would cost every running job an extra
    database connection, and would wait on the job's own row lock whenever the handler has
    saved the Job (a result file). The cache is already shared by every web server and worker
    (Redis in production, files on one machine) and costs one write per 30 s. If the entry is
    lost (cache flushed or evicted), the sweep falls back to the job's `started_at`. That
    cannot harm a live job on PostgreSQL, where its open transaction holds its row lock and
    the sweep skips locked rows; elsewhere a live job swept by mistake rolls its own work back
    at commit (see `execute`), so "nothing was changed" stays true.
    """

    def __init__(self, job: Job):
        self.job = job
        self.lines: list[str] = []
        self._last = -1
        self._state: dict[str, Any] = {}
        self._lock = threading.Lock()

    def update(self, done: int, total: int, message: str = "") -> None:
        percent = 100 if total <= 0 else min(100, int(done * 100 / total))
        if percent == self._last and not message:
            return
        self._last = percent
        self._write({"progress": percent, "message": message})

    def log(self, line: str) -> None:
        self.lines.append(line)

    def beat(self) -> None:
        """Say the job is alive, keeping the progress last reported."""
        self._write(None)

    def _write(self, state: dict[str, Any] | None) -> None:
        ttl = max(3600, int(stale_after().total_seconds()) * 2)
        with self._lock:  # the heartbeat thread must not put back an older percentage
            if state is not None:
                self._state = state
            cache.set(_key(self.job.pk), {**self._state, "heartbeat_at": time.time()}, ttl)


class _Heartbeat(threading.Thread):
    """Beats for a running job until stopped; dies with its process, which is the point."""

    def __init__(self, progress: Progress):
        super().__init__(name=f"job-{progress.job.pk}-heartbeat", daemon=True)
        self.progress = progress
        self.stopped = threading.Event()
        self.every = heartbeat_every()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.progress.beat()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


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
        live = cache.get(_key(job.pk)) or {}
        state.update({name: live[name] for name in ("progress", "message") if name in live})
    return state


def last_sign_of_life(job: Job, entry: dict[str, Any] | None = None) -> dt.datetime:
    """When the job last showed life: its latest heartbeat, else when it started (or was
    queued). `entry` is the job's cache entry when the caller has fetched it already."""
    if entry is None:
        entry = cache.get(_key(job.pk)) or {}
    since = job.started_at or job.created_at
    beat = entry.get("heartbeat_at")
    if beat is not None:
        since = max(since, dt.datetime.fromtimestamp(float(beat), tz=dt.UTC))
    return since


def job_sweep_stale(*, now: dt.datetime | None = None) -> int:
    """Mark as failed the jobs nobody is running any more; return how many.

    A running job is dead when it has shown no sign of life (`last_sign_of_life`) for longer
    than `settings.JOBS_STALE_AFTER` (15 minutes by default); a queued job is lost when it has
    waited longer than `settings.JOBS_QUEUED_STALE_AFTER` (an hour) without starting. On
    PostgreSQL a job whose transaction is still open holds its row lock and is skipped: its
    connection is alive, whatever the cache says. Each swept job gets a message for its user
    (in the site's language) and one audit record.
    """
    from . import audit

    now = now or timezone.now()
    silent_for, waited_for = stale_after(), queued_stale_after()
    swept: list[int] = []
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        candidates = list(
            Job.objects.select_for_update(skip_locked=True)
            .alias(since=Coalesce("started_at", "created_at"))
            .filter(
                Q(status=Job.Status.RUNNING, since__lt=now - silent_for)
                | Q(status=Job.Status.QUEUED, created_at__lt=now - waited_for)
            )
            .order_by("pk")
        )
        entries = cache.get_many(
            [_key(job.pk) for job in candidates if job.status == Job.Status.RUNNING]
        )
        for job in candidates:
            if job.status == Job.Status.RUNNING:
                since = last_sign_of_life(job, entries.get(_key(job.pk), {}))
                if since >= now - silent_for:
                    continue  # a recent heartbeat: alive, only slow
                job.message = _(
                    "The worker running this job stopped: no sign of life for more than "
                    "%(minutes)s minutes. A job is all-or-nothing, so nothing was changed; "
                    "you can start it again."
                ) % {"minutes": _minutes(silent_for)}
                reason = _("Stale job sweep: no sign of life since %(since)s.")
            else:
                since = job.created_at
                job.message = _(
                    "This job waited more than %(minutes)s minutes and never started; the "
                    "job queue probably lost it. Nothing was changed; you can start it again."
                ) % {"minutes": _minutes(waited_for)}
                reason = _("Stale job sweep: queued since %(since)s and never started.")
            job.status = Job.Status.FAILED
            job.finished_at = now
            audit.save(
                actor=None,
                instance=job,
                reason=reason % {"since": timezone.localtime(since).strftime("%H:%M %d/%m/%Y")},
            )
            swept.append(job.pk)
        keys = [_key(pk) for pk in swept]
        transaction.on_commit(lambda: cache.delete_many(keys))
    return len(swept)


def _minutes(duration: dt.timedelta) -> int:
    return max(1, round(duration.total_seconds() / 60))


class _Abandoned(Exception):
    """Raised inside a job's transaction to roll its work back: the job was declared over
    (swept, or finished by another delivery of the same message) while it ran."""


def _still_ours(job_id: int, started_at: dt.datetime) -> bool:
    """Lock the job's row and say whether this run still owns it.

    Taken when the job's transaction opens, the lock shows the sweep that this run is alive
    (PostgreSQL; SQLite has no row locks and relies on the heartbeat) and makes a second
    delivery of the same message wait for the first to end. Checked again before commit, it
    keeps a run that was swept from committing anything.
    """
    owned = Job.objects.select_for_update().filter(
        pk=job_id, status=Job.Status.RUNNING, started_at=started_at
    )
    return bool(list(owned.values_list("pk", flat=True)))


def execute(job_id: int) -> None:
    """Run one job to the end (called by the Celery task).

    A job still queued starts; so does a running one whose message came back because its worker
    died before acknowledging it (Celery's acks_late); a finished (or swept) job does not.
    """
    started_at = timezone.now()
    startable = Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    if not startable.update(status=Job.Status.RUNNING, started_at=started_at):
        return
    job = Job.objects.get(pk=job_id)
    progress = Progress(job)
    progress.beat()
    heartbeat = _Heartbeat(progress)
    heartbeat.start()
    try:
        with transaction.atomic():
            if not _still_ours(job.pk, started_at):
                raise _Abandoned
            result = HANDLERS[job.kind](job, progress) or {}
            if not _still_ours(job.pk, started_at):
                raise _Abandoned
            job.refresh_from_db(fields=["result_file"])
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.SUCCEEDED,
                progress=100,
                result=result,
                message=str(result.get("message", ""))[:500],
                log="\n".join(progress.lines),
                finished_at=timezone.now(),
            )
    except _Abandoned:
        pass  # whoever ended the job has said why
    except Exception as exc:  # the job's failure is data for the user, not a crash
        progress.log(traceback.format_exc())
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, started_at=started_at).update(
            status=Job.Status.FAILED,
            message=str(exc)[:500],
            log="\n".join(progress.lines),
            finished_at=timezone.now(),
        )
    finally:
        heartbeat.stop()
        cache.delete(_key(job.pk))
