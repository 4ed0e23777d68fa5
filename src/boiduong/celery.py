"""The Celery application: `celery -A boiduong worker` runs the background jobs."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boiduong.settings")

app = Celery("boiduong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
