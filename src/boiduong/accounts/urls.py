from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEditView.as_view(), name="user_edit"),
    path("users/<int:pk>/roles/grant/", views.RoleGrantView.as_view(), name="role_grant"),
    path(
        "users/<int:pk>/roles/<int:assignment_pk>/revoke/",
        views.RoleRevokeView.as_view(),
        name="role_revoke",
    ),
    path(
        "users/<int:pk>/deactivate/",
        views.UserActivationView.as_view(activate=False),
        name="user_deactivate",
    ),
    path(
        "users/<int:pk>/reactivate/",
        views.UserActivationView.as_view(activate=True),
        name="user_reactivate",
    ),
    path("users/<int:pk>/password/", views.PasswordResetView.as_view(), name="password_reset"),
]
