"""Badges for task states: {% due_badge task.due %}, {% status_badge task %}."""

from django import template
from django.utils.html import format_html

from boiduong.plans.choices import DueState, TaskStatus

register = template.Library()

DUE_CLASSES = {
    DueState.ON_TIME: "text-bg-light border",
    DueState.DUE_SOON: "text-bg-warning",
    DueState.OVERDUE: "text-bg-danger",
    DueState.DONE: "text-bg-success",
    DueState.CANCELLED: "text-bg-secondary",
}
DUE_ICONS = {
    DueState.ON_TIME: "clock",
    DueState.DUE_SOON: "hourglass-split",
    DueState.OVERDUE: "exclamation-triangle",
    DueState.DONE: "check-circle",
    DueState.CANCELLED: "x-circle",
}
STATUS_CLASSES = {
    TaskStatus.NOT_STARTED: "text-bg-light border",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.DONE: "text-bg-success",
    TaskStatus.CANCELLED: "text-bg-secondary",
}


@register.simple_tag
def due_badge(state):
    if not state:
        return ""
    state = DueState(state)
    return format_html(
        '<span class="badge {}" data-due="{}"><i class="bi bi-{}"></i> {}</span>',
        DUE_CLASSES[state],
        state.value,
        DUE_ICONS[state],
        state.label,
    )


@register.simple_tag
def status_badge(task):
    status = TaskStatus(task.status)
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        STATUS_CLASSES[status],
        status.value,
        status.label,
    )


@register.simple_tag
def progress_bar(value):
    value = max(0, min(100, int(value or 0)))
    css = "bg-success" if value == 100 else "bg-primary"
    return format_html(
        '<div class="d-flex align-items-center gap-1">'
        '<div class="progress bd-progress flex-grow-1" '
        'role="progressbar" aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100" '
        'aria-label="{}%"><div class="progress-bar {}" style="width: {}%"></div></div>'
        '<span class="small text-secondary bd-progress-value">{}%</span></div>',
        value,
        value,
        css,
        value,
        value,
    )
