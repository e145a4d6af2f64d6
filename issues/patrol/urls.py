"""Patrol; included by issues/urls.py, so the names stay in the ``issues`` namespace."""

from django.urls import path

from issues.patrol import views

urlpatterns = [
    path("", views.patrol_start, name="patrol_start"),
    path("route/", views.patrol_route, name="patrol_route"),
    path("route/<int:pk>/move/", views.patrol_stop_move, name="patrol_stop_move"),
    path("<int:pk>/", views.patrol_detail, name="patrol_detail"),
    path("<int:pk>/check/", views.patrol_check, name="patrol_check"),
    path("<int:pk>/undo/", views.patrol_undo, name="patrol_undo"),
    path("<int:pk>/find/", views.patrol_find, name="patrol_find"),
    path("<int:pk>/end/", views.patrol_end, name="patrol_end"),
    path("<int:pk>/summary/", views.patrol_summary, name="patrol_summary"),
]
