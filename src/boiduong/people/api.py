from rest_framework import serializers

from boiduong.core.api import ScopedReadOnlyViewSet

from . import selectors
from .filters import PersonFilter
from .models import Person


class PersonSerializer(serializers.ModelSerializer):
    national_id = serializers.SerializerMethodField()
    workplace_name = serializers.CharField(source="workplace.name")
    province_code = serializers.CharField(source="workplace.province.code", default=None)
    core_staff = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "national_id",
            "full_name",
            "gender",
            "birth_date",
            "position",
            "qualification",
            "workplace",
            "workplace_name",
            "province_code",
            "core_staff",
        ]

    def get_national_id(self, obj) -> str:
        """Masked ("0010••••••45") unless the caller's role needs the whole ID."""
        return selectors.national_id_for(self.context["request"].user, obj)

    def get_core_staff(self, obj) -> list[dict]:
        return [{"year": s.year, "kind": s.kind} for s in getattr(obj, "core_years", [])]


class PersonViewSet(ScopedReadOnlyViewSet):
    """People in the caller's scope; filter like the page: `?q=nguyen thi&province=…&core=any`."""

    permission = "people.view"
    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)


def register(router) -> None:
    router.register("people", PersonViewSet, basename="person")
