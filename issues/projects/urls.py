"""Projects; included by issues/urls.py, so the names stay in the ``issues`` namespace."""

from django.urls import path

from issues.projects import views

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_edit, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/finish/", views.project_finish, name="project_finish"),
    path("<int:pk>/milestones/", views.milestone_create, name="milestone_create"),
    path("<int:pk>/milestones/<int:milestone>/done/", views.milestone_done, name="milestone_done"),
    path("<int:pk>/milestones/<int:milestone>/move/", views.milestone_move, name="milestone_move"),
]
