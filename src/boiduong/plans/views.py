from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from boiduong.core import access, audit
from boiduong.core.views import ObjectDetailView, ObjectListView, PermissionMixin

from . import rendering, selectors, services
from .filters import DocumentFilter, ProgrammeFilter, TaskFilter
from .forms import ImportConfirmForm, PlanImportForm, TaskUpdateForm
from .importing import plan_import_preview
from .models import Document, ImportDraft, PlanTask, Programme
from .parsing import DocumentParseError, parse_document
from .tables import DocumentTable, ProgrammeTable, TaskTable
from .timeline import build_timeline


def _import_action(user) -> list[tuple[str, str, str]]:
    if access.has_perm(user, "plans.manage"):
        return [(gettext("Import a plan"), reverse("plans:import"), "upload")]
    return []


# --- programmes ---------------------------------------------------------------------------------


class ProgrammeListView(ObjectListView):
    permission = "plans.view"
    model = Programme
    filterset_class = ProgrammeFilter
    table_class = ProgrammeTable
    title = _("Programmes")
    export_name = "de-an"

    def get_queryset(self):
        return selectors.programme_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = _import_action(self.request.user)
        return context


class ProgrammeDetailView(ObjectDetailView):
    permission = "plans.view"
    model = Programme
    template_name = "plans/programme_detail.html"

    def base_queryset(self):
        return Programme.objects.select_related("deciding_document")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["indicators"] = self.object.indicators.all()
        context["tree"] = selectors.plan_tree(user=self.request.user, programme=self.object)
        context["actions"] = _import_action(self.request.user)
        return context


# --- documents ----------------------------------------------------------------------------------


class DocumentListView(ObjectListView):
    permission = "documents.view"
    model = Document
    filterset_class = DocumentFilter
    table_class = DocumentTable
    title = _("Documents")
    export_name = "van-ban"

    def get_queryset(self):
        return selectors.document_list(user=self.request.user)


class DocumentDetailView(ObjectDetailView):
    permission = "documents.view"
    model = Document
    template_name = "plans/document_detail.html"

    def get_object(self, queryset=None):
        return selectors.document_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = self.object
        user = self.request.user
        context["cites"], context["cited_by"] = selectors.document_citations(
            user=user, document=document
        )
        context["sections"] = document.sections.all()
        context["appendices"] = document.appendices.all()
        context["attachments"] = document.attachments.all()
        plan = getattr(document, "plan", None)
        context["plan"] = (
            plan if plan and selectors.plan_list(user=user).filter(pk=plan.pk).exists() else None
        )
        context["proves"] = selectors.task_list(user=user).filter(evidence=document)
        context["can_sign"] = document.state == "draft" and access.has_perm(
            user, "documents.manage"
        )
        return context


class DocumentFileView(PermissionMixin, View):
    """The document rendered to DOCX or PDF in the national format (Nghị định 30/2020)."""

    permission = "documents.view"
    fmt = "docx"

    def get(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        try:
            if self.fmt == "pdf":
                content, content_type = rendering.document_pdf(document), rendering.PDF_TYPE
            else:
                content, content_type = rendering.document_docx(document), rendering.DOCX_TYPE
        except rendering.NotRenderable as exc:
            raise Http404(str(exc)) from exc
        response = HttpResponse(content, content_type=content_type)
        name = rendering.file_name(document, self.fmt)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class AttachmentDownloadView(PermissionMixin, View):
    permission = "documents.view"

    def get(self, request, pk, attachment_pk):
        document = selectors.document_get(user=request.user, pk=pk)
        attachment = get_object_or_404(document.attachments, pk=attachment_pk)
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.name
        )


class DocumentSignView(PermissionMixin, View):
    """POST: give a draft its number from the issuer's register."""

    permission = "documents.manage"

    def get(self, request, pk):
        selectors.document_get(user=request.user, pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        try:
            document = services.document_sign(actor=request.user, document=document)
        except services.DocumentSignError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                gettext("Signed and numbered %(code)s.") % {"code": document.code},
            )
        return redirect(document.get_absolute_url())


# --- plans --------------------------------------------------------------------------------------


class PlanTabView(PermissionMixin, View):
    """One tab of a plan's page: overview, tasks, timeline, history."""

    permission = "plans.view"
    tab = "overview"
    template_name = "plans/plan_detail.html"

    def get(self, request, pk):
        plan = selectors.plan_get(user=request.user, pk=pk)
        today = timezone.localdate()
        tasks = selectors.plan_tasks(user=request.user, plan=plan, today=today)
        context = {
            "plan": plan,
            "document": plan.document,
            "tab": self.tab,
            "tasks": tasks,
            "counts": selectors.due_counts(tasks),
            "today": today,
            "title": plan.document.short_label,
            "can_update": access.has_perm(request.user, "plans.update_task"),
        }
        context.update(self.extra(plan=plan, tasks=tasks, today=today))
        return render(request, self.template_name, context)

    def extra(self, *, plan, tasks, today) -> dict:
        return {
            "ancestors": [
                p
                for p in plan.ancestors()
                if selectors.plan_list(user=self.request.user).filter(pk=p.pk).exists()
            ],
            "children": selectors.plan_children(user=self.request.user, plan=plan),
            "responsibilities": plan.responsibilities.select_related("unit"),
        }


class PlanTasksView(PlanTabView):
    tab = "tasks"
    template_name = "plans/plan_tasks.html"

    def extra(self, *, plan, tasks, today) -> dict:
        user = self.request.user
        return {"editable": {task.pk for task in tasks if selectors.can_update_task(user, task)}}


class PlanTimelineView(PlanTabView):
    tab = "timeline"
    template_name = "plans/plan_timeline.html"

    def extra(self, *, plan, tasks, today) -> dict:
        return {"timeline": build_timeline(tasks, today=today)}


class PlanHistoryView(PlanTabView):
    tab = "history"
    template_name = "plans/plan_history.html"

    def extra(self, *, plan, tasks, today) -> dict:
        return {"history": selectors.plan_history(plan=plan)[:200]}


class TaskEditView(PermissionMixin, View):
    """A task's status, progress, note and evidence (`services.task_update`, audited)."""

    permission = "plans.update_task"
    template_name = "plans/task_edit.html"

    def _task(self, request, pk) -> PlanTask:
        task = access.get_or_404(
            PlanTask.objects.select_related("plan__document", "plan__owner", "lead_unit"),
            request.user,
            "plans.view",
            pk=pk,
        )
        if not selectors.can_update_task(request.user, task):  # type: ignore[arg-type]
            raise PermissionDenied
        return task  # type: ignore[return-value]

    def _render(self, request, task, form):
        return render(
            request,
            self.template_name,
            {
                "task": task,
                "plan": task.plan,
                "form": form,
                "history": audit.history(task)[:30],
                "title": gettext("Update task %(ordinal)s") % {"ordinal": task.ordinal},
            },
        )

    def get(self, request, pk):
        task = self._task(request, pk)
        form = TaskUpdateForm(
            initial={
                "status": task.status,
                "progress": task.progress,
                "note": task.notes,
                "evidence": list(task.evidence.all()),
            },
            documents=selectors.evidence_choices(user=request.user),
        )
        return self._render(request, task, form)

    def post(self, request, pk):
        task = self._task(request, pk)
        form = TaskUpdateForm(request.POST, documents=selectors.evidence_choices(user=request.user))
        if not form.is_valid():
            return self._render(request, task, form)
        try:
            services.task_update(
                actor=request.user,
                task=task,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
        except services.TaskUpdateError as exc:
            form.add_error(None, str(exc))
            return self._render(request, task, form)
        messages.success(request, gettext("Task %(ordinal)s updated.") % {"ordinal": task.ordinal})
        return redirect(task.get_absolute_url())


class MyTasksView(ObjectListView):
    """Tasks the user's unit leads or cooperates on, across every plan they may see."""

    permission = "plans.view"
    model = PlanTask
    filterset_class = TaskFilter
    table_class = TaskTable
    title = _("My unit's tasks")
    export_name = "nhiem-vu-don-vi"
    template_name = "plans/my_tasks.html"

    def get_queryset(self):
        return selectors.my_unit_tasks(user=self.request.user).order_by("ends_on", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workplace"] = self.request.user.workplace
        return context


# --- import -------------------------------------------------------------------------------------


class PlanImportView(PermissionMixin, View):
    """Paste or upload a plan; nothing is saved until its preview is confirmed."""

    permission = "plans.manage"
    template_name = "plans/import.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": PlanImportForm(), "title": gettext("Import a plan")},
        )

    def post(self, request):
        form = PlanImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "title": gettext("Import a plan")}
            )
        draft = services.plan_import_draft_create(
            actor=request.user,
            text=form.cleaned_data["text"],
            filename=form.cleaned_data["filename"],
            data=form.cleaned_data["data"],
        )
        return redirect("plans:import_preview", pk=draft.pk)


class ImportDraftMixin(PermissionMixin):
    permission = "plans.manage"
    template_name = "plans/import_preview.html"

    def _draft(self, request, pk) -> ImportDraft:
        return get_object_or_404(ImportDraft, pk=pk, created_by=request.user)

    def _form(self, request, preview=None, data=None):
        user = request.user
        initial = {}
        if preview is not None:
            initial = {
                "programme": preview.programme,
                "parent": preview.parent,
                "kind": preview.kind,
            }
        return ImportConfirmForm(
            data,
            initial=initial,
            programmes=Programme.objects.all(),
            plans=selectors.plan_list(user=user).order_by("-year", "document__code"),
        )

    def _render(self, request, draft, form, preview):
        return render(
            request,
            self.template_name,
            {
                "draft": draft,
                "form": form,
                "preview": preview,
                "parsed": preview.parsed if preview else None,
                "title": gettext("Check the plan before importing it"),
            },
        )


class PlanImportPreviewView(ImportDraftMixin, View):
    def get(self, request, pk):
        draft = self._draft(request, pk)
        if draft.plan_id:
            return redirect("plans:plan_detail", pk=draft.plan_id)
        try:
            parsed = parse_document(draft.text)
        except DocumentParseError as exc:  # the parser changed since the upload
            messages.error(request, str(exc))
            return redirect("plans:import")
        preview = plan_import_preview(parsed=parsed)
        return self._render(request, draft, self._form(request, preview), preview)


class PlanImportConfirmView(ImportDraftMixin, View):
    def get(self, request, pk):
        self._draft(request, pk)
        return redirect("plans:import_preview", pk=pk)

    def post(self, request, pk):
        draft = self._draft(request, pk)
        form = self._form(request, data=request.POST)
        if form.is_valid():
            try:
                plan = services.plan_import_draft_confirm(
                    actor=request.user,
                    draft=draft,
                    programme=form.cleaned_data["programme"],
                    parent=form.cleaned_data["parent"],
                    kind=form.cleaned_data["kind"],
                    replace=form.cleaned_data["replace"],
                )
            except (services.PlanImportError, DocumentParseError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    gettext("Plan %(code)s imported with %(count)s tasks.")
                    % {
                        "code": plan.document.code or plan.document.title[:60],
                        "count": plan.tasks.count(),
                    },
                )
                return redirect("plans:plan_detail", pk=plan.pk)
        parsed = parse_document(draft.text)
        preview = plan_import_preview(
            parsed=parsed,
            programme=form.cleaned_data.get("programme") if form.is_valid() else None,
            parent=form.cleaned_data.get("parent") if form.is_valid() else None,
            replace=bool(form.cleaned_data.get("replace")) if form.is_valid() else False,
        )
        return self._render(request, draft, form, preview)
