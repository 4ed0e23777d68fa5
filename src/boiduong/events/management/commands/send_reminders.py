"""`boiduong send_reminders`: e-mail the departments whose nomination deadline is near and whose
quota is not filled yet. Celery beat runs the same every hour (events.send_reminders); this
command is for running it by hand or from cron where no beat runs."""

from django.core.management.base import BaseCommand

from boiduong.events.services import reminders_send


class Command(BaseCommand):
    help = "E-mail deadline reminders for calls for nominations (once a day per department)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="Remind this many days ahead.")

    def handle(self, *args, days: int, **options):
        sent = reminders_send(days_before=days)
        self.stdout.write(f"{sent} department(s) reminded.")
