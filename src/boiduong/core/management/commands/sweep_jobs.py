from django.core.management.base import BaseCommand

from boiduong.core.jobs import job_sweep_stale


class Command(BaseCommand):
    help = (
        "Mark as failed the background jobs whose worker died (silent longer than "
        "JOBS_STALE_AFTER) or that never left the queue (JOBS_QUEUED_STALE_AFTER). "
        "Celery beat does this every five minutes."
    )

    def handle(self, *args, **options):
        swept = job_sweep_stale()
        self.stdout.write(f"Swept {swept} stale job(s).")
