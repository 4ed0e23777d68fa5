"""Celery app for the real-worker test: the project's app plus the test job handler."""

import django

django.setup()

from boiduong.celery import app  # noqa: E402
from boiduong.core.tests import test_jobs  # noqa: E402,F401  (registers the test handler)

__all__ = ["app"]
