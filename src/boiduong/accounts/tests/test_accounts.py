from boiduong.core.demo import DEMO_PASSWORD


def test_login_page_is_vietnamese(world):
    page = world.client_for(None).get("/accounts/login/").content.decode()
    assert "Đăng nhập" in page


def test_login_and_home(world):
    client = world.client_for(None)
    response = client.post("/accounts/login/", {"username": "so.hanoi", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Sở GDĐT Hà Nội" in page


def test_english_is_available(world):
    client = world.client_for(None)
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


def test_repeated_failures_lock_the_login(world, settings):
    client = world.client_for(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "so.hanoi", "password": "sai"})
    response = client.post("/accounts/login/", {"username": "so.hanoi", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert 'data-testid="locked-out"' in response.content.decode()


def test_menu_follows_roles(world):
    admin_page = world.client_for("admin").get("/").content.decode()
    teacher_page = world.client_for("giaovien").get("/").content.decode()
    assert "/audit/" in admin_page
    assert "/audit/" not in teacher_page


def test_api_token_auth_uses_the_same_access_layer(world):
    from rest_framework.test import APIClient

    client = APIClient()
    response = client.post(
        "/api/token/", {"username": "so.hanoi", "password": DEMO_PASSWORD}, format="json"
    )
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    hanoi = world.unit("SGD01-2025")
    schools_in_scope = hanoi.descendants().filter(kind="school").count()
    hanoi_old = world.unit("SGD01")
    schools_in_scope += hanoi_old.descendants().filter(kind="school").count()
    assert client.get("/api/org-units/?kind=school").json()["count"] == schools_in_scope
    school = world.unit("SGD96-2025-MN001")
    assert client.get(f"/api/org-units/{school.pk}/").status_code == 404


def test_logout_ends_the_session(world):
    client = world.client_for("so.hanoi")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_api_schema_and_docs_render(world):
    client = world.client_for(None)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/org-units/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower() and "cdn" not in docs.lower()
