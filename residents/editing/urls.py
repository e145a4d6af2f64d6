"""Adding and changing residents and households; included in the residents namespace."""

from django.urls import path

from residents.editing import views

urlpatterns = [
    path("new/", views.resident_create, name="resident_create"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("households/<int:room_pk>/", views.household_edit, name="household_edit"),
]
