from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/lookup/", views.UnitLookupView.as_view(), name="unit_lookup"),
    path("units/tree/", views.UnitTreeView.as_view(), name="unit_tree"),
    path("units/tree/<int:pk>/", views.UnitTreeView.as_view(), name="unit_tree_children"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("provinces/", views.ProvinceListView.as_view(), name="province_list"),
    path("provinces/<int:pk>/", views.ProvinceDetailView.as_view(), name="province_detail"),
]
