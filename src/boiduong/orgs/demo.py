from .choices import OrgUnitKind
from .models import OrgUnit
from .services import load_reference_data

# A few real-sounding preschools so scoped pages have something to show before an import.
DEMO_SCHOOLS = {
    "SGD01-2025": [
        "Trường Mầm non Hoa Sen",
        "Trường Mầm non Ánh Dương",
        "Trường Mầm non Bình Minh",
    ],
    "SGD96-2025": ["Trường Mầm non Hướng Dương", "Trường Mầm non Sao Mai"],
}


def build(*, log) -> None:
    created = load_reference_data()
    log(f"Reference data: {created}")
    for department_code, names in DEMO_SCHOOLS.items():
        department = OrgUnit.objects.select_related("province").get(code=department_code)
        assert department.province is not None
        for index, name in enumerate(names, start=1):
            code = f"{department_code}-MN{index:03d}"
            if not OrgUnit.objects.filter(code=code).exists():
                OrgUnit(
                    kind=OrgUnitKind.SCHOOL,
                    name=f"{name} ({department.province.name})",
                    short_name=name,
                    code=code,
                    parent=department,
                    province=department.province,
                    valid_from=department.valid_from,
                ).save()
