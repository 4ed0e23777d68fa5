"""boiduong: Vietnam's national teacher-training programmes, run as software."""

from .celery import app as celery_app

__all__ = ["celery_app"]
