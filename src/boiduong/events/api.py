"""The events API: courses, quotas, nominations (POST nominates through the service),
attendance (POST records a day), results, certificates, and the public verification endpoint.
Everything reads through the access layer; writes go through services.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from boiduong.core import access
from boiduong.core.api import ScopedReadOnlyViewSet
from boiduong.people.models import Person

from . import selectors, services
from .certificates import number_from_code
from .filters import CertificateFilter, CourseFilter, NominationFilter
from .models import Attendance, Certificate, Course, Nomination, Quota, Result


def _service_errors(exc: DjangoValidationError) -> ValidationError:
    return ValidationError({"detail": exc.messages})


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


class CourseViewSet(ScopedReadOnlyViewSet):
    """Courses: national ones for everyone with events.view, cascades within scope."""

    permission = "events.view"
    queryset = Course.objects.select_related("region", "owner")
    serializer_class = CourseSerializer
    filterset_class = CourseFilter


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
            "funded_by",
            "travel_cost",
            "note",
        ]
        read_only_fields = [
            f for f in fields if f not in {"quota", "person", "note", "travel_cost"}
        ]


class NominationViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Nominations in scope. POST `{"quota": id, "person": id}` nominates and submits: the
    answer says whether it holds a seat (`submitted`) or waits (`waitlisted`), and why the
    person is or is not eligible."""

    queryset = Nomination.objects.all()
    serializer_class = NominationSerializer
    filterset_class = NominationFilter

    @property  # the permission gate reads the attribute; here it depends on the method
    def permission(self) -> str:  # type: ignore[override]
        return "events.nominate" if self.request.method == "POST" else "events.view"

    def get_queryset(self):
        return selectors.nomination_list(user=self.request.user).select_related("course")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quota = data.get("quota")
        person = data.get("person")
        if quota is None or person is None:
            raise ValidationError({"detail": ["quota and person are required."]})
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
            nomination = services.nomination_nominate(
                actor=request.user,
                quota=quota,
                person=person,
                note=data.get("note", ""),
                travel_cost=data.get("travel_cost"),
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        except (DjangoPermissionDenied, Http404) as exc:
            raise PermissionDenied from exc
        return Response(self.get_serializer(nomination).data, status=status.HTTP_201_CREATED)


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = [
            "id",
            "nomination",
            "day",
            "is_present",
            "source",
            "minutes_online",
            "recorded_at",
        ]
        read_only_fields = ["id", "source", "minutes_online", "recorded_at"]


class AttendanceViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Attendance per participant and day; `?nomination__course=<id>`. POST
    `{"nomination": id, "day": 2, "is_present": true}` records one day (trainers)."""

    permission = "events.attendance"
    queryset = Attendance.objects.select_related("nomination")
    serializer_class = AttendanceSerializer
    filterset_fields = ["nomination", "nomination__course", "day", "is_present"]

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        nomination = access.get_or_404(
            Nomination.objects.select_related("course"),
            request.user,
            "events.attendance",
            pk=data["nomination"].pk,
        )
        try:
            record = services.attendance_set(
                actor=request.user,
                nomination=nomination,
                day=data["day"],
                is_present=data.get("is_present", True),
            )
        except DjangoValidationError as exc:
            raise _service_errors(exc) from exc
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class ResultSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="nomination.person.full_name")
    course = serializers.IntegerField(source="nomination.course_id")

    class Meta:
        model = Result
        fields = ["id", "nomination", "course", "person_name", "outcome", "score", "remarks"]


class ResultViewSet(ScopedReadOnlyViewSet):
    """Results of the participants in scope; `?nomination__course=<id>`."""

    permission = "events.view"
    queryset = Result.objects.select_related("nomination__person")
    serializer_class = ResultSerializer
    filterset_fields = ["nomination__course", "outcome"]

    def get_queryset(self):
        return selectors.only_own(
            super().get_queryset(), user=self.request.user, person="nomination__person"
        )


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
