"""User and role management: the anti-escalation rule, scope, self-protection and the audit
trail (services), then the pages over HTTP."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.text import capfirst

from boiduong.accounts import services
from boiduong.accounts.models import RoleAssignment, User
from boiduong.accounts.roles import GRANTABLE, PERMISSIONS, Role
from boiduong.core.models import AuditEvent
from boiduong.orgs.models import OrgUnit

HANOI = "SGD01-2025"
HANOI_SCHOOL = "SGD01-2025-MN001"
CAMAU_SCHOOL = "SGD96-2025-MN001"


def _create(world, actor="so.hanoi", unit=HANOI_SCHOOL, role=Role.PARTICIPANT, username="gv.moi"):
    return services.user_create(
        actor=world.user(actor),
        username=username,
        full_name="Nguyễn Văn Mới",
        email="moi@example.edu.vn",
        workplace=world.unit(unit),
        role=role,
    )


def _events(instance):
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
    )


# --- the declaration -------------------------------------------------------------------------


def test_every_user_manager_has_a_grantable_row():
    assert set(GRANTABLE) == PERMISSIONS["accounts.manage"]
    assert Role.MINISTRY_OFFICER not in GRANTABLE[Role.PROVINCIAL_OFFICER]
    assert GRANTABLE[Role.MINISTRY_ADMIN] == frozenset(Role)


# --- services: creation, audit, scope --------------------------------------------------------


def test_create_makes_a_login_with_a_one_time_password(world):
    user, password = _create(world)
    user.refresh_from_db()
    assert user.check_password(password) and user.must_change_password
    assert len(password) == 14 and password.count("-") == 2
    assert [(a.role, a.org_unit.code) for a in user.role_assignments.all()] == [
        ("participant", HANOI_SCHOOL)
    ]
    created = _events(user).get()
    assert created.action == "create" and created.actor.username == "so.hanoi"
    assert "password" not in created.changes  # never a hash in the trail
    assert created.changes["full_name"] == [None, "Nguyễn Văn Mới"]
    assert _events(user.role_assignments.get()).get().action == "create"


def test_create_outside_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        _create(world, unit=CAMAU_SCHOOL)
    assert not User.objects.filter(username="gv.moi").exists()


def test_duplicate_username_is_a_validation_error(world):
    with pytest.raises(ValidationError):
        _create(world, username="giaovien")


def test_search_text_is_folded(world):
    user, _ = _create(world)
    assert "nguyen van moi" in user.search_text


# --- services: anti-escalation ---------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.PROVINCIAL_OFFICER, Role.TRAINER, Role.PARTICIPANT, Role.VIEWER]
)
def test_provincial_officer_grants_the_roles_they_may(world, role):
    user, _ = _create(world)  # a participant at the school
    services.role_grant(
        actor=world.user("so.hanoi"), user=user, role=role, org_unit=world.unit(HANOI)
    )
    assert user.role_assignments.filter(role=role, org_unit__code=HANOI).exists()


@pytest.mark.parametrize(
    "role",
    [Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER, Role.INSPECTOR, Role.INSTITUTION_OFFICER],
)
def test_provincial_officer_cannot_grant_higher_roles(world, role):
    teacher = world.user("giaovien")
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.user("so.hanoi"), user=teacher, role=role, org_unit=world.unit(HANOI)
        )
    assert not teacher.role_assignments.filter(role=role).exists()
    with pytest.raises(PermissionDenied):
        _create(world, role=role)


def test_no_grant_on_a_unit_outside_scope(world):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.user("so.hanoi"),
            user=world.user("giaovien"),
            role=Role.TRAINER,
            org_unit=world.unit(CAMAU_SCHOOL),
        )


def test_no_grant_to_a_user_outside_scope(world):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.user("so.hanoi"),
            user=world.user("so.camau"),
            role=Role.VIEWER,
            org_unit=world.unit(HANOI_SCHOOL),
        )


def test_roles_without_accounts_manage_grant_nothing(world):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=world.user("cuc.ngcbqlgd"),
            user=world.user("giaovien"),
            role=Role.VIEWER,
            org_unit=world.unit(HANOI_SCHOOL),
        )


def test_ministry_admin_grants_anything_anywhere(world):
    assignment = services.role_grant(
        actor=world.user("admin"),
        user=world.user("so.camau"),
        role=Role.MINISTRY_OFFICER,
        org_unit=world.unit("NGCBQLGD"),
        reason="Biệt phái về Cục",
    )
    event = _events(assignment).get()
    assert event.reason == "Biệt phái về Cục" and event.changes["role"] == [
        None,
        "ministry_officer",
    ]


def test_a_user_holding_a_higher_role_cannot_be_changed(world):
    """so.hanoi must not reset the password of someone the ministry gave more power."""
    user, _ = _create(world)
    services.role_grant(
        actor=world.user("admin"), user=user, role=Role.INSPECTOR, org_unit=world.unit("BGDDT")
    )
    officer = world.user("so.hanoi")
    assert not services.may_manage(officer, user)
    with pytest.raises(PermissionDenied):
        services.user_password_reset(actor=officer, user=user)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=officer, user=user, reason="x")
    with pytest.raises(PermissionDenied):
        services.role_revoke(
            actor=officer, assignment=user.role_assignments.get(role="inspector"), reason="x"
        )


def test_superusers_are_changed_only_by_superusers(world):
    admin = world.user("admin")
    services.role_grant(
        actor=admin, user=admin, role=Role.VIEWER, org_unit=world.unit(HANOI_SCHOOL)
    )
    assert not services.may_manage(world.user("so.hanoi"), admin)


# --- services: revoke, deactivate, reset, self-protection ------------------------------------


def test_revoke_needs_a_reason_and_is_audited(world):
    user, _ = _create(world)
    assignment = user.role_assignments.get()
    officer = world.user("so.hanoi")
    with pytest.raises(ValidationError):
        services.role_revoke(actor=officer, assignment=assignment, reason="  ")
    pk = assignment.pk
    services.role_revoke(actor=officer, assignment=assignment, reason="Chuyển công tác")
    assert not RoleAssignment.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="delete", object_id=str(pk))
    assert event.reason == "Chuyển công tác" and event.changes["role"] == ["participant", None]


def test_cannot_remove_ones_own_last_managing_role(world):
    officer = world.user("so.hanoi")
    own = officer.role_assignments.get(role="provincial_officer")
    with pytest.raises(ValidationError, match="cuối cùng"):
        services.role_revoke(actor=officer, assignment=own, reason="thử")
    # With a second managing role, the first may go.
    services.role_grant(
        actor=world.user("admin"),
        user=officer,
        role=Role.PROVINCIAL_OFFICER,
        org_unit=world.unit(HANOI_SCHOOL),
    )
    services.role_revoke(actor=world.user("so.hanoi"), assignment=own, reason="thu hẹp")


def test_the_last_ministry_admin_stays(world):
    admin = world.user("admin")
    own = admin.role_assignments.get(role="ministry_admin")
    with pytest.raises(ValidationError):
        services.role_revoke(actor=admin, assignment=own, reason="thử")


def test_cannot_deactivate_oneself(world):
    officer = world.user("so.hanoi")
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=officer, user=officer, reason="nghỉ")


def test_deactivate_and_reactivate_with_reasons(world):
    officer = world.user("so.hanoi")
    teacher = world.user("giaovien")
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=officer, user=teacher, reason="")
    services.user_deactivate(actor=officer, user=teacher, reason="Nghỉ hưu")
    teacher.refresh_from_db()
    assert not teacher.is_active
    with pytest.raises(ValidationError):
        services.user_deactivate(actor=officer, user=teacher, reason="lại")
    services.user_reactivate(actor=officer, user=teacher, reason="Quay lại")
    teacher.refresh_from_db()
    assert teacher.is_active
    reasons = list(_events(teacher).values_list("reason", "changes"))
    assert ("Nghỉ hưu", {"is_active": [True, False]}) in reasons
    assert ("Quay lại", {"is_active": [False, True]}) in reasons


def test_password_reset_sets_a_new_one_time_password(world):
    officer = world.user("so.hanoi")
    teacher = world.user("giaovien")
    password = services.user_password_reset(actor=officer, user=teacher, reason="Quên mật khẩu")
    teacher.refresh_from_db()
    assert teacher.check_password(password) and teacher.must_change_password
    event = _events(teacher).get()
    assert event.changes["password"] == ["•••", "•••"] and event.reason == "Quên mật khẩu"
    with pytest.raises(ValidationError):
        services.user_password_reset(actor=officer, user=officer)


def test_generated_passwords_differ(world):
    assert len({services.generate_password() for _ in range(20)}) == 20


# --- pages -----------------------------------------------------------------------------------


def test_list_is_scoped_and_searchable_without_diacritics(world):
    client = world.client_for("so.hanoi")
    page = client.get("/accounts/users/").content.decode()
    assert 'data-username="giaovien"' in page and 'data-username="so.hanoi"' in page
    assert 'data-username="so.camau"' not in page and 'data-username="admin"' not in page
    page = client.get("/accounts/users/?q=hoang thi mai").content.decode()
    assert 'data-username="giaovien"' in page and 'data-username="so.hanoi"' not in page
    admin_page = world.client_for("admin").get("/accounts/users/?role=provincial_officer")
    text = admin_page.content.decode()
    assert 'data-username="so.camau"' in text and 'data-username="giaovien"' not in text


def test_list_filters_by_province_and_status(world):
    admin = world.client_for("admin")
    camau = world.unit("SGD96-2025").province_id
    text = admin.get(f"/accounts/users/?province={camau}").content.decode()
    assert 'data-username="so.camau"' in text and 'data-username="so.hanoi"' not in text
    services.user_deactivate(actor=world.user("admin"), user=world.user("lanhdao"), reason="x")
    text = admin.get("/accounts/users/?is_active=false").content.decode()
    assert 'data-username="lanhdao"' in text and 'data-username="so.hanoi"' not in text


def test_list_exports_and_is_audited(world):
    response = world.client_for("so.hanoi").get("/accounts/users/?export=csv")
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "giaovien" in body and "so.camau" not in body
    assert AuditEvent.objects.filter(action="export", changes__format="csv").exists()


@pytest.mark.parametrize("username,most", [("admin", 8), ("so.hanoi", 11)])
def test_list_and_detail_query_counts_are_pinned(
    world, django_assert_max_num_queries, username, most
):
    for n in range(5):  # more rows must not mean more queries
        _create(world, actor="admin", username=f"them.{n}")
    client = world.client_for(username)
    detail = f"/accounts/users/{world.user('giaovien').pk}/"
    client.get("/accounts/users/")  # warm the content-type cache
    client.get(detail)
    with django_assert_max_num_queries(most):
        client.get("/accounts/users/")
    with django_assert_max_num_queries(most - 1):
        client.get(detail)


def test_create_page_shows_the_password_once(world):
    client = world.client_for("so.hanoi")
    school = world.unit(HANOI_SCHOOL)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "gv.hoasen",
            "full_name": "Lý Thị Hoa",
            "email": "",
            "workplace": school.pk,
            "role": "participant",
        },
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="gv.hoasen")
    assert user.check_password(password)
    detail = client.get(f"/accounts/users/{user.pk}/").content.decode()
    assert password not in detail and "Lý Thị Hoa" in detail


def test_create_page_offers_only_units_in_scope_and_grantable_roles(world):
    page = world.client_for("so.hanoi").get("/accounts/users/new/").content.decode()
    assert "Hoa Sen" in page and "(Cà Mau)" not in page
    assert 'value="trainer"' in page and 'value="ministry_officer"' not in page


def test_grant_page_refuses_a_higher_role_with_the_rule(world):
    client = world.client_for("so.hanoi")
    teacher = world.user("giaovien")
    response = client.post(
        f"/accounts/users/{teacher.pk}/roles/grant/",
        {"role": "ministry_officer", "org_unit": world.unit(HANOI).pk},
    )
    assert response.status_code == 200
    assert 'data-testid="form-error"' in response.content.decode()
    assert not teacher.role_assignments.filter(role="ministry_officer").exists()
    response = client.post(
        f"/accounts/users/{teacher.pk}/roles/grant/",
        {"role": "trainer", "org_unit": world.unit(HANOI_SCHOOL).pk, "valid_to": "2030-12-31"},
    )
    assert response.status_code == 302
    assert teacher.role_assignments.get(role="trainer").valid_to.year == 2030


def test_revoke_deactivate_and_reset_over_http(world):
    client = world.client_for("so.hanoi")
    teacher = world.user("giaovien")
    client.post(
        f"/accounts/users/{teacher.pk}/roles/grant/",
        {"role": "viewer", "org_unit": world.unit(HANOI_SCHOOL).pk},
    )
    viewer = teacher.role_assignments.get(role="viewer")
    url = f"/accounts/users/{teacher.pk}/roles/{viewer.pk}/revoke/"
    assert client.post(url, {"reason": ""}).status_code == 302
    assert RoleAssignment.objects.filter(pk=viewer.pk).exists()  # no reason, no revoke
    client.post(url, {"reason": "Hết nhiệm vụ"})
    assert not RoleAssignment.objects.filter(pk=viewer.pk).exists()

    client.post(f"/accounts/users/{teacher.pk}/deactivate/", {"reason": "Nghỉ việc"})
    teacher.refresh_from_db()
    assert not teacher.is_active
    client.post(f"/accounts/users/{teacher.pk}/reactivate/", {"reason": "Đi làm lại"})
    teacher.refresh_from_db()
    assert teacher.is_active

    response = client.post(f"/accounts/users/{teacher.pk}/password/", {"reason": ""})
    teacher.refresh_from_db()
    assert teacher.check_password(response.context["password"])
    history = client.get(f"/accounts/users/{teacher.pk}/").content.decode()
    for reason in ["Hết nhiệm vụ", "Nghỉ việc", "Đi làm lại"]:
        assert reason in history


def test_self_deactivation_is_refused_over_http(world):
    client = world.client_for("so.hanoi")
    me = world.user("so.hanoi")
    response = client.post(f"/accounts/users/{me.pk}/deactivate/", {"reason": "x"}, follow=True)
    me.refresh_from_db()
    assert me.is_active and "alert-danger" in response.content.decode()


def test_foreign_user_actions_are_not_found(world):
    client = world.client_for("so.hanoi")
    camau = world.user("so.camau")
    assert client.post(f"/accounts/users/{camau.pk}/password/").status_code == 404
    assert (
        client.post(f"/accounts/users/{camau.pk}/deactivate/", {"reason": "x"}).status_code == 404
    )


def test_deactivated_user_cannot_log_in(world):
    from boiduong.core.demo import DEMO_PASSWORD

    services.user_deactivate(
        actor=world.user("so.hanoi"), user=world.user("giaovien"), reason="Nghỉ"
    )
    client = world.client_for(None)
    response = client.post("/accounts/login/", {"username": "giaovien", "password": DEMO_PASSWORD})
    assert response.status_code == 200  # the form again, not a redirect home


def test_new_user_must_change_the_password_first(world):
    user, password = _create(world)
    client = world.client_for(None)
    client.post("/accounts/login/", {"username": user.username, "password": password})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    # A fragment the page loads by itself (the menu's job badge) gets nothing, not the
    # password page to swap into the menu (it broke the accounts browser journey).
    badge = client.get("/jobs/active/", headers={"HX-Request": "true"})
    assert badge.status_code == 204 and badge.content == b""
    new = "Hoa-sen-2026-moi"
    response = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/").status_code == 200


def test_menu_shows_users_to_managers_only(world):
    assert "/accounts/users/" in world.client_for("so.hanoi").get("/").content.decode()
    assert "/accounts/users/" not in world.client_for("cuc.ngcbqlgd").get("/").content.decode()


def test_home_card_lists_logins_still_waiting_for_a_password(world):
    _create(world)
    page = world.client_for("so.hanoi").get("/").content.decode()
    assert "Nguyễn Văn Mới" in page and "/accounts/users/" in page
    assert "Nguyễn Văn Mới" not in world.client_for("so.camau").get("/").content.decode()


def test_usernames_are_plain_ascii(world):
    response = world.client_for("so.hanoi").post(
        "/accounts/users/new/",
        {
            "username": "nguyễn văn",
            "full_name": "Nguyễn Văn",
            "workplace": world.unit(HANOI_SCHOOL).pk,
            "role": "participant",
        },
    )
    assert response.status_code == 200 and "password" not in response.context
    assert not User.objects.filter(full_name="Nguyễn Văn").exists()


def test_unit_filter_offers_the_managers_units(world):
    page = world.client_for("so.hanoi").get("/accounts/users/").content.decode()
    assert "Hoa Sen" in page and "Sở Giáo dục và Đào tạo Cà Mau" not in page


# --- the unit picker and the server's own check ------------------------------------------------


def test_a_unit_outside_scope_posted_by_hand_is_refused(world):
    client = world.client_for("so.hanoi")
    foreign = world.unit(CAMAU_SCHOOL).pk
    response = client.post(
        "/accounts/users/new/",
        {"username": "gv.lac", "full_name": "Lạc", "workplace": foreign, "role": "participant"},
    )
    assert response.status_code == 200 and "workplace" in response.context["form"].errors
    assert not User.objects.filter(username="gv.lac").exists()
    teacher = world.user("giaovien")
    response = client.post(
        f"/accounts/users/{teacher.pk}/roles/grant/",
        {"role": "trainer", "org_unit": foreign, "reason": "x"},
    )
    assert "org_unit" in response.context["form"].errors
    assert not teacher.role_assignments.filter(org_unit_id=foreign).exists()


def test_with_many_units_the_picker_holds_only_the_chosen_one(world, monkeypatch):
    from boiduong.orgs.forms import UnitPickerWidget

    monkeypatch.setattr(UnitPickerWidget, "FULL_LIST_LIMIT", 2)
    client = world.client_for("so.hanoi")
    page = client.get("/accounts/users/new/").content.decode()
    assert 'data-remote="1"' in page and "Ánh Dương" not in page
    assert "/orgs/units/lookup/?for=accounts.manage" in page
    assert "vendor/tom-select/tom-select.base.min.js" in page and "cdn" not in page.lower()
    teacher = world.user("giaovien")
    edit = client.get(f"/accounts/users/{teacher.pk}/edit/").content.decode()
    start = edit.index('name="workplace"')
    picker = edit[start : edit.index("</select>", start)]
    assert picker.count("<option") == 2 and teacher.workplace.name in picker  # empty + current
    # Any unit of the scope is accepted, though the page did not list it.
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "gv.anhduong",
            "full_name": "Lê Thị Dương",
            "workplace": world.unit("SGD01-2025-MN002").pk,
            "role": "participant",
        },
    )
    assert response.status_code == 200 and "password" in response.context


def test_with_few_units_the_picker_works_without_javascript(world):
    page = world.client_for("so.hanoi").get("/accounts/users/new/").content.decode()
    assert 'data-remote="0"' in page and "Ánh Dương" in page


# --- editing a user ----------------------------------------------------------------------------


def test_update_changes_name_email_workplace_with_a_reason(world):
    user, _ = _create(world)
    services.user_update(
        actor=world.user("so.hanoi"),
        user=user,
        full_name=" Nguyễn Văn Mới Sửa ",
        email="sua@example.edu.vn",
        workplace=world.unit("SGD01-2025-MN002"),
        reason="đổi trường",
    )
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Văn Mới Sửa" and user.workplace.code == "SGD01-2025-MN002"
    event = _events(user).filter(action="update").get()
    assert event.reason == "đổi trường" and set(event.changes) >= {"full_name", "workplace"}


def test_history_names_the_workplaces_and_leaves_out_a_new_accounts_off_flags(world):
    user, _ = _create(world)
    officer = world.user("so.hanoi")
    old, new = world.unit(HANOI_SCHOOL), world.unit("SGD01-2025-MN002")
    services.user_update(actor=officer, user=user, full_name="X", workplace=new, reason="đổi")
    gone = OrgUnit(kind=new.kind, name="Trường Tạm", parent=new.parent, province=new.province)
    gone.save()
    services.user_update(actor=officer, user=user, full_name="X", workplace=gone, reason="tạm")
    services.user_update(actor=officer, user=user, full_name="X", workplace=new, reason="về")
    gone_id = gone.pk
    gone.delete()
    page = world.client_for("so.hanoi").get(f"/accounts/users/{user.pk}/").content.decode()
    history = page.split('id="history"')[1]
    assert f"{old.name} → {new.name}" in history and f"#{gone_id} (đã xoá) → {new.name}" in history
    with translation.override("vi"):  # off when the account was made: says nothing
        assert str(capfirst(User._meta.get_field("is_superuser").verbose_name)) not in history


def test_update_needs_a_reason_scope_and_the_right_to_manage(world):
    user, _ = _create(world)
    officer = world.user("so.hanoi")
    kwargs = {"full_name": "X", "workplace": world.unit(HANOI_SCHOOL)}
    with pytest.raises(ValidationError):
        services.user_update(actor=officer, user=user, reason=" ", **kwargs)
    with pytest.raises(PermissionDenied):  # moving them to another province
        services.user_update(
            actor=officer, user=user, full_name="X", workplace=world.unit(CAMAU_SCHOOL), reason="x"
        )
    services.role_grant(
        actor=world.user("admin"), user=user, role=Role.INSPECTOR, org_unit=world.unit("BGDDT")
    )
    with pytest.raises(PermissionDenied):  # they hold a role so.hanoi cannot grant
        services.user_update(actor=officer, user=user, reason="x", **kwargs)
    user.refresh_from_db()
    assert user.full_name == "Nguyễn Văn Mới"


def test_edit_page_over_http(world):
    client = world.client_for("so.hanoi")
    teacher = world.user("giaovien")
    url = f"/accounts/users/{teacher.pk}/edit/"
    page = client.get(url).content.decode()
    assert teacher.full_name in page and "tom-select" in page
    assert 'data-testid="edit"' in client.get(f"/accounts/users/{teacher.pk}/").content.decode()
    data = {
        "full_name": "Giáo Viên Đã Sửa",
        "email": "gv@example.edu.vn",
        "workplace": world.unit("SGD01-2025-MN003").pk,
    }
    response = client.post(url, data)  # no reason
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, data | {"workplace": world.unit(CAMAU_SCHOOL).pk, "reason": "x"})
    assert "workplace" in response.context["form"].errors
    response = client.post(url, data | {"reason": "sai tên"})
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{teacher.pk}/"
    teacher.refresh_from_db()
    assert teacher.full_name == "Giáo Viên Đã Sửa" and teacher.workplace.code == "SGD01-2025-MN003"
    history = client.get(f"/accounts/users/{teacher.pk}/").content.decode()
    assert "sai tên" in history
    foreign = world.user("so.camau")
    assert client.get(f"/accounts/users/{foreign.pk}/edit/").status_code == 404
    assert client.post(f"/accounts/users/{foreign.pk}/edit/", data).status_code == 404


def test_without_javascript_a_search_box_finds_the_unit(world, monkeypatch):
    from boiduong.orgs.forms import UnitPickerWidget

    monkeypatch.setattr(UnitPickerWidget, "FULL_LIST_LIMIT", 2)
    client = world.client_for("so.hanoi")
    page = client.get("/accounts/users/new/").content.decode()
    assert '<noscript><input type="search"' in page and 'name="workplace__search"' in page
    data = {"username": "gv.nojs", "full_name": "Không JS", "role": "participant"}
    # Several matches: offered as options, nothing created.
    response = client.post("/accounts/users/new/", data | {"workplace__search": "truong mam non"})
    page = response.content.decode()
    assert "workplace" in response.context["form"].errors
    assert "Hoa Sen (Hà Nội)" in page and "Ánh Dương (Hà Nội)" in page and "Cà Mau" not in page
    # Another province's school is never found, even by its exact code.
    response = client.post("/accounts/users/new/", data | {"workplace__search": CAMAU_SCHOOL})
    assert "workplace" in response.context["form"].errors
    # One match is the answer.
    response = client.post("/accounts/users/new/", data | {"workplace__search": "hoa sen"})
    assert "password" in response.context
    assert User.objects.get(username="gv.nojs").workplace.code == HANOI_SCHOOL
