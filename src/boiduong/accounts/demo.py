"""Demo logins, one per role (printed by `make run`, listed in the README)."""

from boiduong.core.demo import DEMO_PASSWORD
from boiduong.orgs.models import OrgUnit

from .models import RoleAssignment, User
from .roles import Role

# username, full name, role, scope unit code, workplace code
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", Role.MINISTRY_ADMIN, "BGDDT", "BGDDT"),
    ("cuc.ngcbqlgd", "Nguyễn Thị Hương", Role.MINISTRY_OFFICER, "BGDDT", "NGCBQLGD"),
    ("so.hanoi", "Trần Văn Minh", Role.PROVINCIAL_OFFICER, "SGD01-2025", "SGD01-2025"),
    ("so.camau", "Lê Thị Thu", Role.PROVINCIAL_OFFICER, "SGD96-2025", "SGD96-2025"),
    ("dhsp.hanoi", "Phạm Quang Huy", Role.INSTITUTION_OFFICER, "DHSPHN", "DHSPHN"),
    ("thanhtra", "Đỗ Mạnh Hùng", Role.INSPECTOR, "BGDDT", "TTR"),
    ("giangvien", "Vũ Thị Lan", Role.TRAINER, "BGDDT", "DHSPHN"),
    ("giaovien", "Hoàng Thị Mai", Role.PARTICIPANT, "SGD01-2025-MN001", "SGD01-2025-MN001"),
    ("lanhdao", "Ngô Văn Thành", Role.VIEWER, "BGDDT", "BGDDT"),
]


def build(*, log) -> None:
    for username, full_name, role, scope_code, workplace_code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                workplace=OrgUnit.objects.get(code=workplace_code),
                is_staff=role == Role.MINISTRY_ADMIN,
                is_superuser=role == Role.MINISTRY_ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        RoleAssignment.objects.get_or_create(
            user=user, role=role, org_unit=OrgUnit.objects.get(code=scope_code)
        )
    log(f"Demo logins (password {DEMO_PASSWORD}): " + ", ".join(u[0] for u in DEMO_USERS))
