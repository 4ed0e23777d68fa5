from django import template

from boiduong.core import jobs

register = template.Library()


@register.simple_tag
def job_state(job):
    return jobs.job_state(job)


@register.simple_tag
def job_restart_url(job):
    """Where a failed job is started again, or None: {% job_restart_url job as url %}."""
    return jobs.restart_url(job)


@register.filter
def job_kind(kind):
    return jobs.kind_label(kind)
