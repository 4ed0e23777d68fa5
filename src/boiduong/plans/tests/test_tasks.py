"""Task progress: due-state rules, updates with audit, who may update, my unit's tasks."""

from __future__ import annotations

import datetime as dt

import pytest

from boiduong.core import audit
from boiduong.plans import selectors, services
from boiduong.plans.choices import DueState, TaskStatus
from boiduong.plans.models import Document, PlanTask

from . import factories

TODAY = dt.date(2026, 11, 22)


def _task(**fields) -> PlanTask:
    plan = factories.seed_plan("361/KH-BGDĐT")
    return PlanTask(plan=plan, position=99, content="Thử", **fields)


@pytest.mark.parametrize(
    "status,ends_on,expected",
    [
        (TaskStatus.DONE, dt.date(2021, 8, 31), DueState.DONE),
        (TaskStatus.CANCELLED, dt.date(2021, 8, 31), DueState.CANCELLED),
        (TaskStatus.IN_PROGRESS, dt.date(2026, 11, 21), DueState.OVERDUE),
        (TaskStatus.NOT_STARTED, dt.date(2026, 11, 22), DueState.DUE_SOON),  # ends today
        (TaskStatus.NOT_STARTED, dt.date(2026, 12, 6), DueState.DUE_SOON),  # 14 days
        (TaskStatus.NOT_STARTED, dt.date(2026, 12, 7), DueState.ON_TIME),  # 15 days
        (TaskStatus.IN_PROGRESS, None, DueState.ON_TIME),  # no end date: nothing says it is late
    ],
)
def test_due_state_rules_in_python_and_in_sql_agree(world, status, ends_on, expected):
    task = _task(status=status, ends_on=ends_on, progress=100 if status == "done" else 0)
    assert task.due_state(TODAY) == expected
    task.save()
    annotated = selectors.with_due_state(PlanTask.objects.filter(pk=task.pk), TODAY).get()
    assert annotated.due == expected


def test_demo_kh361_shows_done_tasks_and_an_overdue_report(world):
    plan = factories.seed_plan("361/KH-BGDĐT")
    states = [t.due_state(TODAY) for t in plan.tasks.order_by("position")]
    assert states == [DueState.DONE] * 6 + [DueState.OVERDUE]
    assert plan.tasks.get(position=1).evidence.get() == plan.document


def test_task_update_rules_and_audit(world):
    task = factories.first_task(factories.hanoi_plan())
    officer = world.user("so.hanoi")
    services.task_update(actor=officer, task=task, status="not_started", progress=30, note="")
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS  # progress means it started
    evidence = factories.hanoi_plan().document
    services.task_update(
        actor=officer,
        task=task,
        status="in_progress",
        progress=100,
        note="Đã gửi danh sách báo cáo viên.",
        evidence=[evidence],
    )
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)
    assert task.notes == "Đã gửi danh sách báo cáo viên."
    event = audit.history(task).first()
    assert event.actor == officer and event.reason == "Đã gửi danh sách báo cáo viên."
    assert event.changes["status"] == ["in_progress", "done"]
    assert event.changes["progress"] == [30, 100]
    assert event.changes["evidence"] == ["", "2150/KH-SGDĐT"]
    services.task_update(actor=officer, task=task, status="done", progress=10)
    task.refresh_from_db()
    assert task.progress == 100  # done is 100%


def test_the_database_refuses_done_below_100_and_progress_out_of_range(world):
    from django.db import IntegrityError, transaction

    task = factories.first_task(factories.hanoi_plan())
    for values in ({"status": "done", "progress": 50}, {"status": "in_progress", "progress": 101}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PlanTask.objects.filter(pk=task.pk).update(**values)


def test_a_placeholder_cannot_be_evidence(world):
    task = factories.first_task(factories.hanoi_plan())
    with pytest.raises(services.TaskUpdateError):
        services.task_update(
            actor=None,
            task=task,
            status="done",
            progress=100,
            evidence=[Document.objects.get(code="51/KH-BGDĐT")],
        )


def test_task_page_update_through_http(world):
    task = factories.first_task(factories.hanoi_plan())
    client = world.client_for("so.hanoi")
    page = client.get(f"/plans/tasks/{task.pk}/edit/").content.decode()
    assert "Cập nhật nhiệm vụ 1" in page
    response = client.post(
        f"/plans/tasks/{task.pk}/edit/",
        {"status": "in_progress", "progress": 40, "note": "Đang rà soát."},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.progress, task.notes) == ("in_progress", 40, "Đang rà soát.")
    history = client.get(f"/plans/{task.plan_id}/history/").content.decode()
    assert "Đang rà soát." in history


def test_a_department_cannot_update_national_tasks_it_does_not_lead(world):
    task = factories.first_task(factories.seed_plan("361/KH-BGDĐT"))
    client = world.client_for("so.hanoi")
    assert client.get(f"/plans/tasks/{task.pk}/edit/").status_code == 403
    api = client.patch(
        f"/api/plan-tasks/{task.pk}/", {"progress": 10}, content_type="application/json"
    )
    assert api.status_code == 403
    assert world.client_for("cuc.ngcbqlgd").get(f"/plans/tasks/{task.pk}/edit/").status_code == 200


def test_api_patch_goes_through_the_service(world):
    task = factories.seed_plan("361/KH-BGDĐT").tasks.get(position=7)
    client = world.client_for("cuc.ngcbqlgd")
    response = client.patch(
        f"/api/plan-tasks/{task.pk}/",
        {"status": "done", "note": "Báo cáo đã trình Lãnh đạo Bộ."},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["progress"] == 100 and response.json()["due_state"] == "done"
    assert audit.history(task).first().reason == "Báo cáo đã trình Lãnh đạo Bộ."
    reopened = client.patch(
        f"/api/plan-tasks/{task.pk}/", {"progress": 60}, content_type="application/json"
    )
    assert reopened.json()["status"] == "in_progress"
    bad = client.patch(
        f"/api/plan-tasks/{task.pk}/", {"progress": 140}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert (
        world.client_for("thanhtra")
        .patch(f"/api/plan-tasks/{task.pk}/", {"progress": 1}, content_type="application/json")
        .status_code
        == 403
    )


def test_my_unit_tasks_follow_workplace_subtrees_and_mergers(world):
    factories.hanoi_plan()
    factories.camau_plan()

    def codes(username):
        tasks = selectors.my_unit_tasks(user=world.user(username))
        return {(t.plan.document.code, t.ordinal) for t in tasks}

    assert {o for c, o in codes("cuc.ngcbqlgd") if c == "361/KH-BGDĐT"} == {
        f"{n}." for n in range(1, 8)
    }
    assert ("87/KH-SGDĐT", "3") in codes("cuc.ngcbqlgd")  # cooperating on Cà Mau's report
    hanoi = codes("so.hanoi")  # the 2025 department inherits the 2021 department's tasks
    assert hanoi == {("2150/KH-SGDĐT", "1"), ("2150/KH-SGDĐT", "2"), ("2150/KH-SGDĐT", "3")}
    assert ("87/KH-SGDĐT", "1") in codes("so.camau")
    # A provincial plan stays within its province, even for an institution cooperating on it.
    assert ("2150/KH-SGDĐT", "2") not in codes("dhsp.hanoi")
    assert codes("thanhtra") == set()  # Thanh tra Bộ leads and cooperates on none of them
    assert ("361/KH-BGDĐT", "1.") in codes("lanhdao")  # the ministry: every unit is within it


def test_my_tasks_page_filters_by_due_state(world):
    client = world.client_for("cuc.ngcbqlgd")
    page = client.get("/plans/tasks/mine/?due=overdue").content.decode()
    assert "Xây dựng báo cáo kết quả tập huấn" in page
    assert "Biên soạn tài liệu" not in page
    done = client.get("/plans/tasks/mine/?due=done").content.decode()
    assert "Biên soạn tài liệu" in done


# --- inline editing (HTMX) ----------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_task_table_rows_open_an_inline_form_with_the_page_as_fallback(world):
    plan = factories.hanoi_plan()
    task = factories.first_task(plan)
    client = world.client_for("so.hanoi")
    table = client.get(f"/plans/{plan.pk}/tasks/").content.decode()
    assert f'hx-get="/plans/tasks/{task.pk}/inline/"' in table
    assert f'href="/plans/tasks/{task.pk}/edit/"' in table  # works without JavaScript
    row = client.get(f"/plans/tasks/{task.pk}/inline/", **HTMX).content.decode()
    assert row.lstrip().startswith("<tr") and f'id="task-{task.pk}"' in row
    assert f'id="id_task{task.pk}_status"' in row and 'name="evidence"' in row
    assert f'hx-post="/plans/tasks/{task.pk}/inline/"' in row
    cancel = client.get(f"/plans/tasks/{task.pk}/row/", **HTMX).content.decode()
    assert 'data-testid="edit-inline"' in cancel and "<form" not in cancel


def test_inline_update_saves_audits_and_returns_the_row(world):
    plan = factories.hanoi_plan()
    task = factories.first_task(plan)
    client = world.client_for("so.hanoi")
    response = client.post(
        f"/plans/tasks/{task.pk}/inline/",
        {"status": "in_progress", "progress": "60", "note": "Đã tập huấn 2 cụm.", "evidence": []},
        **HTMX,
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith("<tr") and 'data-status="in_progress"' in row
    assert "60%" in row and "Đã tập huấn 2 cụm." in row
    assert 'id="due-counts"' in row and 'hx-swap-oob="true"' in row  # the counts follow
    task.refresh_from_db()
    assert (task.status, task.progress, task.notes) == ("in_progress", 60, "Đã tập huấn 2 cụm.")
    event = audit.history(task).first()
    assert event.actor.username == "so.hanoi" and event.reason == "Đã tập huấn 2 cụm."
    assert event.changes["progress"] == [0, 60]

    invalid = client.post(
        f"/plans/tasks/{task.pk}/inline/", {"status": "done", "progress": "140"}, **HTMX
    ).content.decode()
    assert 'data-testid="task-inline-form"' in invalid and "text-danger" in invalid
    task.refresh_from_db()
    assert task.progress == 60

    plain = client.post(f"/plans/tasks/{task.pk}/inline/", {"status": "done", "progress": "100"})
    assert plain.status_code == 302 and plain["Location"].endswith(f"#task-{task.pk}")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_inline_editing_keeps_the_update_rules(world):
    national = factories.first_task(factories.seed_plan("361/KH-BGDĐT"))
    camau = factories.first_task(factories.camau_plan())
    client = world.client_for("so.hanoi")
    assert client.get(f"/plans/tasks/{national.pk}/inline/", **HTMX).status_code == 403
    post = client.post(
        f"/plans/tasks/{national.pk}/inline/", {"status": "done", "progress": "100"}, **HTMX
    )
    assert post.status_code == 403
    assert client.get(f"/plans/tasks/{camau.pk}/inline/", **HTMX).status_code == 404
    assert client.get(f"/plans/tasks/{camau.pk}/row/", **HTMX).status_code == 404
    row = client.get(f"/plans/tasks/{national.pk}/row/", **HTMX).content.decode()
    assert 'data-testid="edit-inline"' not in row  # visible, not editable
