from boiduong.core.matrix import Case

MANAGER = "so.hanoi"
# Roles without accounts.manage (everyone but the ministry admin and provincial officers).
OTHERS = ["cuc.ngcbqlgd", "thanhtra", "giangvien", "dhsp.hanoi", "giaovien", "lanhdao"]


def _user(username):
    return lambda world: {"pk": world.user(username).pk}


HANOI_TEACHER = _user("giaovien")  # works at a Hà Nội school
CAMAU_OFFICER = _user("so.camau")


def _assignment(username):
    def kwargs(world):
        user = world.user(username)
        return {"pk": user.pk, "assignment_pk": user.role_assignments.first().pk}

    return kwargs


CASES = [
    Case("accounts:user_list", allowed=MANAGER, query="?q=hoang&role=participant", denied=OTHERS),
    Case("accounts:user_create", allowed=MANAGER, denied=OTHERS),
    Case(
        "accounts:user_detail",
        allowed=MANAGER,
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_OFFICER,
        denied=OTHERS,
    ),
    Case(
        "accounts:user_edit",
        allowed=MANAGER,
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_OFFICER,
        denied=OTHERS,
    ),
    Case(
        "accounts:role_grant",
        allowed=MANAGER,
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_OFFICER,
        denied=OTHERS,
    ),
    Case(
        "accounts:role_revoke",
        allowed=MANAGER,
        kwargs=_assignment("giaovien"),
        foreign=_assignment("so.camau"),
        denied=OTHERS,
        expect=405,  # revoking is a POST with a reason; a GET says so (after the scope check)
    ),
    Case(
        "accounts:user_deactivate",
        allowed=MANAGER,
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_OFFICER,
        denied=OTHERS,
        expect=405,  # a POST with a reason
    ),
    Case(
        "accounts:user_reactivate",
        allowed=MANAGER,
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_OFFICER,
        denied=OTHERS,
        expect=405,  # a POST with a reason
    ),
    Case(
        "accounts:password_reset",
        allowed=MANAGER,
        kwargs=HANOI_TEACHER,
        foreign=CAMAU_OFFICER,
        denied=OTHERS,
        expect=405,  # a POST; the new password is shown once in its answer
    ),
]
