"""API: programmes, documents, plans and tasks (read), and task progress (PATCH).

Everything reads through the access layer: a provincial plan, its document and its tasks are
404 outside the owning department's scope. PATCH on a task goes through `services.task_update`
(audited) and needs plans.update_task on the plan's owner or the task's lead unit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from boiduong.core import access
from boiduong.core.api import ScopedReadOnlyViewSet, service_error

from . import selectors, services
from .choices import TaskStatus
from .filters import DocumentFilter, ProgrammeFilter, TaskFilter
from .models import Document, Indicator, LegalBasis, Plan, PlanTask, Programme


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "baseline", "target", "year", "source"]


class ProgrammeSerializer(serializers.ModelSerializer):
    deciding_document_code = serializers.CharField(source="deciding_document.code", default=None)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "start_year",
            "end_year",
            "objectives",
            "deciding_document",
            "deciding_document_code",
            "indicators",
        ]


class LegalBasisSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="cited.code")
    issued_on = serializers.DateField(source="cited.issued_on")
    document = serializers.IntegerField(source="cited_id")

    class Meta:
        model = LegalBasis
        fields = ["document", "code", "issued_on", "sentence"]


class DocumentSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)
    legal_basis = LegalBasisSerializer(source="basis_links", many=True, read_only=True)
    plan = serializers.IntegerField(source="plan.pk", default=None, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "doc_type",
            "number",
            "year",
            "notation",
            "code",
            "state",
            "issuer",
            "issuer_name",
            "drafting_unit_abbr",
            "place",
            "issued_on",
            "signer_name",
            "signer_title",
            "signer_authority",
            "signer_principal",
            "title",
            "recipients",
            "legal_basis",
            "plan",
        ]


class PlanSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="document.code")
    title = serializers.CharField(source="document.title")
    issued_on = serializers.DateField(source="document.issued_on")

    class Meta:
        model = Plan
        fields = [
            "id",
            "document",
            "code",
            "title",
            "issued_on",
            "kind",
            "year",
            "programme",
            "parent",
            "owner",
            "purpose",
            "requirements",
            "content",
            "participants",
            "locations",
            "timing",
            "mode",
            "funding",
        ]


class PlanTaskSerializer(serializers.ModelSerializer):
    due_state = serializers.CharField(source="due", read_only=True)
    cooperating_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PlanTask
        fields = [
            "id",
            "plan",
            "ordinal",
            "content",
            "period_text",
            "starts_on",
            "ends_on",
            "product",
            "lead_unit",
            "lead_unit_text",
            "cooperating_units",
            "cooperating_text",
            "status",
            "progress",
            "due_state",
            "evidence",
            "notes",
        ]
        read_only_fields = fields


class TaskUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices, required=False)
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False)


class ProgrammeViewSet(ScopedReadOnlyViewSet):
    """Programmes (Đề án) with their indicators."""

    permission = "plans.view"
    queryset = Programme.objects.select_related("deciding_document").prefetch_related("indicators")
    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter


class DocumentViewSet(ScopedReadOnlyViewSet):
    """Documents; filter with `?doc_type=KH&year=2021&state=issued&q=tap huan`."""

    permission = "documents.view"
    queryset = Document.objects.select_related("plan").prefetch_related(
        Prefetch("basis_links", queryset=LegalBasis.objects.select_related("cited"))
    )
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter


class PlanViewSet(ScopedReadOnlyViewSet):
    """Plans; provincial plans only within the owning department's scope."""

    permission = "plans.view"
    queryset = Plan.objects.select_related("document")
    serializer_class = PlanSerializer
    filterset_fields = ["programme", "parent", "kind", "year"]


class PlanTaskViewSet(ScopedReadOnlyViewSet):
    """Plan tasks with their due state; `?due=overdue`, `?plan=<id>`. PATCH `status`,
    `progress`, `note`, `evidence` (document ids) to record progress (plans.update_task on
    the plan's owner or the task's lead unit, as on the task's edit page)."""

    permission = "plans.view"
    action_permissions = {"partial_update": "plans.update_task"}
    queryset = PlanTask.objects.all()
    serializer_class = PlanTaskSerializer
    filterset_class = TaskFilter

    def base_queryset(self):
        tasks = PlanTask.objects.select_related("plan__owner", "lead_unit").prefetch_related(
            "cooperating_units", "evidence"
        )
        return selectors.with_due_state(tasks, timezone.localdate()).order_by("plan", "position")

    def get_queryset(self):
        # Tasks are found by what the user sees (plans.view), then the update rule decides:
        # a department sees a national plan's tasks and updates those its unit leads.
        queryset = access.restrict(self.base_queryset(), self.request.user, self.permission)
        plan = self.request.query_params.get("plan")
        return queryset.filter(plan_id=plan) if plan and plan.isdigit() else queryset

    @extend_schema(request=TaskUpdateSerializer, responses=PlanTaskSerializer)
    def partial_update(self, request, *args, **kwargs):
        task = self.get_object()
        if not selectors.can_update_task(request.user, task):
            raise PermissionDenied(_("You may not update this task."))
        data = TaskUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        evidence = None
        if "evidence" in values:
            # any document the user sees; the service refuses a bare citation, with its reason
            visible = selectors.document_list(user=request.user)
            evidence = list(visible.filter(pk__in=values["evidence"]))
            if len(evidence) != len(set(values["evidence"])):
                raise ValidationError({"evidence": [_("Unknown document.")]})
        status = values.get("status", task.status)
        if "status" not in values and values.get("progress", 100) < 100:
            # lowering the progress of a finished task reopens it
            status = TaskStatus.IN_PROGRESS if task.status == TaskStatus.DONE else status
        try:
            services.task_update(
                actor=request.user,
                task=task,
                status=status,
                progress=values.get(
                    "progress", 100 if status == TaskStatus.DONE else task.progress
                ),
                note=values.get("note"),
                evidence=evidence,
            )
        except services.TaskUpdateError as exc:
            raise ValidationError({"detail": [str(exc)]}) from exc
        except DjangoValidationError as exc:  # the task's own constraints (full_clean)
            raise service_error(exc) from exc
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


def register(router) -> None:
    router.register("programmes", ProgrammeViewSet, basename="programme")
    router.register("documents", DocumentViewSet, basename="document")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("plan-tasks", PlanTaskViewSet, basename="plantask")
