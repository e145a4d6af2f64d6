from django.urls import include, path

from residents import views
from residents.members import views as members

app_name = "residents"

urlpatterns = [
    path("", views.ResidentListView.as_view(), name="resident_list"),
    path("export.xlsx", views.resident_export, name="resident_export"),
    path("", include("residents.importing.urls")),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/statuses/new/", views.specialstatus_create, name="specialstatus_create"),
    path("<int:pk>/reveal/<slug:field>/", views.resident_reveal, name="resident_reveal"),
    path("<int:pk>/visits/<int:visit_pk>/health-note/", views.visit_health_reveal, name="visit_health_reveal"),
    path("access-log/", views.AccessLogListView.as_view(), name="accesslog_list"),
    path("members/", members.membership_list, name="membership_list"),
    path("members/add/", members.membership_create, name="membership_create"),
    path("members/<int:pk>/role/", members.membership_role, name="membership_role"),
    path("members/<int:pk>/end/", members.membership_end, name="membership_end"),
    path("roster/", views.RosterView.as_view(), name="specialstatus_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/plan/", views.visit_plan, name="visit_plan"),
    path("visits/plan/<str:day>/", views.visit_plan, name="visit_plan_day"),
    path("supplies/", views.supply_list, name="supply_list"),
    path("supplies/hand-out/", views.distribution_create, name="distribution_create"),
    path("", include("residents.editing.urls")),
]
