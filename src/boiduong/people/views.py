from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from boiduong.core import access
from boiduong.core.exports import XLSX_TYPE
from boiduong.core.models import Job
from boiduong.core.views import ObjectDetailView, ObjectListView, PermissionMixin

from . import selectors, services
from .filters import PersonFilter
from .forms import ImportForm
from .models import Person
from .tables import PersonTable
from .workbooks import template_xlsx


class PersonListView(ObjectListView):
    permission = "people.view"
    model = Person
    filterset_class = PersonFilter
    table_class = PersonTable
    title = _("People")
    export_name = "ca-nhan"

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)

    template_name = "people/person_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if access.has_perm(self.request.user, "people.manage"):
            context["actions"] = [
                (_("Import from a spreadsheet"), reverse("people:import"), "upload")
            ]
        if not self.request.htmx:  # the map sits above the table, outside what HTMX swaps
            per_province = selectors.count_by_province(context["filter"].qs)
            if len(per_province) > 1:  # one province's officer gains nothing from a map
                ranked = sorted(per_province.items(), key=lambda item: -item[1])
                context["per_province"] = per_province
                context["top_provinces"] = ranked[:10]
                context["top_count"] = ranked[0][1]
        return context


class PersonDetailView(ObjectDetailView):
    permission = "people.view"
    model = Person
    template_name = "people/person_detail.html"

    def base_queryset(self):
        return Person.objects.select_related("workplace__province", "workplace__parent", "user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["ratings"] = person.ratings.all()
        context["core_statuses"] = person.core_statuses.all()
        context["training_results"] = person.training_results.all()
        context["can_reveal"] = selectors.can_reveal(self.request.user, person)
        return context


class PersonRevealView(PermissionMixin, View):
    """POST (HTMX): the full national ID, logged. Only with people.view_national_id."""

    permission = "people.view_national_id"

    def _person(self, pk):
        return access.get_or_404(
            Person.objects.select_related("workplace"), self.request.user, self.permission, pk=pk
        )

    def get(self, request, pk):
        self._person(pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, pk):
        person = self._person(pk)
        national_id = services.person_reveal_national_id(actor=request.user, person=person)
        return render(request, "people/_national_id.html", {"national_id": national_id})


class ImportTemplateView(PermissionMixin, View):
    permission = "people.manage"

    def get(self, request):
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-ca-nhan.xlsx"'
        return response


class ImportView(PermissionMixin, View):
    """Upload a file; it is checked first (a preview), never imported straight away."""

    permission = "people.manage"
    template_name = "people/import.html"

    def _render(self, request, form):
        recent = Job.objects.filter(kind=services.IMPORT_JOB, created_by=request.user)[:8]
        return render(
            request,
            self.template_name,
            {"form": form, "recent": recent, "title": _("Import people")},
        )

    def get(self, request):
        return self._render(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        job = services.people_import_start(actor=request.user, upload=form.cleaned_data["file"])
        if job.is_finished:
            return redirect("people:import_detail", pk=job.pk)
        return redirect("core:job_detail", pk=job.pk)


class ImportJobMixin(PermissionMixin):
    permission = "people.manage"

    def get_object(self, queryset=None):
        jobs = Job.objects.filter(kind=services.IMPORT_JOB)
        if not self.request.user.is_superuser:
            jobs = jobs.filter(created_by=self.request.user)
        return access.get_or_404(jobs, self.request.user, self.permission, pk=self.kwargs["pk"])


class ImportDetailView(ImportJobMixin, DetailView):
    """A checked or imported file: counts, the first errors, the report, and the next step."""

    template_name = "people/import_detail.html"
    context_object_name = "job"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        result = job.result or {}
        context["result"] = result
        context["title"] = job.title
        context["can_confirm"] = (
            job.status == Job.Status.SUCCEEDED
            and result.get("dry_run")
            and not result.get("error_rows")
            and not result.get("file_errors")
            and result.get("rows")
        )
        return context


class ImportConfirmView(ImportJobMixin, View):
    def get(self, request, pk):
        return redirect("people:import_detail", pk=self.get_object().pk)

    def post(self, request, pk):
        preview = self.get_object()
        try:
            job = services.people_import_confirm(actor=request.user, preview=preview)
        except ValueError:
            messages.error(request, _("Only a checked file can be imported."))
            return redirect("people:import_detail", pk=preview.pk)
        return redirect("core:job_detail", pk=job.pk)
