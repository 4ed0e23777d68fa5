"""Generic views every app builds on (NetBox style: declarative, almost empty).

`ObjectListView` = access layer + FilterSet + django-tables2 table + sorting + pagination +
XLSX/CSV export of what the filtered table shows + HTMX partial refresh.
`ObjectDetailView` = access layer (404 outside scope) + audit history.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from . import access, audit, selectors
from .exports import table_response
from .models import AuditEvent, Job


class PermissionMixin(LoginRequiredMixin):
    """Anonymous -> login; no role with `permission` -> 403; otherwise the view runs."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = access.require(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(PermissionMixin, SingleTableMixin, FilterView):
    template_name = "core/object_list.html"
    paginate_by = 25
    title: str | Promise = ""
    export_name: str | Promise = "export"
    actions: list[tuple[str, str, str]] = []  # (label, url, icon)

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return access.restrict(self.base_queryset(), self.request.user, self.permission)

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["core/_table.html"]
        return [self.template_name]

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            filterset = self.get_filterset(self.get_filterset_class())
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.qs
            table = self.get_table_class()(queryset, **self.get_table_kwargs())
            RequestConfig(request, paginate=False).configure(table)
            response = table_response(table, fmt=fmt, name=str(self.export_name))
            query = request.GET.copy()
            query.pop("export", None)
            audit.record_export(
                actor=request.user,
                model=queryset.model,
                rows=len(table.rows),
                fmt=fmt,
                query=query.urlencode(),
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["actions"] = self.actions
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        filterset = context.get("filter")
        fields = filterset.form.fields if filterset is not None else {}
        # how many filters are set: a phone shows it on the button that opens the filters
        context["active_filters"] = sum(1 for name in fields if query.get(name))
        return context


class ObjectDetailView(PermissionMixin, DetailView):
    template_name_suffix = "_detail"
    lookup = "pk"

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_object(self, queryset=None):
        return access.get_or_404(
            self.base_queryset(),
            self.request.user,
            self.permission,
            **{self.lookup: self.kwargs[self.lookup]},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = audit.history(self.object)[:50]
        return context


class HomeView(LoginRequiredMixin, View):
    """What concerns the user: their roles, open jobs, and each app's home cards."""

    def get(self, request):
        from .home import cards_for

        return render(
            request,
            "core/home.html",
            {
                "assignments": access._assignments(request.user),
                "cards": cards_for(request),
                "jobs": Job.objects.filter(created_by=request.user)[:5],
            },
        )


class AuditLogView(ObjectListView):
    """The whole audit trail, searchable (administrators)."""

    permission = "audit.view_all"
    model = AuditEvent
    title = _("Audit trail")
    export_name = "nhat-ky"

    def get_filterset_class(self):
        from .filters import AuditEventFilter

        return AuditEventFilter

    def get_table_class(self):
        from .tables import AuditEventTable

        return AuditEventTable

    def base_queryset(self):
        return AuditEvent.objects.select_related("actor", "content_type")


class JobListView(ObjectListView):
    """The background jobs the user started (every job, for a ministry administrator), so a
    job left running behind a closed page can be found again."""

    permission = "jobs.view"
    model = Job
    title = _("Background jobs")
    export_name = "tac-vu-nen"
    template_name = "core/job_list.html"

    def get_filterset_class(self):
        from .filters import JobFilter

        return JobFilter

    def get_table_class(self):
        from .tables import JobTable

        return JobTable

    def get_table_kwargs(self):
        if selectors.job_sees_all(self.request.user):
            return {}
        return {"exclude": ("created_by",)}  # every row is the user's own

    def base_queryset(self):
        return selectors.job_list(user=self.request.user)


class JobActiveCountView(PermissionMixin, View):
    """The menu's badge: how many of the jobs the user may see are queued or running.

    Fetched by HTMX once the page has loaded, so it adds no query to the page itself."""

    permission = "jobs.view"

    def get(self, request):
        active = (
            selectors.job_list(user=request.user)
            .filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
            .count()
        )
        return render(request, "core/_job_active_count.html", {"active": active})


class JobDetailView(PermissionMixin, DetailView):
    """A background job's progress; polled by HTMX while it runs."""

    permission = "jobs.view"
    template_name = "core/job_detail.html"

    def get_object(self, queryset=None):
        jobs = selectors.job_list(user=self.request.user)
        return access.get_or_404(jobs, self.request.user, self.permission, pk=self.kwargs["pk"])

    def get_template_names(self):
        if self.request.htmx:
            return ["core/_job_progress.html"]
        return [self.template_name]


class JobDownloadView(JobDetailView):
    """The job's result file, for whoever may see the job."""

    def get(self, request, *args, **kwargs):
        from django.http import FileResponse, Http404

        job = self.get_object()
        if not job.result_file:
            raise Http404
        return FileResponse(
            job.result_file.open("rb"),
            as_attachment=True,
            filename=job.result_file.name.rsplit("/", 1)[-1],
        )
