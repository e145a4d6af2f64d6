from django.urls import path

from fuhai.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("export.xlsx", views.report_export, name="report_export"),
    path("records.xlsx", views.report_records, name="report_records"),
    path("street/", views.street, name="street"),
    path("street/export.xlsx", views.street_export, name="street_export"),
    path("rows/issues/<str:figure>/", views.report_issue_rows, name="report_issue_rows"),
    path("rows/activities/", views.report_activity_rows, name="report_activity_rows"),
]
