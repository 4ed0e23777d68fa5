from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from .choices import DocumentType
from .filters import DocumentFilter, ProgrammeFilter, TaskFilter
from .forms import (
    AttachmentForm,
    DocumentEditForm,
    ImportConfirmForm,
    IndicatorForm,
    PlanEditForm,
    PlanImportForm,
    ReasonForm,
    ResponsibilityFormSet,
    TaskUpdateForm,
)
from .importing import plan_import_preview
from .models import Document, ImportDraft, Indicator, NumberRegister, PlanTask, Programme
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
        context["can_manage"] = access.has_perm(self.request.user, "plans.manage")
        context["history"] = selectors.programme_history(programme=self.object)[:50]
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
        can_manage = selectors.can_manage_document(user, document)
        context["can_sign"] = document.state == "draft" and can_manage
        context["can_manage"] = can_manage
        if can_manage:
            context["attachment_form"] = AttachmentForm()
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
        try:
            handle = attachment.file.open("rb")
        except OSError as exc:  # the record outlived its file (a database restored alone)
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.name)


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
            "can_manage": selectors.can_manage_plan(request.user, plan),
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
            "figures": selectors.plan_figures(user=self.request.user, plan=plan),
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
        return self._render(request, task, TaskUpdateForm.for_task(task, user=request.user))

    def post(self, request, pk):
        task = self._task(request, pk)
        form = TaskUpdateForm.for_task(task, user=request.user, data=request.POST)
        if not (form.is_valid() and form.save(actor=request.user, task=task)):
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
                # A decision not yet placed in the tree: its kind follows from where it goes.
                "kind": preview.kind if preview.is_plan or preview.existing_plan else None,
            }
        return ImportConfirmForm(
            data,
            initial=initial,
            programmes=Programme.objects.all(),
            plans=selectors.plan_list(user=user).order_by("-year", "document__code"),
        )

    def _render(self, request, draft, form, preview):
        title = gettext("Check the plan before importing it")
        if preview is not None and not preview.is_plan:  # a decision or công văn
            title = gettext("Check the document before importing it")
            if form is not None and "replace" in form.fields:
                form.fields["replace"].label = gettext("Replace the document already in the system")
        return render(
            request,
            self.template_name,
            {
                "draft": draft,
                "form": form,
                "preview": preview,
                "parsed": preview.parsed if preview else None,
                "title": title,
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
        if draft.plan_id is None:
            try:
                parsed = parse_document(draft.text)
            except DocumentParseError as exc:  # the parser changed since the upload
                messages.error(request, str(exc))
                return redirect("plans:import")
            if parsed.doc_type != DocumentType.PLAN:
                return self._confirm_document(request, draft, parsed, form)
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

    def _confirm_document(self, request, draft, parsed, form):
        """A decision, a công văn …: kept as a document; a decision placed in the plan tree
        becomes a plan without a task table (`services.document_import`)."""
        if not form.is_valid():
            return self._render(request, draft, form, plan_import_preview(parsed=parsed))
        options = {name: form.cleaned_data[name] for name in ("programme", "parent", "kind")}
        replace = form.cleaned_data["replace"]
        # What the import is about to do, as the shell reports it; the service checks it again.
        preview = plan_import_preview(parsed=parsed, replace=replace, **options)
        try:
            document = services.document_import_draft_confirm(
                actor=request.user, draft=draft, replace=replace, **options
            )
        except services.PlanImportError as exc:
            messages.error(request, str(exc))
            return self._render(request, draft, form, exc.preview or preview)
        messages.success(
            request,
            gettext("Document %(code)s imported.") % {"code": document.code or document.title[:60]},
        )
        for notice in preview.notices:
            messages.info(request, notice)
        if preview.not_applied:
            messages.warning(request, preview.not_applied_reason)
        return redirect(document.get_absolute_url())


# --- editing ------------------------------------------------------------------------------------


class PostOnlyMixin:
    """A GET on an action URL says "POST" (after the permission and scope checks)."""

    def get(self, request, *args, **kwargs):
        self.check(request, *args, **kwargs)
        return HttpResponseNotAllowed(["POST"])

    def check(self, request, *args, **kwargs) -> None:
        """Load the object (404 outside the scope) before answering a GET."""


def _form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _saved(request, instance, events_before: int, text: str) -> None:
    """Say what happened: saved (a new audit event), or nothing to save."""
    if audit.history(instance).count() > events_before:
        messages.success(request, text)
    else:
        messages.info(request, gettext("Nothing was changed."))


class DocumentEditView(PermissionMixin, View):
    """A document's metadata, recipients and legal basis (`services.document_update`)."""

    permission = "documents.manage"
    template_name = "plans/document_edit.html"

    def _document(self, request, pk) -> Document:
        return selectors.document_get(user=request.user, pk=pk, permission=self.permission)

    def _render(self, request, document, form):
        return render(
            request,
            self.template_name,
            {
                "object": document,
                "form": form,
                "title": gettext("Edit document %(code)s")
                % {"code": document.code or document.title[:40]},
            },
        )

    def _form(self, document, data=None):
        registered = NumberRegister.objects.filter(document=document).exists()
        initial = {name: getattr(document, name) for name in services.DOCUMENT_EDITABLE_FIELDS}
        initial["recipients"] = "\n".join(document.recipients or [])
        initial["basis"] = services.document_basis_text(document)
        return DocumentEditForm(data, initial=initial, document=document, registered=registered)

    def get(self, request, pk):
        document = self._document(request, pk)
        return self._render(request, document, self._form(document))

    def post(self, request, pk):
        document = self._document(request, pk)
        form = self._form(document, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                name: data[name]
                for name in services.DOCUMENT_EDITABLE_FIELDS
                if name in data and not form.fields[name].disabled
            }
            events = audit.history(document).count()
            try:
                services.document_update(
                    actor=request.user,
                    document=document,
                    reason=data["reason"],
                    basis=data["basis"],
                    **fields,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                _saved(request, document, events, gettext("Document saved."))
                return redirect(document.get_absolute_url())
        return self._render(request, document, form)


class AttachmentUploadView(PostOnlyMixin, PermissionMixin, View):
    """POST a file to keep with a document (`services.attachment_add`)."""

    permission = "documents.manage"

    def check(self, request, pk):
        selectors.document_get(user=request.user, pk=pk, permission=self.permission)

    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk, permission=self.permission)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                attachment = services.attachment_add(
                    actor=request.user, document=document, name=upload.name, data=upload.read()
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, gettext("%(name)s attached.") % {"name": attachment.name})
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        return redirect(document.get_absolute_url() + "#attachments")


class AttachmentDeleteView(PostOnlyMixin, PermissionMixin, View):
    """POST: remove a file from a document, with a reason (`services.attachment_delete`)."""

    permission = "documents.manage"

    def _attachment(self, request, pk, attachment_pk):
        document = selectors.document_get(user=request.user, pk=pk, permission=self.permission)
        return document, get_object_or_404(document.attachments, pk=attachment_pk)

    def check(self, request, pk, attachment_pk):
        self._attachment(request, pk, attachment_pk)

    def post(self, request, pk, attachment_pk):
        document, attachment = self._attachment(request, pk, attachment_pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Say why the file is removed."))
            return redirect(document.get_absolute_url() + "#attachments")
        try:
            services.attachment_delete(
                actor=request.user, attachment=attachment, reason=form.cleaned_data["reason"]
            )
        except (services.AttachmentDeleteError, ValidationError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(request, gettext("%(name)s removed.") % {"name": attachment.name})
        return redirect(document.get_absolute_url() + "#attachments")


class PlanEditView(PermissionMixin, View):
    """A plan's parts and its units' duties (`services.plan_update`)."""

    permission = "plans.manage"
    template_name = "plans/plan_edit.html"

    def _plan(self, request, pk):
        return selectors.plan_get(user=request.user, pk=pk, permission=self.permission)

    def _render(self, request, plan, form, formset):
        return render(
            request,
            self.template_name,
            {
                "plan": plan,
                "document": plan.document,
                "form": form,
                "formset": formset,
                "title": gettext("Edit plan %(label)s") % {"label": plan.document.short_label},
            },
        )

    @staticmethod
    def _rows(plan) -> list[dict]:
        return [
            {"id": r.pk, "unit_text": r.unit_text, "duties": r.duties}
            for r in plan.responsibilities.all()
        ]

    def get(self, request, pk):
        plan = self._plan(request, pk)
        form = PlanEditForm(
            initial={name: getattr(plan, name) for name in plan.FIELDS_TEXT}, plan=plan
        )
        formset = ResponsibilityFormSet(initial=self._rows(plan), prefix="resp")
        return self._render(request, plan, form, formset)

    def post(self, request, pk):
        plan = self._plan(request, pk)
        form = PlanEditForm(request.POST, plan=plan)
        formset = ResponsibilityFormSet(request.POST, initial=self._rows(plan), prefix="resp")
        if form.is_valid() and formset.is_valid():
            rows = [
                {
                    "id": row.get("id"),
                    "unit_text": row.get("unit_text", ""),
                    "duties": row.get("duties", ""),
                    "delete": row.get("DELETE", False),
                }
                for row in formset.cleaned_data
                if row
            ]
            events = audit.history(plan).count()
            try:
                services.plan_update(
                    actor=request.user,
                    plan=plan,
                    reason=form.cleaned_data["reason"],
                    responsibilities=rows,
                    **{name: form.cleaned_data[name] for name in plan.FIELDS_TEXT},
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                _saved(request, plan, events, gettext("Plan saved."))
                return redirect(plan.get_absolute_url())
        return self._render(request, plan, form, formset)


class IndicatorMixin(PermissionMixin):
    permission = "plans.manage"
    template_name = "plans/indicator_form.html"

    def _programme(self, request, pk) -> Programme:
        return selectors.programme_get(user=request.user, pk=pk, permission=self.permission)

    def _indicator(self, request, pk, indicator_pk) -> tuple[Programme, Indicator]:
        programme = self._programme(request, pk)
        return programme, get_object_or_404(programme.indicators, pk=indicator_pk)

    def _render(self, request, programme, form, indicator=None):
        return render(
            request,
            self.template_name,
            {
                "programme": programme,
                "indicator": indicator,
                "form": form,
                "history": audit.history(indicator)[:30] if indicator else [],
                "title": gettext("Edit indicator") if indicator else gettext("New indicator"),
            },
        )

    def _done(self, programme):
        return redirect(programme.get_absolute_url() + "#indicators")


class IndicatorCreateView(IndicatorMixin, View):
    def get(self, request, pk):
        programme = self._programme(request, pk)
        return self._render(request, programme, IndicatorForm())

    def post(self, request, pk):
        programme = self._programme(request, pk)
        form = IndicatorForm(request.POST, instance=Indicator(programme=programme))
        if form.is_valid():
            try:
                services.indicator_create(actor=request.user, programme=programme, **form.values())
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, gettext("Indicator added."))
                return self._done(programme)
        return self._render(request, programme, form)


class IndicatorEditView(IndicatorMixin, View):
    def get(self, request, pk, indicator_pk):
        programme, indicator = self._indicator(request, pk, indicator_pk)
        return self._render(request, programme, IndicatorForm(instance=indicator), indicator)

    def post(self, request, pk, indicator_pk):
        programme, indicator = self._indicator(request, pk, indicator_pk)
        form = IndicatorForm(request.POST, instance=Indicator.objects.get(pk=indicator.pk))
        if form.is_valid():
            events = audit.history(indicator).count()
            try:
                services.indicator_update(
                    actor=request.user,
                    indicator=indicator,
                    reason=form.cleaned_data["reason"],
                    **form.values(),
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                _saved(request, indicator, events, gettext("Indicator saved."))
                return self._done(programme)
        return self._render(request, programme, form, indicator)


class IndicatorDeleteView(PostOnlyMixin, IndicatorMixin, View):
    def check(self, request, pk, indicator_pk):
        self._indicator(request, pk, indicator_pk)

    def post(self, request, pk, indicator_pk):
        programme, indicator = self._indicator(request, pk, indicator_pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("Say why the indicator is removed."))
            return redirect("plans:indicator_edit", pk=pk, indicator_pk=indicator_pk)
        services.indicator_delete(
            actor=request.user, indicator=indicator, reason=form.cleaned_data["reason"]
        )
        messages.success(request, gettext("Indicator removed."))
        return self._done(programme)


# --- inline task editing (HTMX) -----------------------------------------------------------------


def _task_row(request, pk: int, *, counts: bool = False):
    """The task's row of the plan's task table, as the table shows it; after a change, with
    the plan's due counts above the table swapped out of band."""
    task = get_object_or_404(selectors.task_list(user=request.user), pk=pk)
    context = {
        "task": task,
        "editable": {task.pk} if selectors.can_update_task(request.user, task) else set(),
    }
    if counts:
        tasks = selectors.plan_tasks(user=request.user, plan=task.plan)
        context.update(oob=True, tasks=tasks, counts=selectors.due_counts(tasks))
    return render(request, "plans/_task_row.html", context)


class TaskRowView(PermissionMixin, View):
    """GET: one row of the task table (what an inline edit returns to when cancelled)."""

    permission = "plans.view"

    def get(self, request, pk):
        return _task_row(request, pk)


class TaskInlineEditView(TaskEditView):
    """The row of the task table as a form, edited in place with HTMX; the separate edit page
    (`TaskEditView`) stays the fallback without JavaScript."""

    row_template = "plans/_task_row_form.html"

    def _render_row(self, request, task, form):
        for name, size in (("note", {"rows": 3}), ("evidence", {"size": 5})):
            form.fields[name].widget.attrs.update(size)
        return render(request, self.row_template, {"task": task, "form": form})

    @staticmethod
    def _auto_id(task) -> str:
        return f"id_task{task.pk}_%s"  # unique ids: several rows of one table may be open

    def get(self, request, pk):
        task = self._task(request, pk)
        form = TaskUpdateForm.for_task(task, user=request.user, auto_id=self._auto_id(task))
        return self._render_row(request, task, form)

    def post(self, request, pk):
        task = self._task(request, pk)
        form = TaskUpdateForm.for_task(
            task, user=request.user, data=request.POST, auto_id=self._auto_id(task)
        )
        if form.is_valid() and form.save(actor=request.user, task=task):
            if not request.htmx:
                return redirect(task.get_absolute_url())
            return _task_row(request, task.pk, counts=True)
        return self._render_row(request, task, form)
