"""Deadline reminders run by Celery beat, not only by hand."""

import datetime as dt

from django.conf import settings
from django.core import mail

from boiduong.celery import app
from boiduong.events import services, tasks

from . import factories as f


def test_the_beat_schedule_names_a_registered_task():
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_the_hourly_task_reminds_each_department_once_a_day(
    world, django_capture_on_commit_callbacks
):
    officer = world.user("so.hanoi")
    officer.email = "so.hanoi@hanoi.edu.vn"
    officer.save()
    course = f.course(capacity=68)
    services.quota_propose(actor=None, course=course)
    services.call_issue(
        actor=world.user("cuc.ngcbqlgd"),
        course=course,
        number="124/BGDĐT-NGCBQLGD",
        title="V/v cử tham dự",
        issued_on=dt.date.today(),
        deadline=dt.date.today() + dt.timedelta(days=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_reminders.delay().get()
    assert first > 0
    assert any("Nhắc hạn" in m.subject and officer.email in m.to for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders.delay().get() == 0
