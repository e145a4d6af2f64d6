"""Activities at the 新时代文明实践站, volunteers, commendations and notices."""

from django.urls import path

from activities.views import activities, attendance, honours, notices, volunteers

app_name = "activities"

urlpatterns = [
    path("", activities.ActivityListView.as_view(), name="activity_list"),
    path("new/", activities.activity_edit, name="activity_create"),
    path("calendar/", activities.activity_calendar, name="activity_calendar"),
    path("calendar/<int:year>/<int:month>/", activities.activity_calendar, name="activity_calendar_month"),
    path("<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("<int:pk>/summary/", activities.activity_summary, name="activity_summary"),
    path("<int:pk>/volunteers/", activities.volunteer_record, name="participation_volunteer"),
    path("<int:pk>/photos/", activities.photo_upload, name="activityphoto_create"),
    path("photos/<int:pk>/", activities.photo_file, name="activityphoto_file"),
    path("photos/<int:pk>/delete/", activities.photo_delete, name="activityphoto_delete"),
    path("participations/<int:pk>/delete/", activities.volunteer_delete, name="participation_delete"),
    path("<int:pk>/checkin/", attendance.checkin_page, name="participation_checkin"),
    path("<int:pk>/checkin/search/", attendance.checkin_search, name="participation_search"),
    path("<int:pk>/checkin/<int:resident_pk>/", attendance.checkin_resident, name="participation_checkin_resident"),
    path("<int:pk>/checkin/walk-in/", attendance.checkin_walkin, name="participation_walkin"),
    path("participations/<int:pk>/undo/", attendance.checkin_undo, name="participation_undo"),
    path("<int:pk>/signup/<int:resident_pk>/", attendance.signup_resident, name="participation_signup"),
    path("volunteers/", volunteers.volunteer_hours, name="volunteer_hours"),
    path("volunteers/export.xlsx", volunteers.volunteer_hours_export, name="volunteer_hours_export"),
    path("volunteers/rounding/", volunteers.settings_edit, name="activitysettings_edit"),
    path("honours/", honours.CommendationListView.as_view(), name="commendation_list"),
    path("honours/new/", honours.commendation_edit, name="commendation_create"),
    path("honours/givers/", honours.commendation_giver_suggest, name="commendation_giver_suggest"),
    path("honours/<int:pk>/edit/", honours.commendation_edit, name="commendation_edit"),
    path("honours/<int:pk>/delete/", honours.commendation_delete, name="commendation_delete"),
    path("honours/<int:pk>/photo/", honours.commendation_photo, name="commendation_photo"),
    path("notices/", notices.NoticeListView.as_view(), name="notice_list"),
    path("notices/new/", notices.notice_edit, name="notice_create"),
    path("notices/<int:pk>/edit/", notices.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/delete/", notices.notice_delete, name="notice_delete"),
]
