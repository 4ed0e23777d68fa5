from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.permissions import AllowAny

urlpatterns = [
    path("", include("boiduong.core.urls")),
    path("accounts/", include("boiduong.accounts.urls")),
    path("orgs/", include("boiduong.orgs.urls")),
    path("people/", include("boiduong.people.urls")),
    path("plans/", include("boiduong.plans.urls")),
    path("events/", include("boiduong.events.urls")),
    path("", include("boiduong.events.public_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("boiduong.api_urls")),
    path("api/token/", obtain_auth_token, name="api-token"),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny]),
        name="api-schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[AllowAny]),
        name="api-docs",
    ),
]
