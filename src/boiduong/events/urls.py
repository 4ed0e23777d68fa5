from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.CourseListView.as_view(), name="course_list"),
    path("new/", views.CourseCreateView.as_view(), name="course_create"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("mine/", views.MyCoursesView.as_view(), name="my_courses"),
    path("reach/", views.ReachView.as_view(), name="reach"),
    path("regions/<int:pk>/report/", views.RegionReportView.as_view(), name="region_report"),
    path("<int:pk>/", views.CourseDetailView.as_view(), name="course_detail"),
    path("<int:pk>/edit/", views.CourseUpdateView.as_view(), name="course_update"),
    path("<int:pk>/mode/", views.CourseModeView.as_view(), name="course_mode"),
    path("<int:pk>/staff/", views.StaffAddView.as_view(), name="staff_add"),
    path("<int:pk>/quotas/", views.QuotaListView.as_view(), name="quota_list"),
    path("<int:pk>/call/", views.CallCreateView.as_view(), name="call_create"),
    path("<int:pk>/nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("<int:pk>/nominate/<int:department>/", views.NominateView.as_view(), name="nominate"),
    path(
        "<int:pk>/nominate/<int:department>/template/",
        views.NominationTemplateView.as_view(),
        name="nomination_template",
    ),
    path(
        "<int:pk>/nominate/<int:department>/upload/",
        views.NominationUploadView.as_view(),
        name="nomination_upload",
    ),
    path("<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path(
        "<int:pk>/attendance/toggle/",
        views.AttendanceToggleView.as_view(),
        name="attendance_toggle",
    ),
    path("<int:pk>/attendance/scan/", views.AttendanceScanView.as_view(), name="attendance_scan"),
    path(
        "<int:pk>/attendance/import/",
        views.AttendanceImportView.as_view(),
        name="attendance_import",
    ),
    path("<int:pk>/badges/", views.BadgesView.as_view(), name="badges"),
    path("<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("<int:pk>/certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path(
        "<int:pk>/certificates/generate/",
        views.CertificateGenerateView.as_view(),
        name="certificate_generate",
    ),
    path("<int:pk>/report/", views.CourseReportView.as_view(), name="course_report"),
    path("<int:pk>/cascades/new/", views.CascadeCreateView.as_view(), name="cascade_create"),
    path("<int:pk>/cascade/add/", views.CascadeAddView.as_view(), name="cascade_add"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path(
        "nominations/<int:pk>/act/",
        views.NominationActionView.as_view(),
        name="nomination_action",
    ),
    path(
        "certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"
    ),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfView.as_view(), name="certificate_pdf"),
    path(
        "certificates/<int:pk>/act/",
        views.CertificateActionView.as_view(),
        name="certificate_action",
    ),
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path("templates/new/", views.TemplateEditView.as_view(), name="template_create"),
    path("templates/<int:pk>/", views.TemplateEditView.as_view(), name="template_edit"),
    path(
        "templates/<int:pk>/preview/",
        views.TemplatePreviewView.as_view(),
        name="template_preview",
    ),
]
