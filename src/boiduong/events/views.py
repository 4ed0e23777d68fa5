"""Pages of the course workflow. Each view parses input, calls one selector or service, and
renders; the rules live in services.py and rules.py. Objects outside the user's scope are 404
(the selectors go through core.access), a missing permission is 403 (PermissionMixin)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from boiduong.core import access, audit, jobs
from boiduong.core.exports import XLSX_TYPE
from boiduong.core.views import ObjectListView, PermissionMixin
from boiduong.people.models import Person

from . import exports, rules, selectors, services
from .badges import render_badges
from .certificates import (
    DEFAULT_BODY,
    certificate_text,
    number_from_code,
    render_pdf,
    text_from_template,
)
from .choices import Audience, CertificateStatus, Outcome, QuotaMethod
from .choices import NominationStatus as S
from .filters import CertificateFilter, CourseFilter, NominationFilter
from .forms import (
    CallForm,
    CascadeForm,
    CourseForm,
    ModeForm,
    OnlineImportForm,
    ReasonForm,
    ScanForm,
    StaffForm,
    TemplateForm,
    UploadForm,
)
from .models import Certificate, CertificateTemplate, Course, Nomination
from .tables import CertificateTable, CourseTable, NominationTable
from .tasks import CERTIFICATES_JOB

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _attachment(content: bytes, *, content_type: str, filename: str, inline=False):
    response = HttpResponse(content, content_type=content_type)
    kind = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    return response


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


class CourseMixin(PermissionMixin):
    """Loads `self.course` through the access layer with the view's permission."""

    request: HttpRequest
    kwargs: dict

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.scope = access.require(request.user, self.permission)
        self.course = selectors.course_get(user=request.user, pk=kwargs["pk"])
        if self.course.is_cascade and not access.scope(request.user, self.permission).covers(
            self.course.owner.path
        ):
            raise Http404
        self.authorize(request)
        return super(PermissionMixin, self).dispatch(request, *args, **kwargs)

    def authorize(self, request) -> None:
        """A further check once the course is known (see AttendanceMixin)."""

    def context(self, **extra) -> dict:
        user = self.request.user
        return {
            "course": self.course,
            "title": self.course.title,
            "can": {
                "manage": access.has_perm(user, "events.manage"),
                "confirm": access.has_perm(user, "events.confirm"),
                "nominate": access.has_perm(user, "events.nominate"),
                "attendance": selectors.can_record_attendance(user, self.course),
                "certificates": access.has_perm(user, "certificates.manage"),
                "reports": access.has_perm(user, "reports.view"),
                "cascade": access.has_perm(user, "events.cascade"),
            },
            **extra,
        }


class PostOnlyMixin:
    """A GET on an action URL says "POST" (after the scope check has run)."""

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])


# --- courses --------------------------------------------------------------------------------------


class CourseListView(ObjectListView):
    permission = "events.view"
    model = Course
    filterset_class = CourseFilter
    table_class = CourseTable
    title = gettext_lazy("Courses")
    export_name = "lop-tap-huan"

    def get_queryset(self):
        return selectors.course_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = []
        if access.has_perm(self.request.user, "events.nominate"):
            actions.append((_("Inbox"), reverse("events:inbox"), "inbox"))
        if access.has_perm(self.request.user, "reports.view"):
            actions.append((_("Cascade reach"), reverse("events:reach"), "diagram-2"))
        if access.has_perm(self.request.user, "events.manage"):
            actions.append((_("New course"), reverse("events:course_create"), "plus-lg"))
        context["actions"] = actions
        return context


class CourseDetailView(CourseMixin, View):
    permission = "events.view"

    def get(self, request, pk):
        course = self.course
        user = request.user
        nominate_units = []
        if access.has_perm(user, "events.nominate") and not course.is_cascade:
            seen = set()
            for quota in selectors.quota_list(
                user=user, course=course, permission="events.nominate"
            ):
                if quota.department_id not in seen:
                    seen.add(quota.department_id)
                    nominate_units.append(quota.department)
        context = self.context(
            modules=course.modules.all(),
            staff=selectors.staff_of(course),
            totals=selectors.quota_totals(course),
            rule=rules.rule_summary(course.eligibility_rule),
            calls=course.calls.select_related("document"),
            nominate_units=nominate_units,
            cascades=selectors.course_list(user=user).filter(parent=course),
            mode_form=ModeForm(initial={"mode": course.mode}),
            staff_form=StaffForm(),
            history=audit.history(course)[:30],
        )
        if course.is_cascade:
            context["participants"] = selectors.participants(course)
            context["trainers"] = course.staff.filter(person__isnull=False).select_related(
                "person__workplace"
            )
            context["can_edit_cascade"] = access.scope(user, "events.cascade").covers(
                course.owner.path
            )
            context["revoked_trainers"] = selectors.revoked_trainers(course)
        return render(request, "events/course_detail.html", context)


class CourseCreateView(PermissionMixin, View):
    permission = "events.manage"

    def get(self, request):
        form = CourseForm(initial={"days": 5, "days_required": 5, "is_tentative": True})
        return render(request, "events/course_form.html", {"form": form, "title": _("New course")})

    def post(self, request):
        form = CourseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                course = services.course_create(
                    actor=request.user,
                    owner=request.user.workplace or _ministry_unit(),
                    audiences=data["audiences"],
                    eligibility_rule=form.rule(),
                    modules=form.module_titles(),
                    **{k: data[k] for k in form.Meta.fields if k != "certificate_template"},
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Course created. Set its quotas next."))
                return redirect("events:quota_list", pk=course.pk)
        return render(request, "events/course_form.html", {"form": form, "title": _("New course")})


def _ministry_unit():
    from boiduong.orgs.models import OrgUnit

    return OrgUnit.objects.get(code="NGCBQLGD")


class CourseUpdateView(CourseMixin, View):
    permission = "events.manage"

    def get(self, request, pk):
        form = CourseForm(instance=self.course)
        return render(request, "events/course_form.html", self.context(form=form))

    def post(self, request, pk):
        form = CourseForm(request.POST, instance=selectors.course_get(user=request.user, pk=pk))
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                k: data[k]
                for k in form.Meta.fields
                if k in services.EDITABLE_COURSE_FIELDS and k in data
            }
            try:
                services.course_update(
                    actor=request.user,
                    course=self.course,
                    audiences=data["audiences"],
                    eligibility_rule=form.rule(),
                    **fields,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Course saved."))
                return redirect(self.course)
        return render(request, "events/course_form.html", self.context(form=form))


class CourseModeView(PostOnlyMixin, CourseMixin, View):
    permission = "events.manage"

    def post(self, request, pk):
        form = ModeForm(request.POST)
        if form.is_valid():
            try:
                services.course_change_mode(
                    actor=request.user,
                    course=self.course,
                    mode=form.cleaned_data["mode"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Mode changed; the participants are told by e-mail."))
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Choose a mode and give a reason."))
        return redirect(self.course)


class StaffAddView(PostOnlyMixin, CourseMixin, View):
    permission = "events.manage"

    def post(self, request, pk):
        form = StaffForm(request.POST)
        if form.is_valid():
            services.staff_member_add(actor=request.user, course=self.course, **form.cleaned_data)
            messages.success(request, _("Staff member added."))
        else:
            messages.error(request, _("Give the role and the full name."))
        return redirect(reverse("events:course_detail", args=[pk]) + "#staff")


# --- quotas and the call ------------------------------------------------------------------------


class QuotaListView(CourseMixin, View):
    permission = "events.view"

    def _render(self, request):
        quotas = list(selectors.quota_list(user=request.user, course=self.course))
        audiences = [a for a in Audience.values if any(q.audience == a for q in quotas)]
        rows: dict[int, dict] = {}
        for quota in quotas:
            row = rows.setdefault(
                quota.department_id,
                {"department": quota.department, "cells": dict.fromkeys(audiences)},
            )
            row["cells"][quota.audience] = quota
        for row in rows.values():
            present = [q for q in row["cells"].values() if q]
            row["cells"] = [row["cells"][a] for a in audiences]
            row["seats"] = sum(q.seats for q in present)
            row["held"] = sum(q.seats_held for q in present)
        return render(
            request,
            "events/quota_list.html",
            self.context(
                rows=list(rows.values()),
                audiences=[Audience(a).label for a in audiences],
                totals=selectors.quota_totals(self.course),
                methods=QuotaMethod.choices,
            ),
        )

    def get(self, request, pk):
        return self._render(request)

    def post(self, request, pk):
        access.require(request.user, "events.manage")
        if "propose" in request.POST:
            services.quota_propose(
                actor=request.user,
                course=self.course,
                method=request.POST.get("method", QuotaMethod.EQUAL),
            )
            messages.success(request, _("Quotas proposed. Adjust them where needed."))
            return redirect("events:quota_list", pk=pk)
        changed = 0
        for quota in self.course.quotas.all():
            raw = request.POST.get(f"seats-{quota.pk}")
            if raw is None or not raw.strip().isdigit() or int(raw) == quota.seats:
                continue
            try:
                services.quota_set(actor=request.user, quota=quota, seats=int(raw))
                changed += 1
            except ValidationError as exc:
                messages.error(request, f"{quota.department}: {' '.join(exc.messages)}")
        if changed:
            messages.success(request, _("%(n)s quotas saved.") % {"n": changed})
        return redirect("events:quota_list", pk=pk)


class CallCreateView(CourseMixin, View):
    permission = "events.manage"

    def get(self, request, pk):
        from django.utils import timezone

        form = CallForm(
            initial={
                "issued_on": timezone.localdate(),
                "title": f"V/v cử cán bộ, giáo viên tham dự {self.course.title}",
            }
        )
        return render(request, "events/call_form.html", self.context(form=form))

    def post(self, request, pk):
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                services.call_issue(actor=request.user, course=self.course, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The call is in the departments' inboxes."))
                return redirect(self.course)
        return render(request, "events/call_form.html", self.context(form=form))


class InboxView(PermissionMixin, View):
    permission = "events.nominate"

    def get(self, request):
        entries = selectors.inbox(user=request.user)
        return render(request, "events/inbox.html", {"entries": entries, "title": _("Inbox")})


# --- nominations ----------------------------------------------------------------------------------


class NominateView(CourseMixin, View):
    """A department's page for one course: its seats, its list, and the registry to pick
    from with each person's eligibility explained."""

    permission = "events.nominate"

    def authorize(self, request) -> None:
        self.department = selectors.department_get(user=request.user, pk=self.kwargs["department"])
        self.quotas = sorted(
            self.course.quotas.filter(department=self.department),
            key=lambda q: [*Audience.values].index(q.audience),
        )
        if not self.quotas:
            raise Http404

    def _render(self, request):
        query = request.GET.get("q", "")
        nominations = (
            self.course.nominations.filter(department=self.department)
            .select_related("person__workplace", "quota")
            .order_by("status", "person__sort_key")
        )
        candidates = selectors.candidate_list(
            user=request.user, course=self.course, department=self.department, query=query
        )
        return render(
            request,
            "events/nominate.html",
            self.context(
                department=self.department,
                quotas=self.quotas,
                nominations=nominations,
                drafts=sum(1 for n in nominations if n.status == S.DRAFT),
                candidates=candidates,
                query=query,
                upload_form=UploadForm(),
                rule=rules.rule_summary(self.course.eligibility_rule),
                call=self.course.calls.first(),
                closed_on=services.nominations_closed_on(
                    request.user, self.course, self.department
                ),
                promotable=selectors.promotable_ids(user=request.user, course=self.course),
            ),
        )

    def get(self, request, pk, department):
        recipient = self.course.calls.first()
        if recipient is not None:
            for entry in recipient.recipients.filter(department=self.department, seen_at=None):
                services.call_mark_seen(actor=request.user, recipient=entry)
        return self._render(request)

    def post(self, request, pk, department):
        action = request.POST.get("action")
        try:
            if action == "add":
                person = access.get_or_404(
                    Person.objects.select_related("workplace"),
                    request.user,
                    "events.nominate",
                    pk=request.POST.get("person"),
                )
                audience = request.POST.get("audience")
                quota = next((q for q in self.quotas if q.audience == audience), None)
                if quota is None:
                    raise ValidationError(_("The department has no quota for this audience."))
                nomination = services.nomination_create(
                    actor=request.user, quota=quota, person=person
                )
                if nomination.is_eligible:
                    messages.success(request, _("%(name)s added as a draft.") % {"name": person})
                else:
                    messages.warning(
                        request,
                        _("%(name)s added, but does not meet the rule: %(why)s")
                        % {
                            "name": person,
                            "why": " ".join(
                                n["text"] for n in nomination.eligibility_notes if not n["ok"]
                            ),
                        },
                    )
            elif action == "travel":
                changed = services.travel_costs_set(
                    actor=request.user,
                    course=self.course,
                    department=self.department,
                    costs=_travel_costs(request.POST),
                )
                messages.success(request, _("Travel costs saved (%(n)s changed).") % {"n": changed})
            elif action == "submit_all":
                drafts = self.course.nominations.filter(department=self.department, status=S.DRAFT)
                outcomes = [
                    services.nomination_submit(actor=request.user, nomination=n).status
                    for n in drafts
                ]
                messages.success(
                    request,
                    _("%(sent)s submitted, %(waiting)s on the waitlist.")
                    % {
                        "sent": outcomes.count(S.SUBMITTED),
                        "waiting": outcomes.count(S.WAITLISTED),
                    },
                )
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(
            reverse("events:nominate", args=[pk, department])
            + (f"?q={request.POST['q']}" if request.POST.get("q") else "")
        )


def _travel_costs(data) -> dict[int, Decimal | None]:
    """`travel-<nomination pk>` fields: whole đồng, written with or without thousands
    separators ("1.200.000", "1,200,000", "1200000"); empty means not known yet."""
    costs: dict[int, Decimal | None] = {}
    for key, value in data.items():
        if not key.startswith("travel-") or not key[7:].isdigit():
            continue
        text = value.replace(".", "").replace(",", "").replace(" ", "").strip()
        if text and not text.isdigit():
            raise ValidationError(
                _("Write the travel cost as a whole number of đồng, e.g. 1.200.000.")
            )
        costs[int(key[7:])] = Decimal(text) if text else None
    return costs


class NominationTemplateView(NominateView):
    def get(self, request, pk, department):
        from .importing import nomination_template

        candidates = selectors.candidate_list(
            user=request.user, course=self.course, department=self.department
        )
        content = nomination_template(
            course=self.course, department=self.department, candidates=candidates
        )
        return _attachment(
            content,
            content_type=XLSX_TYPE,
            filename=f"danh-sach-cu-{self.course.code}-{self.department.code}.xlsx",
        )

    def post(self, request, pk, department):
        return HttpResponseNotAllowed(["GET"])


class NominationUploadView(PostOnlyMixin, NominateView):
    def post(self, request, pk, department):
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            _errors(request, ValidationError(form.errors.get("file", [])))
            return redirect("events:nominate", pk=pk, department=department)
        outcome = services.nominations_import(
            actor=request.user,
            course=self.course,
            department=self.department,
            upload=form.cleaned_data["file"],
        )
        return render(
            request,
            "events/nomination_upload.html",
            self.context(department=self.department, outcome=outcome),
        )


class NominationListView(CourseMixin, ObjectListView):
    permission = "events.view"
    model = Nomination
    filterset_class = NominationFilter
    table_class = NominationTable
    export_name = "danh-sach-cu"
    template_name = "events/nomination_list.html"

    def get_queryset(self):
        return selectors.nomination_list(user=self.request.user).filter(course=self.course)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.context())
        context["title"] = _("Nominations")
        context["counts"] = {
            row: self.get_queryset().filter(status=row).count()
            for row in (S.SUBMITTED, S.CONFIRMED, S.WAITLISTED)
        }
        context["promotable"] = selectors.promotable_ids(user=self.request.user, course=self.course)
        return context


class NominationDetailView(PermissionMixin, View):
    permission = "events.view"

    def get(self, request, pk):
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        user = request.user
        # A closed course takes no more moves: offer none (the services would refuse them).
        is_open = not nomination.course.is_closed
        can_nominate = is_open and access.scope(user, "events.nominate").covers(
            nomination.department.path
        )
        context = {
            "nomination": nomination,
            "course": nomination.course,
            "title": str(nomination),
            "history": audit.history(nomination)[:30],
            "can_nominate": can_nominate,
            "can_confirm": is_open and access.has_perm(user, "events.confirm"),
            "can_promote": is_open
            and nomination.status == S.WAITLISTED
            and (can_nominate or access.has_perm(user, "events.confirm")),
            "quota": nomination.quota,
            "seat_free": nomination.course.seats_held < nomination.course.capacity
            and (nomination.quota is None or nomination.quota.seats_free > 0),
            "attendance": nomination.attendance.order_by("day"),
            "result": getattr(nomination, "result", None)
            if hasattr(nomination, "result")
            else None,
            "certificates": nomination.certificates.order_by("-serial"),
        }
        return render(request, "events/nomination_detail.html", context)


ACTIONS = {
    "submit": "events.nominate",
    "withdraw": "events.nominate",
    "substitute": "events.nominate",
    "confirm": "events.confirm",
    "reject": "events.confirm",
    "override": "events.confirm",
    "promote": "events.nominate",  # or events.confirm: see `_action_permission`
}


def _action_permission(user, action: str) -> str | None:
    """The permission a nomination's button needs. Moving one off the waitlist is the
    department's (events.nominate on it) or the ministry's (events.confirm)."""
    if action == "promote" and access.has_perm(user, "events.confirm"):
        return "events.confirm"
    return ACTIONS.get(action)


class NominationActionView(PostOnlyMixin, PermissionMixin, View):
    """The buttons of a nomination: submit, withdraw, substitute (department); confirm,
    reject, exception (ministry); off the waitlist (either)."""

    permission = "events.view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require(request.user, self.permission)
            selectors.nomination_get(user=request.user, pk=kwargs["pk"])  # 404 outside scope
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        action = request.POST.get("action", "")
        permission = _action_permission(request.user, action)
        if permission is None:
            raise Http404
        access.require(request.user, permission)
        nomination = selectors.nomination_get(user=request.user, pk=pk, permission=permission)
        reason = request.POST.get("reason", "").strip()
        try:
            if action == "submit":
                result = services.nomination_submit(actor=request.user, nomination=nomination)
                if result.status == S.WAITLISTED:
                    messages.warning(request, _("The quota is full: the nomination is waitlisted."))
            elif action == "withdraw":
                services.nomination_withdraw(
                    actor=request.user, nomination=nomination, reason=reason
                )
            elif action == "confirm":
                services.nomination_confirm(actor=request.user, nomination=nomination)
            elif action == "reject":
                services.nomination_reject(actor=request.user, nomination=nomination, reason=reason)
            elif action == "promote":
                services.nomination_promote(actor=request.user, nomination=nomination)
            elif action == "override":
                services.nomination_override(
                    actor=request.user, nomination=nomination, reason=reason
                )
            elif action == "substitute":
                person = access.get_or_404(
                    Person.objects.select_related("workplace"),
                    request.user,
                    "events.nominate",
                    national_id=request.POST.get("national_id", "").strip(),
                )
                substitute = services.nomination_substitute(
                    actor=request.user, nomination=nomination, person=person, reason=reason
                )
                messages.success(
                    request, _("Substituted: the seat passes to %(name)s.") % {"name": person}
                )
                return redirect(substitute)
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            raise
        else:
            if action != "substitute":
                messages.success(request, _("Done: %(name)s.") % {"name": nomination.person})
        return redirect(_next(request, nomination.get_absolute_url()))


# --- attendance ---------------------------------------------------------------------------------


class AttendanceMixin(CourseMixin):
    """Trainers (events.attendance) on national courses; the organising department
    (events.cascade on its unit) on its own cascade course."""

    permission = "events.view"

    def authorize(self, request) -> None:
        if not self.context()["can"]["attendance"]:
            raise PermissionDenied


class AttendanceView(AttendanceMixin, View):
    """The list on a tablet: one big toggle per participant for the chosen day."""

    def get(self, request, pk):
        try:
            day = max(1, min(int(request.GET.get("day", 1)), self.course.days))
        except ValueError:
            day = 1
        sheet = selectors.attendance_sheet(self.course)
        return render(
            request,
            "events/attendance.html",
            self.context(
                sheet=sheet,
                day=day,
                days=self.course.day_numbers(),
                day_dates=[(d, self.course.day_date(d)) for d in self.course.day_numbers()],
            ),
        )


class AttendanceToggleView(PostOnlyMixin, AttendanceMixin, View):
    def post(self, request, pk):
        nomination = self.course.nominations.filter(pk=request.POST.get("nomination")).first()
        if nomination is None:
            raise Http404
        day = int(request.POST.get("day", 0) or 0)
        present = request.POST.get("present") == "1"
        try:
            record = services.attendance_set(
                actor=request.user, nomination=nomination, day=day, is_present=present
            )
        except ValidationError as exc:
            return HttpResponse(" ".join(exc.messages), status=400)
        if request.htmx:
            return render(
                request,
                "events/_attendance_toggle.html",
                {
                    "course": self.course,
                    "row": {"nomination": nomination},
                    "day": day,
                    "present": record.is_present,
                },  # fmt: skip
            )
        return redirect(reverse("events:attendance", args=[pk]) + f"?day={day}")


class AttendanceScanView(AttendanceMixin, View):
    """Badge scanning: a scanner (or a trainer) types the code and presses Enter."""

    def get(self, request, pk):
        form = ScanForm(initial={"day": request.GET.get("day", 1)})
        return render(request, "events/attendance_scan.html", self.context(form=form))

    def post(self, request, pk):
        form = ScanForm(request.POST)
        scanned = None
        if form.is_valid():
            try:
                scanned = services.attendance_scan(
                    actor=request.user,
                    course=self.course,
                    code=form.cleaned_data["code"],
                    day=form.cleaned_data["day"],
                )
                messages.success(
                    request,
                    _("%(name)s: present on day %(day)s.")
                    % {"name": scanned.nomination.person, "day": scanned.day},
                )
            except ValidationError as exc:
                _errors(request, exc)
            form = ScanForm(initial={"day": form.cleaned_data["day"]})
        return render(
            request, "events/attendance_scan.html", self.context(form=form, scanned=scanned)
        )


class AttendanceImportView(AttendanceMixin, View):
    """Online attendance: the CSV a video-conference platform exports."""

    def get(self, request, pk):
        return render(
            request, "events/attendance_import.html", self.context(form=OnlineImportForm())
        )

    def post(self, request, pk):
        form = OnlineImportForm(request.POST, request.FILES)
        outcome = None
        if form.is_valid():
            outcome = services.attendance_import_online(
                actor=request.user,
                course=self.course,
                data=form.cleaned_data["file"].read(),
                min_minutes=form.cleaned_data["min_minutes"],
            )
        return render(
            request, "events/attendance_import.html", self.context(form=form, outcome=outcome)
        )


class BadgesView(AttendanceMixin, View):
    def get(self, request, pk):
        content = render_badges(self.course, list(selectors.participants(self.course)))
        return _attachment(
            content, content_type=PDF, filename=f"the-hoc-vien-{self.course.code}.pdf"
        )


# --- results --------------------------------------------------------------------------------------


class ResultsView(AttendanceMixin, View):
    def get(self, request, pk):
        return render(
            request,
            "events/results.html",
            self.context(sheet=selectors.attendance_sheet(self.course), outcomes=Outcome.choices),
        )

    def post(self, request, pk):
        from decimal import InvalidOperation

        saved = 0
        for row in selectors.attendance_sheet(self.course):
            nomination = row["nomination"]
            outcome = request.POST.get(f"outcome-{nomination.pk}", "")
            if not outcome:
                continue
            raw_score = request.POST.get(f"score-{nomination.pk}", "").replace(",", ".").strip()
            remarks = request.POST.get(f"remarks-{nomination.pk}", "").strip()
            try:
                score = Decimal(raw_score) if raw_score else None
            except InvalidOperation:
                messages.error(
                    request, _("%(name)s: the score is not a number.") % {"name": nomination.person}
                )
                continue
            current = row["result"]
            if current and (current.outcome, current.score, current.remarks) == (
                outcome,
                score,
                remarks,
            ):
                continue
            try:
                services.result_record(
                    actor=request.user,
                    nomination=nomination,
                    outcome=outcome,
                    score=score,
                    remarks=remarks,
                )
                saved += 1
            except ValidationError as exc:
                _errors(request, exc)
        if saved:
            messages.success(request, _("%(n)s results saved.") % {"n": saved})
        return redirect("events:results", pk=pk)


# --- certificates ---------------------------------------------------------------------------------


class CertificateListView(CourseMixin, ObjectListView):
    permission = "events.view"
    model = Certificate
    filterset_class = CertificateFilter
    table_class = CertificateTable
    export_name = "giay-chung-nhan"
    template_name = "events/certificate_list.html"

    def get_queryset(self):
        return selectors.certificate_list(user=self.request.user).filter(course=self.course)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.context())
        context["title"] = _("Certificates")
        context["waiting"] = (
            self.course.nominations.filter(status=S.CONFIRMED, result__outcome=Outcome.PASSED)
            .exclude(certificates__status=CertificateStatus.VALID)
            .count()
        )
        return context


class CertificateGenerateView(PostOnlyMixin, CourseMixin, View):
    permission = "certificates.manage"

    def post(self, request, pk):
        job = jobs.job_start(
            user=request.user,
            kind=CERTIFICATES_JOB,
            title=_("Certificates of %(code)s") % {"code": self.course.code},
            params={"course": self.course.pk, "base_url": request.build_absolute_uri("/")},
        )
        return redirect("core:job_detail", pk=job.pk)


class CertificateDetailView(PermissionMixin, View):
    permission = "events.view"

    def get(self, request, pk):
        certificate = selectors.certificate_get(user=request.user, pk=pk)
        return render(
            request,
            "events/certificate_detail.html",
            {
                "certificate": certificate,
                "course": certificate.course,
                "title": certificate.number,
                "verify_url": request.build_absolute_uri(certificate.verify_path),
                "can_manage": access.has_perm(request.user, "certificates.manage"),
                "form": ReasonForm(),
                "history": audit.history(certificate)[:20],
            },
        )


class CertificatePdfView(PermissionMixin, View):
    permission = "events.view"

    def get(self, request, pk):
        certificate = selectors.certificate_get(user=request.user, pk=pk)
        content = render_pdf(
            [certificate_text(certificate, base_url=request.build_absolute_uri("/"))]
        )
        return _attachment(
            content, content_type=PDF, filename=f"{certificate.number}.pdf", inline=True
        )


class CertificateActionView(PostOnlyMixin, PermissionMixin, View):
    permission = "certificates.manage"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require(request.user, "events.view")
            selectors.certificate_get(user=request.user, pk=kwargs["pk"])  # 404 outside scope
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        certificate = selectors.certificate_get(user=request.user, pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason."))
            return redirect(certificate)
        reason = form.cleaned_data["reason"]
        try:
            if request.POST.get("action") == "replace":
                new = services.certificate_replace(
                    actor=request.user, certificate=certificate, reason=reason
                )
                messages.success(request, _("Replaced by %(number)s.") % {"number": new.number})
                return redirect(new)
            services.certificate_revoke(actor=request.user, certificate=certificate, reason=reason)
            messages.success(request, _("Certificate revoked."))
            cascades = services.cascades_trained_by(certificate)
            if cascades:
                messages.warning(
                    request,
                    _(
                        "%(name)s trains on cascade courses (%(courses)s): they stay on them, "
                        "flagged, and the departments have been told."
                    )
                    % {
                        "name": certificate.holder_name,
                        "courses": ", ".join(m.course.code for m in cascades),
                    },
                )
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(certificate)


class TemplateListView(PermissionMixin, View):
    permission = "certificates.manage"

    def get(self, request):
        return render(
            request,
            "events/template_list.html",
            {"templates": CertificateTemplate.objects.all(), "title": _("Certificate templates")},
        )


class TemplateEditView(PermissionMixin, View):
    permission = "certificates.manage"

    def _template(self, pk):
        if pk is None:
            return CertificateTemplate(body=DEFAULT_BODY)
        template = CertificateTemplate.objects.filter(pk=pk).first()
        if template is None:
            raise Http404
        return template

    def get(self, request, pk=None):
        form = TemplateForm(instance=self._template(pk))
        return render(
            request, "events/template_form.html", {"form": form, "title": _("Certificate template")}
        )

    def post(self, request, pk=None):
        form = TemplateForm(request.POST, instance=self._template(pk))
        if form.is_valid():
            template = services.certificate_template_save(
                actor=request.user, template=form.instance
            )
            messages.success(request, _("Template saved."))
            return redirect("events:template_edit", pk=template.pk)
        return render(
            request, "events/template_form.html", {"form": form, "title": _("Certificate template")}
        )


class TemplatePreviewView(TemplateEditView):
    def get(self, request, pk=None):
        import datetime as dt

        template = self._template(pk)
        sample = {
            "holder": "Nguyễn Thị Hồng Nhung",
            "birth_date": "12/05/1988",
            "workplace": "Trường Mầm non Hoa Sen, Hà Nội",
            "course": "Tập huấn giáo viên mầm non cốt cán — miền Bắc",
            "dates": "19/07/2021 – 23/07/2021",
            "days": "05",
            "venue": "Trường Đại học Sư phạm Hà Nội",
            "result": "Đạt",
            "score": "8,5",
            "number": "361-MB-0000",
        }
        text = text_from_template(
            template,
            number="361-MB-0000",
            code="MAU-XEM-TRUOC",
            verify_url=request.build_absolute_uri("/verify/"),
            values=sample,
            issued_on=dt.date.today(),
        )
        return _attachment(render_pdf([text]), content_type=PDF, filename="mau.pdf", inline=True)

    def post(self, request, pk=None):
        return HttpResponseNotAllowed(["GET"])


# --- reports --------------------------------------------------------------------------------------


def _report_response(request, report, *, name: str, template_context: dict):
    fmt = request.GET.get("export")
    if fmt == "xlsx":
        return _attachment(
            exports.report_xlsx(report), content_type=XLSX_TYPE, filename=f"{name}.xlsx"
        )
    if fmt == "docx":
        return _attachment(exports.report_docx(report), content_type=DOCX, filename=f"{name}.docx")
    return render(
        request,
        "events/report.html",
        {"report": report, "chart": _chart_data(report), **template_context},
    )


def _chart_data(report) -> dict:
    totals = report.totals
    return {
        "departments": [
            r["department"].replace("Sở Giáo dục và Đào tạo ", "") for r in report.rows
        ],
        "gv": [r["gv"] for r in report.rows],
        "cbql": [r["cbql"] for r in report.rows],
        "seats": [max(0, r["seats"] - r["confirmed"]) for r in report.rows],
        "passed": totals.get("passed", 0),
        "failed": totals.get("failed", 0),
        "pending": max(
            0, totals.get("confirmed", 0) - totals.get("passed", 0) - totals.get("failed", 0)
        ),
        "days": [_("Day %(n)s") % {"n": n} for n in range(1, report.days + 1)],
        "present": report.attendance_by_day,
        "labels": {
            "teachers": _("core teachers"),
            "managers": _("core managers"),
            "seats": _("seats left unused"),
            "passed": _("passed"),
            "failed": _("not passed"),
            "pending": _("no result yet"),
            "present": _("present"),
        },
    }


class CourseReportView(CourseMixin, View):
    permission = "reports.view"

    def get(self, request, pk):
        report = selectors.report([self.course], title=self.course.title)
        return _report_response(
            request,
            report,
            name=f"bao-cao-{self.course.code}",
            template_context=self.context(title=_("Results report")),
        )


class RegionReportView(PermissionMixin, View):
    permission = "reports.view"

    def get(self, request, pk):
        from boiduong.orgs.models import Region

        region = Region.objects.filter(pk=pk).first()
        if region is None:
            raise Http404
        courses = list(
            selectors.course_list(user=request.user, permission="reports.view").filter(
                region=region, parent__isnull=True
            )
        )
        report = selectors.report(courses, title=f"Tập huấn tại {region.name}")
        return _report_response(
            request,
            report,
            name=f"bao-cao-{region.code}",
            template_context={"region": region, "title": _("Results report")},
        )


# --- cascades -------------------------------------------------------------------------------------


class CascadeCreateView(CourseMixin, View):
    permission = "events.cascade"

    def departments(self, request):
        return [
            q.department
            for q in selectors.quota_list(
                user=request.user, course=self.course, permission="events.cascade"
            ).distinct()
        ]

    def _render(self, request, form):
        units = {d.pk: d for d in self.departments(request)}.values()
        return render(
            request, "events/cascade_form.html", self.context(form=form, departments=list(units))
        )

    def get(self, request, pk):
        if self.course.is_cascade:
            raise Http404
        return self._render(
            request, CascadeForm(initial={"title": f"Tập huấn lại: {self.course.title}"})
        )

    def post(self, request, pk):
        form = CascadeForm(request.POST)
        units = {str(d.pk): d for d in self.departments(request)}
        department = units.get(request.POST.get("department", ""))
        if department is None:
            messages.error(request, _("Choose your department."))
        elif form.is_valid():
            try:
                course = services.cascade_create(
                    actor=request.user, parent=self.course, department=department,
                    **form.cleaned_data,
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Cascade course created."))
                return redirect(course)
        return self._render(request, form)


class CascadeAddView(PostOnlyMixin, CourseMixin, View):
    """Add a trainer (certified nationally) or a participant to a cascade course."""

    permission = "events.cascade"

    def post(self, request, pk):
        if not self.course.is_cascade:
            raise Http404
        person = (
            access.restrict(
                Person.objects.select_related("workplace"), request.user, "events.cascade"
            )
            .filter(national_id=request.POST.get("national_id", "").strip())
            .first()
        )
        if person is None:
            messages.error(request, _("No one with this national ID in your scope."))
            return redirect(self.course)
        try:
            if request.POST.get("kind") == "trainer":
                services.cascade_trainer_add(actor=request.user, course=self.course, person=person)
            else:
                services.cascade_participant_add(
                    actor=request.user, course=self.course, person=person
                )
            messages.success(request, _("%(name)s added.") % {"name": person})
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(self.course)


class ReachView(PermissionMixin, View):
    permission = "reports.view"

    def get(self, request):
        return render(
            request,
            "events/reach.html",
            {"reach": selectors.cascade_reach(user=request.user), "title": _("Cascade reach")},
        )


class MyCoursesView(PermissionMixin, View):
    permission = "events.view"

    def get(self, request):
        return render(
            request,
            "events/my_courses.html",
            {"nominations": selectors.my_nominations(user=request.user), "title": _("My courses")},
        )


# --- public verification ------------------------------------------------------------------------


def verify_lookup(request):
    """Anyone can type a certificate's code here."""
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("verify", code=code.upper())
    return render(request, "events/verify.html", {"title": _("Verify a certificate")})


def verify(request, code: str):
    """The public page a certificate's QR code opens: valid, revoked (with reason and date) or
    superseded; an altered or unknown code is 404."""
    number = number_from_code(code)
    certificate = selectors.certificate_by_number(number) if number else None
    status = 200 if certificate else 404
    return render(
        request,
        "events/verify.html",
        {"certificate": certificate, "code": code, "title": _("Verify a certificate")},
        status=status,
    )
