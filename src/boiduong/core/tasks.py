from celery import shared_task


@shared_task(name="boiduong.run_job", acks_late=True)
def run_job(job_id: int) -> None:
    from .jobs import execute

    execute(job_id)
