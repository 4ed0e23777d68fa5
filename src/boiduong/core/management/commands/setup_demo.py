from django.core.management.base import BaseCommand
from django.db import transaction

from boiduong.core import demo


class Command(BaseCommand):
    help = "Load reference data and build the demo world from the seeds (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.build(log=lambda line: self.stdout.write(line))
        self.stdout.write(self.style.SUCCESS("Demo world ready."))
