from celery import shared_task


@shared_task(name="boiduong.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    from .jobs import execute

    execute(job_id)


@shared_task(name="core.sweep_jobs")
def sweep_jobs() -> int:
    """Celery beat runs this every five minutes: jobs whose worker died are marked failed."""
    from .jobs import job_sweep_stale

    return job_sweep_stale()
