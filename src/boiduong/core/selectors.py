"""Scoped reads of what core owns: background jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from . import access
from .models import Job


def job_sees_all(user) -> bool:
    """Whether `user` may see every user's jobs: a ministry administrator (who reads the whole
    audit trail) or a superuser. Everyone else sees only the jobs they started."""
    return bool(user.is_superuser) or access.has_perm(user, "audit.view_all")


def job_list(*, user) -> QuerySet[Job]:
    """The jobs `user` may see, newest first. The job list, the job page and its download all
    read through this, so a job the list does not show is a 404 on its page."""
    jobs = Job.objects.select_related("created_by").order_by("-created_at", "-pk")
    if job_sees_all(user):
        return jobs
    return jobs.filter(created_by=user)
