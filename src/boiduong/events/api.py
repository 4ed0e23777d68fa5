"""The events API: courses, quotas, nominations (POST nominates; actions submit, withdraw,
substitute, promote, confirm, reject, override; PATCH the travel cost), attendance (POST
records a day), results (POST/PATCH record one), certificates, and the public verification
endpoint.
Everything reads through the access layer; writes go through services.py, with the permission
rules of the pages that offer the same buttons."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from boiduong.core import access
from boiduong.core.api import ScopedReadOnlyViewSet, service_error
from boiduong.people.models import Person

from . import selectors, services
from .certificates import number_from_code
from .choices import Audience, Outcome
from .filters import CertificateFilter, CourseFilter, NominationFilter
from .models import Attendance, Certificate, Course, Nomination, Quota, Result


class CourseSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", default=None)
    owner = serializers.CharField(source="owner.name")
    dates = serializers.CharField(source="dates_label")

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "kind",
            "title",
            "region",
            "owner",
            "parent",
            "venue",
            "starts_on",
            "ends_on",
            "is_tentative",
            "tentative_text",
            "dates",
            "days",
            "days_required",
            "mode",
            "capacity",
            "seats_held",
            "audiences",
            "eligibility_rule",
            "stated_participants",
            "status",
        ]


class EligibilityQuerySerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, help_text="The person's id.")
    national_id = serializers.CharField(
        required=False, max_length=12, help_text="Or the person's national ID (CCCD)."
    )
    audience = serializers.ChoiceField(
        choices=Audience.choices,
        required=False,
        help_text="The seat asked about; by default the one the person fits, as on the page.",
    )

    def validate(self, attrs):
        if ("person" in attrs) == ("national_id" in attrs):
            raise serializers.ValidationError(_("Give the person's id or national ID."))
        return attrs


class EligibilityCheckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    text = serializers.CharField()


class EligibilitySerializer(serializers.Serializer):
    course = serializers.IntegerField(source="course.pk")
    person = serializers.IntegerField(source="person.pk")
    person_name = serializers.CharField(source="person.full_name")
    audience = serializers.CharField()
    quota = serializers.IntegerField(source="quota.pk", default=None, allow_null=True)
    department = serializers.IntegerField(source="department.pk", default=None, allow_null=True)
    department_name = serializers.CharField(source="department.name", default=None, allow_null=True)
    is_eligible = serializers.BooleanField(
        source="eligibility.ok",
        help_text="The course's rule: false still allows a nomination, flagged for the "
        "ministry's exception.",
    )
    checks = EligibilityCheckSerializer(
        source="eligibility.as_notes", many=True, help_text="One line per condition of the rule."
    )
    reasons = serializers.ListField(
        source="eligibility.reasons",
        child=serializers.CharField(),
        help_text="Why the rule turns the person away (empty when eligible).",
    )
    may_nominate = serializers.BooleanField(
        help_text="Whether POST /api/nominations/ would accept the person now."
    )
    refusals = serializers.ListField(
        child=serializers.CharField(), help_text="Why it would not (empty when it would)."
    )
    nomination = serializers.IntegerField(source="nomination.pk", default=None, allow_null=True)
    nomination_status = serializers.CharField(
        source="nomination.status", default=None, allow_null=True
    )
    seat_free = serializers.BooleanField(
        help_text="A submitted nomination would take a seat now (else: the waitlist)."
    )


NOMINATE, CONFIRM = "events.nominate", "events.confirm"


class CourseViewSet(ScopedReadOnlyViewSet):
    """Courses: national ones for everyone with events.view, cascades within scope. GET
    `<id>/eligibility/?person=<id>` (or `?national_id=`) answers whether a department may
    nominate that person, and why not, as its nominate page shows it."""

    permission = "events.view"
    action_permissions = {"eligibility": NOMINATE}  # or CONFIRM: see get_permission
    queryset = Course.objects.select_related("region", "owner")
    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_permission(self) -> str:
        """The eligibility check is the department's (events.nominate on the person) or the
        ministry's (events.confirm), who decides on exceptions."""
        if self.route_action == "eligibility" and access.has_perm(self.request.user, CONFIRM):
            return CONFIRM
        return super().get_permission()

    @extend_schema(parameters=[EligibilityQuerySerializer], responses=EligibilitySerializer)
    @action(detail=True, methods=["get"], filterset_class=None)
    def eligibility(self, request, pk=None):
        """Whether a person may be nominated to this course, and why not — the verdict and
        the reasons of the department's nominate page: the course's rule, one line per
        condition (`checks`, `reasons`; an ineligible person may still be nominated, for the
        ministry's exception), and what would refuse a nomination now (`refusals`: the course
        closed, the deadline passed, not of the department, on the staff, already
        nominated). A person or a course outside the caller's scope is 404."""
        course = self.get_object()
        query = EligibilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = {"pk": data["person"]} if "person" in data else {}
        if not found:
            found = {"national_id": data["national_id"].strip()}
        person = access.get_or_404(
            Person.objects.select_related("workplace"),
            request.user,
            self.get_permission(),
            **found,
        )
        answer = selectors.nomination_eligibility(
            user=request.user,
            course=course,
            person=person,  # type: ignore[arg-type]
            audience=data.get("audience"),
        )
        return Response(EligibilitySerializer(answer).data)


class QuotaSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name")
    course_code = serializers.CharField(source="course.code")

    class Meta:
        model = Quota
        fields = [
            "id",
            "course",
            "course_code",
            "department",
            "department_name",
            "audience",
            "seats",
            "seats_held",
            "funded_by",
        ]


class QuotaViewSet(ScopedReadOnlyViewSet):
    """Quotas of the departments in the caller's scope; `?course=<id>`."""

    permission = "events.view"
    queryset = Quota.objects.select_related("department", "course")
    serializer_class = QuotaSerializer
    filterset_fields = ["course", "department", "audience"]


class NominationSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    course_code = serializers.CharField(source="course.code", read_only=True)
    submit = serializers.BooleanField(
        write_only=True,
        default=True,
        help_text="POST only: false keeps the nomination a draft (submit it later).",
    )

    class Meta:
        model = Nomination
        fields = [
            "id",
            "course",
            "course_code",
            "quota",
            "department",
            "person",
            "person_name",
            "audience",
            "status",
            "is_eligible",
            "eligibility_notes",
            "override_reason",
            "submitted_at",
            "decision_reason",
            "decided_at",
            "substitute_for",
            "funded_by",
            "travel_cost",
            "note",
            "submit",
        ]
        read_only_fields = [
            f for f in fields if f not in {"quota", "person", "note", "travel_cost", "submit"}
        ]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=500)  # blank: the service says why


class SubstituteSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False, help_text="The substitute's id.")
    national_id = serializers.CharField(
        required=False, max_length=12, help_text="Or the substitute's national ID (CCCD)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs):
        if ("person" in attrs) == ("national_id" in attrs):
            raise serializers.ValidationError(_("Give the substitute's person id or national ID."))
        return attrs


class TravelCostSerializer(serializers.Serializer):
    travel_cost = serializers.DecimalField(
        max_digits=12, decimal_places=0, allow_null=True, help_text="Đồng; null: not known yet."
    )


class BulkNominationSerializer(serializers.Serializer):
    quota = serializers.IntegerField()
    person = serializers.IntegerField(required=False, help_text="The person's id.")
    national_id = serializers.CharField(
        required=False, max_length=12, help_text="Or the person's national ID (CCCD)."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    travel_cost = serializers.DecimalField(
        max_digits=12, decimal_places=0, min_value=0, allow_null=True, required=False
    )
    submit = serializers.BooleanField(
        default=True, help_text="false keeps the nomination a draft (submit it later)."
    )

    def validate(self, attrs):
        if ("person" in attrs) == ("national_id" in attrs):
            raise serializers.ValidationError(_("Give the person's id or national ID."))
        return attrs


class RefusedItemSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in the list, from 0.")
    detail = serializers.ListField(child=serializers.CharField())


class BulkRefusalSerializer(serializers.Serializer):
    detail = serializers.ListField(child=serializers.CharField())
    items = RefusedItemSerializer(many=True)


def _refused(items: list[dict]) -> Response:
    """A bulk request's 400: a summary and each refused item by its index (a number, which a
    raised ValidationError would turn into a string)."""
    return Response(
        {
            "detail": [ngettext("Nothing was saved: %(count)s item was refused.",
                                "Nothing was saved: %(count)s items were refused.",
                                len(items)) % {"count": len(items)}],
            "items": items,
        },
        status=status.HTTP_400_BAD_REQUEST,
    )  # fmt: skip


def _field_messages(errors: dict) -> list[str]:
    return [
        str(message) if field == "non_field_errors" else f"{field}: {message}"
        for field, messages in errors.items()
        for message in messages
    ]


class NominationViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Nominations in scope. POST `{"quota": id, "person": id}` nominates and submits: the
    answer says whether it holds a seat (`submitted`) or waits (`waitlisted`), and why the
    person is or is not eligible; with `"submit": false` it stays a draft, as "add" on the
    department's page. POST `<id>/submit|withdraw|substitute/` (the department, events.nominate
    on it), `<id>/confirm|reject|override/` (the ministry, events.confirm) and `<id>/promote/`
    (either) press the nomination page's buttons; PATCH `{"travel_cost": …}` records the
    travel the department pays (KH 361/KH-BGDĐT §V.5)."""

    permission = "events.view"
    action_permissions = {
        "create": NOMINATE,
        "partial_update": NOMINATE,
        "submit": NOMINATE,
        "withdraw": NOMINATE,
        "substitute": NOMINATE,
        "confirm": CONFIRM,
        "reject": CONFIRM,
        "override": CONFIRM,
        "promote": NOMINATE,  # or CONFIRM: see get_permission
        "bulk": NOMINATE,
    }
    queryset = Nomination.objects.all()
    serializer_class = NominationSerializer
    filterset_class = NominationFilter

    def get_permission(self) -> str:
        """Moving a nomination off the waitlist is the department's or the ministry's, as on
        the page: the ministry acts with events.confirm (all departments), a department with
        events.nominate on its own."""
        if self.route_action == "promote" and access.has_perm(self.request.user, CONFIRM):
            return CONFIRM
        return super().get_permission()

    def get_queryset(self):
        return selectors.nomination_list(
            user=self.request.user, permission=self.get_permission()
        ).select_related("course")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quota = data.get("quota")
        person = data.get("person")
        if quota is None or person is None:
            raise ValidationError({"detail": [_("quota and person are required.")]})
        try:
            quota = access.get_or_404(
                Quota.objects.all(), request.user, "events.nominate", pk=quota.pk
            )
            person = access.get_or_404(
                Person.objects.select_related("workplace"),
                request.user,
                "events.nominate",
                pk=person.pk,
            )
            nominate = (
                services.nomination_nominate
                if data.get("submit", True)
                else services.nomination_create
            )
            nomination = nominate(
                actor=request.user,
                quota=quota,
                person=person,
                note=data.get("note", ""),
                travel_cost=data.get("travel_cost"),
            )
        except DjangoValidationError as exc:
            raise service_error(exc) from exc
        except (DjangoPermissionDenied, Http404) as exc:
            raise PermissionDenied from exc
        return Response(self.get_serializer(nomination).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkNominationSerializer(many=True),
        responses={201: NominationSerializer(many=True), 400: BulkRefusalSerializer},
    )
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def bulk(self, request):
        """Nominate a list at once, all or nothing: a JSON list (at most 500) of `{"quota":
        id, "person": id | "national_id": "…", "note", "travel_cost", "submit"}`, each
        created and submitted in order as by POST `/api/nominations/` (a seat, or the
        waitlist; `"submit": false` keeps a draft). 201 with the nominations; 400 when any
        item is refused — nothing is saved and `items` lists each refused one by its index
        with the reason. A quota outside the caller's scope is 404 for the whole list."""
        if not isinstance(request.data, list):
            raise ValidationError({"detail": [_("Send a list of nominations.")]})
        if len(request.data) > services.BULK_LIMIT:
            raise ValidationError(
                {
                    "detail": [
                        _("At most %(limit)s nominations at once: this list has %(count)s.")
                        % {"limit": services.BULK_LIMIT, "count": len(request.data)}
                    ]
                }
            )
        body = BulkNominationSerializer(data=request.data, many=True)
        if not body.is_valid():
            errors = body.errors  # {index: {field: [message]}} (a list in older DRF versions)
            pairs = errors.items() if isinstance(errors, dict) else enumerate(errors)
            return _refused(
                [
                    {"index": int(index), "detail": _field_messages(found)}
                    for index, found in sorted(pairs, key=lambda pair: int(pair[0]))
                    if found
                ]
            )
        items = body.validated_data
        quotas = self._bulk_quotas(request.user, [item["quota"] for item in items])
        people = self._bulk_people(request.user, items)
        rows = [
            services.NominationRow(
                quota=quotas[item["quota"]],
                person=people.get(item.get("person") or item.get("national_id", "").strip()),
                note=item.get("note", ""),
                travel_cost=item.get("travel_cost"),
                submit=item["submit"],
            )
            for item in items
        ]
        try:
            created = services.nominations_nominate_all(actor=request.user, rows=rows)
        except DjangoValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise service_error(exc) from exc
            return _refused(
                [
                    {"index": int(index), "detail": messages}
                    for index, messages in sorted(
                        exc.message_dict.items(), key=lambda pair: int(pair[0])
                    )
                ]
            )
        fresh = Nomination.objects.select_related("course", "person").in_bulk(
            [n.pk for n in created]
        )
        return Response(
            NominationSerializer(
                [fresh[n.pk] for n in created], many=True, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @staticmethod
    def _bulk_quotas(user, ids: list[int]) -> dict[int, Quota]:
        """The quotas the items name, each one the caller nominates on; else the whole list
        is 404 (outside their scope: existence not disclosed) or 403 (a quota they see but
        do not nominate on)."""
        found = {
            q.pk: q
            for q in access.restrict(
                Quota.objects.select_related("course__owner", "department"), user, NOMINATE
            ).filter(pk__in=set(ids))
        }
        for index, pk in enumerate(ids):
            if pk in found:
                continue
            detail = _("Item %(index)s: no such quota.") % {"index": index}
            if access.restrict(Quota.objects.all(), user, "events.view").filter(pk=pk).exists():
                raise PermissionDenied(detail)
            raise NotFound(detail)
        return found

    @staticmethod
    def _bulk_people(user, items: list[dict]) -> dict:
        """The people the items name, by id and by national ID, within the caller's scope;
        one not there is refused with its row (an unknown ID reads the same)."""
        people = access.restrict(Person.objects.select_related("workplace"), user, NOMINATE)
        ids = {item["person"] for item in items if "person" in item}
        numbers = {item["national_id"].strip() for item in items if "national_id" in item}
        found: dict = {p.pk: p for p in people.filter(pk__in=ids)} if ids else {}
        if numbers:
            found.update({p.national_id: p for p in people.filter(national_id__in=numbers)})
        return found

    def _press(self, request, form, run, created: bool = False) -> Response:
        """Validate the body with `form`, call `run(nomination, data)` (a service), answer with
        the nomination it returns; a service's refusal is a 400 with its message."""
        nomination = self.get_object()
        body = form(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = run(nomination, body.validated_data)
        except DjangoValidationError as exc:
            raise service_error(exc) from exc
        fresh = selectors.nomination_list(user=request.user).filter(pk=result.pk).first()
        return Response(
            NominationSerializer(fresh or result, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=TravelCostSerializer, responses=NominationSerializer)
    def partial_update(self, request, *args, **kwargs):
        def run(nomination, data):
            services.travel_costs_set(
                actor=request.user,
                course=nomination.course,
                department=nomination.department,
                costs={nomination.pk: data["travel_cost"]},
            )
            return nomination

        return self._press(request, TravelCostSerializer, run)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        """Send a draft to the ministry: it takes a seat, or joins the waitlist when the quota
        or the course is full (`status` says which). Closed after the call's deadline."""
        return self._press(
            request,
            serializers.Serializer,
            lambda n, data: services.nomination_submit(actor=request.user, nomination=n),
        )

    @extend_schema(request=ReasonSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def withdraw(self, request, pk=None):
        """Withdraw the nomination (optional `reason`); its seat goes to the waitlist."""
        return self._press(
            request,
            ReasonSerializer,
            lambda n, data: services.nomination_withdraw(
                actor=request.user, nomination=n, reason=data.get("reason", "").strip()
            ),
        )

    @extend_schema(request=SubstituteSerializer, responses={201: NominationSerializer})
    @action(detail=True, methods=["post"], filterset_class=None)
    def substitute(self, request, pk=None):
        """Replace a confirmed participant with another person of the department (`person`
        id or `national_id`); answers with the substitute's new nomination."""

        def run(nomination, data):
            found = {"pk": data["person"]} if "person" in data else {}
            if not found:
                found = {"national_id": data["national_id"].strip()}
            person = access.get_or_404(
                Person.objects.select_related("workplace"), request.user, NOMINATE, **found
            )
            return services.nomination_substitute(
                actor=request.user,
                nomination=nomination,
                person=person,
                reason=data.get("reason", "").strip(),
            )

        return self._press(request, SubstituteSerializer, run, created=True)

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def promote(self, request, pk=None):
        """Move a waitlisted nomination onto a free seat of its quota and course (`status`
        becomes `submitted`), whatever its place on the waitlist; 400 when no seat is free. A
        seat that frees up goes to the first on the waitlist without this call."""
        return self._press(
            request,
            serializers.Serializer,
            lambda n, data: services.nomination_promote(actor=request.user, nomination=n),
        )

    @extend_schema(request=None, responses=NominationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def confirm(self, request, pk=None):
        """The ministry confirms a submitted nomination; an ineligible person needs an
        exception (`override/`) first."""
        return self._press(
            request,
            serializers.Serializer,
            lambda n, data: services.nomination_confirm(actor=request.user, nomination=n),
        )

    @extend_schema(request=RequiredReasonSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def reject(self, request, pk=None):
        """The ministry turns the nomination down; `reason` is required."""
        return self._press(
            request,
            RequiredReasonSerializer,
            lambda n, data: services.nomination_reject(
                actor=request.user, nomination=n, reason=data["reason"]
            ),
        )

    @extend_schema(request=RequiredReasonSerializer, responses=NominationSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def override(self, request, pk=None):
        """The ministry accepts a person the course's rule turns away; `reason` is required
        and kept in the audit trail."""
        return self._press(
            request,
            RequiredReasonSerializer,
            lambda n, data: services.nomination_override(
                actor=request.user, nomination=n, reason=data["reason"]
            ),
        )


class RecorderMixin:
    """Attendance and results are recorded by trainers and the ministry (events.attendance) on
    any course, and by a department on its own cascade course (events.cascade) — the rule of
    the attendance and results pages (`selectors.can_record_attendance`)."""

    recorder_actions: tuple[str, ...] = ()

    def check_permissions(self, request):
        super().check_permissions(request)  # type: ignore[misc]
        if self.route_action in self.recorder_actions and not (  # type: ignore[attr-defined]
            access.has_perm(request.user, "events.attendance")
            or access.has_perm(request.user, "events.cascade")
        ):
            self.permission_denied(request)  # type: ignore[attr-defined]

    @staticmethod
    def recordable(user, pk) -> Nomination:
        """The participant `user` records: 404 outside their scope, 403 when they see the
        nomination but do not record its course."""
        nomination = selectors.recordable_nominations(user=user).filter(pk=pk).first()
        if nomination is not None:
            return nomination
        if selectors.nomination_list(user=user).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="nomination.person.full_name", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "nomination",
            "person_name",
            "day",
            "is_present",
            "source",
            "minutes_online",
            "recorded_at",
        ]
        read_only_fields = ["id", "source", "minutes_online", "recorded_at"]


class AttendanceWriteSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    day = serializers.IntegerField(min_value=1)
    is_present = serializers.BooleanField(default=True)


class BadgeScanSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    code = serializers.CharField(max_length=40, help_text="The code printed on the badge.")
    day = serializers.IntegerField(min_value=1)


class AttendanceViewSet(RecorderMixin, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Attendance per participant and day; `?nomination__course=<id>`. POST
    `{"nomination": id, "day": 2, "is_present": true}` records one day; POST `scan/`
    `{"course": id, "code": "…", "day": 2}` marks the badge's holder present. Trainers and
    the ministry on any course, a department on its own cascade course."""

    permission = "events.attendance"
    action_permissions = {"create": "events.view", "scan": "events.view"}
    recorder_actions = ("create", "scan")
    queryset = Attendance.objects.select_related("nomination__person")
    serializer_class = AttendanceSerializer
    filterset_fields = ["nomination", "nomination__course", "day", "is_present"]

    def _answer(self, record: Attendance) -> Response:
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceWriteSerializer, responses={201: AttendanceSerializer})
    def create(self, request, *args, **kwargs):
        body = AttendanceWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        nomination = self.recordable(request.user, data["nomination"])
        try:
            record = services.attendance_set(
                actor=request.user,
                nomination=nomination,
                day=data["day"],
                is_present=data["is_present"],
            )
        except DjangoValidationError as exc:
            raise service_error(exc) from exc
        return self._answer(record)

    @extend_schema(request=BadgeScanSerializer, responses={201: AttendanceSerializer})
    @action(detail=False, methods=["post"])
    def scan(self, request):
        """Mark present the participant whose badge code was read (a scanner or a phone)."""
        body = BadgeScanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        course = selectors.course_get(user=request.user, pk=data["course"])
        if course.is_cascade and not access.scope(request.user, "events.view").covers(
            course.owner.path
        ):
            raise Http404
        if not selectors.can_record_attendance(request.user, course):
            raise PermissionDenied
        try:
            record = services.attendance_scan(
                actor=request.user, course=course, code=data["code"], day=data["day"]
            )
        except DjangoValidationError as exc:
            raise service_error(exc) from exc
        return self._answer(record)


class ResultSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="nomination.person.full_name")
    course = serializers.IntegerField(source="nomination.course_id")

    class Meta:
        model = Result
        fields = ["id", "nomination", "course", "person_name", "outcome", "score", "remarks"]


class ResultWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    score = serializers.DecimalField(
        max_digits=4, decimal_places=2, min_value=0, max_value=10, allow_null=True, required=False
    )
    remarks = serializers.CharField(allow_blank=True, max_length=500, required=False)


class ResultCreateSerializer(ResultWriteSerializer):
    nomination = serializers.IntegerField()


class ResultViewSet(RecorderMixin, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Results of the participants in scope; `?nomination__course=<id>`. POST `{"nomination":
    id, "outcome": "dat"|"khong_dat", "score": 8.5, "remarks": ""}` records (or replaces) a
    participant's result, PATCH `<id>/` changes it: trainers and the ministry on any course,
    a department on its own cascade course — as on the results page. "Đạt" needs the course's
    days of attendance."""

    permission = "events.view"
    recorder_actions = ("create", "partial_update")
    queryset = Result.objects.select_related("nomination__person")
    serializer_class = ResultSerializer
    filterset_fields = ["nomination__course", "outcome"]

    def get_queryset(self):
        return selectors.only_own(
            super().get_queryset(), user=self.request.user, person="nomination__person"
        )

    def _record(self, request, nomination, data, *, current=None) -> Result:
        try:
            return services.result_record(
                actor=request.user,
                nomination=nomination,
                outcome=data.get("outcome", current.outcome if current else ""),
                score=data.get("score", current.score if current else None),
                remarks=data.get("remarks", current.remarks if current else "").strip(),
            )
        except DjangoValidationError as exc:
            raise service_error(exc) from exc

    @extend_schema(request=ResultCreateSerializer, responses={201: ResultSerializer})
    def create(self, request, *args, **kwargs):
        body = ResultCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        nomination = self.recordable(request.user, data["nomination"])
        existed = Result.objects.filter(nomination=nomination).exists()
        result = self._record(
            request, nomination, data
        )  # the whole record: what is left out is empty
        return Response(
            ResultSerializer(result, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(request=ResultWriteSerializer, responses=ResultSerializer)
    def partial_update(self, request, *args, **kwargs):
        current = self.get_object()
        nomination = self.recordable(request.user, current.nomination_id)
        body = ResultWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        result = self._record(request, nomination, body.validated_data, current=current)
        return Response(ResultSerializer(result, context=self.get_serializer_context()).data)


class CertificateSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    course_code = serializers.CharField(source="course.code")
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "code",
            "status",
            "holder_name",
            "course",
            "course_code",
            "outcome",
            "issued_on",
            "revoked_at",
            "revoke_reason",
            "verify_url",
        ]

    def get_verify_url(self, obj) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(obj.verify_path) if request else obj.verify_path


class VerificationSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title")
    dates = serializers.CharField(source="course.dates_label")
    superseded_by = serializers.CharField(source="superseded_by.number", default=None)

    class Meta:
        model = Certificate
        fields = [
            "number",
            "status",
            "holder_name",
            "course_title",
            "dates",
            "outcome",
            "issued_on",
            "revoked_at",
            "revoke_reason",
            "superseded_by",
        ]


class CertificateViewSet(ScopedReadOnlyViewSet):
    """Certificates in scope, each with its public `code`; `?status=valid|revoked`."""

    permission = "events.view"
    queryset = Certificate.objects.select_related("course")
    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter
    throttle_scope = "verify"  # read by ScopedRateThrottle, which only the public action uses

    def get_queryset(self):
        return selectors.certificate_list(user=self.request.user)

    @action(
        detail=False,
        url_path=r"verify/(?P<code>[A-Za-z0-9-]+)",
        permission_classes=[AllowAny],
        throttle_classes=[ScopedRateThrottle],
        filterset_class=None,
        pagination_class=None,
    )
    def verify(self, request, code: str):
        """Public: the status of the certificate a code names — `valid`, `revoked` (with
        reason and date) or `superseded`. An altered or unknown code is 404."""
        number = number_from_code(code)
        certificate = selectors.certificate_by_number(number) if number else None
        if certificate is None:
            return Response(
                {"status": "not_found", "detail": "No certificate has this code."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(VerificationSerializer(certificate).data)


def register(router) -> None:
    router.register("courses", CourseViewSet, basename="course")
    router.register("quotas", QuotaViewSet, basename="quota")
    router.register("nominations", NominationViewSet, basename="nomination")
    router.register("attendance", AttendanceViewSet, basename="attendance")
    router.register("results", ResultViewSet, basename="result")
    router.register("certificates", CertificateViewSet, basename="certificate")
