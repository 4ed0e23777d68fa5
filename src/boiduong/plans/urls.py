from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("tasks/mine/", views.MyTasksView.as_view(), name="my_tasks"),
    path(
        "programmes/<int:pk>/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator_create",
    ),
    path(
        "programmes/<int:pk>/indicators/<int:indicator_pk>/edit/",
        views.IndicatorEditView.as_view(),
        name="indicator_edit",
    ),
    path(
        "programmes/<int:pk>/indicators/<int:indicator_pk>/delete/",
        views.IndicatorDeleteView.as_view(),
        name="indicator_delete",
    ),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/inline/", views.TaskInlineEditView.as_view(), name="task_inline"),
    path("tasks/<int:pk>/row/", views.TaskRowView.as_view(), name="task_row"),
    path("<int:pk>/", views.PlanTabView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/tasks/", views.PlanTasksView.as_view(), name="plan_tasks"),
    path("<int:pk>/timeline/", views.PlanTimelineView.as_view(), name="plan_timeline"),
    path("<int:pk>/history/", views.PlanHistoryView.as_view(), name="plan_history"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path(
        "documents/<int:pk>/docx/",
        views.DocumentFileView.as_view(fmt="docx"),
        name="document_docx",
    ),
    path("documents/<int:pk>/pdf/", views.DocumentFileView.as_view(fmt="pdf"), name="document_pdf"),
    path("documents/<int:pk>/sign/", views.DocumentSignView.as_view(), name="document_sign"),
    path("documents/<int:pk>/edit/", views.DocumentEditView.as_view(), name="document_edit"),
    path(
        "documents/<int:pk>/attachments/",
        views.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
    path(
        "documents/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "documents/<int:pk>/attachments/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("import/", views.PlanImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.PlanImportPreviewView.as_view(), name="import_preview"),
    path("import/<int:pk>/confirm/", views.PlanImportConfirmView.as_view(), name="import_confirm"),
]
