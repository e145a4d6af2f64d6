from django.urls import path

from issues import hotline_views, views

app_name = "issues"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue_list"),
    path("new/", views.issue_create, name="issue_create"),
    path("new/suggest/", views.issue_suggest, name="issue_suggest"),
    path("export.xlsx", views.issue_export, name="issue_export"),
    path("diary/", views.issue_diary, name="issue_diary"),
    path("diary/<str:day>/", views.issue_diary, name="issue_diary_day"),
    path("<int:pk>/", views.issue_detail, name="issue_detail"),
    path("<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("<int:pk>/followups/", views.followup_create, name="followup_create"),
    path("<int:pk>/settle/", views.issue_settle, name="issue_settle"),
    path("<int:pk>/resolve/", views.issue_resolve, name="issue_resolve"),
    path("<int:pk>/callback/", views.issue_callback, name="issue_callback"),
    path("<int:pk>/resume/", views.issue_resume, name="issue_resume"),
    path("<int:pk>/not-ours/", views.issue_not_ours, name="issue_not_ours"),
    path("<int:pk>/reopen/", views.issue_reopen, name="issue_reopen"),
    path("<int:pk>/merge/", views.issue_merge, name="issue_merge"),
    path("photos/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_edit, name="partner_create"),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("templates/", views.template_list, name="template_list"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("reminders/settings/", views.reminder_settings, name="reminder_settings"),
    path("hotline/", hotline_views.hotline_list, name="hotline_list"),
    path("hotline/new/", hotline_views.hotline_create, name="hotline_create"),
    path("hotline/rates/", hotline_views.hotline_rates, name="hotline_rates"),
    path("hotline/export.xlsx", hotline_views.hotline_export, name="hotline_export"),
    path("hotline/<int:pk>/", hotline_views.hotline_detail, name="hotline_detail"),
    path("hotline/<int:pk>/<slug:step>/", hotline_views.hotline_step, name="hotline_step"),
]

from issues import wechat_views  # noqa: E402  (appended: several people add views to this file)

urlpatterns += [path("wechat/", wechat_views.wechat_paste, name="wechat_paste")]

from issues import patrol_views  # noqa: E402

urlpatterns += [
    path("patrol/", patrol_views.patrol_start, name="patrol_start"),
    path("patrol/route/", patrol_views.patrol_route, name="patrol_route"),
    path("patrol/route/<int:pk>/move/", patrol_views.patrol_stop_move, name="patrol_stop_move"),
    path("patrol/<int:pk>/", patrol_views.patrol_detail, name="patrol_detail"),
    path("patrol/<int:pk>/check/", patrol_views.patrol_check, name="patrol_check"),
    path("patrol/<int:pk>/find/", patrol_views.patrol_find, name="patrol_find"),
    path("patrol/<int:pk>/end/", patrol_views.patrol_end, name="patrol_end"),
    path("patrol/<int:pk>/summary/", patrol_views.patrol_summary, name="patrol_summary"),
]
