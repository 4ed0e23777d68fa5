from django import template

from boiduong.core.jobs import job_state as _job_state

register = template.Library()


@register.simple_tag
def job_state(job):
    return _job_state(job)
