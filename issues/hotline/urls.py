"""12345 cases; included by issues/urls.py, so the names stay in the ``issues`` namespace."""

from django.urls import path

from issues.hotline import views

urlpatterns = [
    path("", views.hotline_list, name="hotline_list"),
    path("new/", views.hotline_create, name="hotline_create"),
    path("rates/", views.hotline_rates, name="hotline_rates"),
    path("export.xlsx", views.hotline_export, name="hotline_export"),
    path("settings/", views.hotline_settings, name="hotlinesettings_edit"),
    path("<int:pk>/", views.hotline_detail, name="hotline_detail"),
    path("<int:pk>/<slug:step>/", views.hotline_step, name="hotline_step"),
]
