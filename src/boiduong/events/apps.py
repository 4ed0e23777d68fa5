from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "boiduong.events"
    label = "events"
    verbose_name = _("Trainings and workshops")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the "events.certificates" job handler)
