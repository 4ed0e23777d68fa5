"""PATCH /api/plan-tasks/<id>/: the task edit page's rules, through the same service, with
JSON errors in Vietnamese (test_tasks.py covers the happy path and the reopening rule)."""

from __future__ import annotations

from boiduong.core import audit
from boiduong.plans.models import Document

from . import factories


def _patch(client, task, body):
    return client.patch(f"/api/plan-tasks/{task.pk}/", body, content_type="application/json")


def test_a_department_updates_its_own_plans_task(world):
    task = factories.first_task(factories.hanoi_plan())
    evidence = task.plan.document
    response = _patch(
        world.client_for("so.hanoi"),
        task,
        {
            "status": "in_progress",
            "progress": 30,
            "note": "Đã họp triển khai.",
            "evidence": [evidence.pk],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["progress"], body["evidence"]) == (
        "in_progress",
        30,
        [evidence.pk],
    )
    assert audit.history(task).first().reason == "Đã họp triển khai."


def test_a_citation_cannot_prove_a_task_and_the_service_says_why_in_vietnamese(world):
    task = factories.seed_plan("361/KH-BGDĐT").tasks.get(position=7)
    citation = Document.objects.get(code="51/KH-BGDĐT")  # known only as a legal basis
    assert citation.is_placeholder
    client = world.client_for("cuc.ngcbqlgd")
    response = _patch(client, task, {"status": "done", "evidence": [citation.pk]})
    assert response.status_code == 400
    assert response.json() == {
        "detail": ["Văn bản mới chỉ được dẫn chiếu không thể làm minh chứng."]
    }
    unknown = _patch(client, task, {"evidence": [10**9]})
    assert unknown.status_code == 400 and unknown.json()["evidence"] == ["Không tìm thấy văn bản."]
    task.refresh_from_db()
    assert task.status != "done" and not task.evidence.exists()


def test_who_may_patch_a_task(world):
    hanoi = factories.first_task(factories.hanoi_plan())
    camau = factories.first_task(factories.camau_plan())
    national = factories.first_task(factories.seed_plan("361/KH-BGDĐT"))
    officer = world.client_for("so.hanoi")
    assert _patch(world.client_for(None), hanoi, {"progress": 5}).status_code in {401, 403}
    assert _patch(officer, camau, {"progress": 5}).status_code == 404  # another province
    refused = _patch(officer, national, {"progress": 5})  # a national task Hà Nội does not lead
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Bạn không được cập nhật nhiệm vụ này."}
    # an inspector sees the plan but updates nothing: 403 before the task is looked up
    assert _patch(world.client_for("thanhtra"), hanoi, {"progress": 5}).status_code == 403
    assert _patch(world.client_for("thanhtra"), camau, {"progress": 5}).status_code == 403
    put = officer.put(f"/api/plan-tasks/{hanoi.pk}/", {}, content_type="application/json")
    assert put.status_code == 405
    hanoi.refresh_from_db()
    assert hanoi.progress != 5
