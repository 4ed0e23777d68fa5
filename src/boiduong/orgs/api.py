from rest_framework import serializers

from boiduong.core.api import ScopedReadOnlyViewSet

from .filters import OrgUnitFilter, ProvinceFilter
from .models import OrgUnit, Province


class ProvinceSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", default=None)
    successor_code = serializers.CharField(source="successor.code", default=None)
    predecessor_codes = serializers.SerializerMethodField()

    class Meta:
        model = Province
        fields = [
            "id",
            "code",
            "name",
            "full_name",
            "unit_type",
            "region",
            "valid_from",
            "valid_to",
            "successor",
            "successor_code",
            "predecessor_codes",
        ]

    def get_predecessor_codes(self, obj) -> list[str]:
        return [p.code for p in obj.predecessors.all()]


class OrgUnitSerializer(serializers.ModelSerializer):
    province_code = serializers.CharField(source="province.code", default=None)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "kind",
            "name",
            "short_name",
            "abbreviation",
            "code",
            "parent",
            "province",
            "province_code",
            "valid_from",
            "valid_to",
            "successor",
        ]


class ProvinceViewSet(ScopedReadOnlyViewSet):
    """Provinces and centrally-run cities; `?as_of=YYYY-MM-DD` gives one period's list."""

    permission = "orgs.view"
    queryset = Province.objects.select_related("region", "successor").prefetch_related(
        "predecessors"
    )
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilter


class OrgUnitViewSet(ScopedReadOnlyViewSet):
    """Org units; filter with `?kind=provincial_department&as_of=2021-04-07`."""

    permission = "orgs.view"
    queryset = OrgUnit.objects.select_related("province")
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter


def register(router) -> None:
    router.register("provinces", ProvinceViewSet, basename="province")
    router.register("org-units", OrgUnitViewSet, basename="orgunit")
