"""Public pages, mounted at the site root: anyone can verify a certificate at /verify/<code>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
