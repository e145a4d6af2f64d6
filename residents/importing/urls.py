from django.urls import path

from residents.importing import views

urlpatterns = [
    path("import/", views.resident_import, name="resident_import"),
    path("import/template.xlsx", views.resident_import_template, name="resident_import_template"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views.import_job_progress, name="import_job_progress"),
]
