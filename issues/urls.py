from django.urls import include, path

from issues.views import item, log, office, printing, reveal

app_name = "issues"

urlpatterns = [
    path("", log.IssueListView.as_view(), name="issue_list"),
    path("new/", log.issue_create, name="issue_create"),
    path("new/suggest/", log.issue_suggest, name="issue_suggest"),
    path("export.xlsx", log.issue_export, name="issue_export"),
    path("diary/", log.issue_diary, name="issue_diary"),
    path("diary/<str:day>/", log.issue_diary, name="issue_diary_day"),
    path("<int:pk>/", item.issue_detail, name="issue_detail"),
    path("<int:pk>/edit/", item.issue_edit, name="issue_edit"),
    path("<int:pk>/similar/", item.issue_similar, name="issue_similar"),
    path("<int:pk>/reveal/", reveal.issue_reveal, name="issue_reveal"),
    path("<int:pk>/callback/reveal/", reveal.issue_callee_reveal, name="issue_callee_reveal"),
    path("<int:pk>/followups/", item.followup_create, name="followup_create"),
    path("<int:pk>/settle/", item.issue_step, {"step": "settle"}, name="issue_settle"),
    path("<int:pk>/resolve/", item.issue_step, {"step": "resolve"}, name="issue_resolve"),
    path("<int:pk>/callback/", item.issue_step, {"step": "callback"}, name="issue_callback"),
    path("<int:pk>/resume/", item.issue_step, {"step": "resume"}, name="issue_resume"),
    path("<int:pk>/not-ours/", item.issue_step, {"step": "not_ours"}, name="issue_not_ours"),
    path("<int:pk>/reopen/", item.issue_step, {"step": "reopen"}, name="issue_reopen"),
    path("<int:pk>/undo/", item.issue_undo, name="issue_undo"),
    path("<int:pk>/print/", printing.issue_print, name="issue_print"),
    path("hotline/<int:pk>/print/", printing.hotline_print, name="hotline_print"),
    path("<int:pk>/merge/", item.issue_step, {"step": "merge"}, name="issue_merge"),
    path("photos/<int:pk>/", item.attachment_file, name="attachment_file"),
    path("partners/", office.partner_list, name="partner_list"),
    path("partners/new/", office.partner_edit, name="partner_create"),
    path("partners/<int:pk>/", office.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", office.partner_edit, name="partner_edit"),
    path(
        "partners/<int:pk>/contacts/<int:contact>/reveal/", reveal.partner_contact_reveal, name="partner_contact_reveal"
    ),
    path("templates/", office.template_list, name="template_list"),
    path("categories/", office.category_list, name="category_list"),
    path("categories/<int:pk>/", office.category_edit, name="category_edit"),
    path("notifications/", office.NotificationListView.as_view(), name="notification_list"),
    path("notifications/read/", office.notification_read, name="notification_read_all"),
    path("notifications/<int:pk>/read/", office.notification_read, name="notification_read"),
    path("reminders/settings/", office.reminder_settings, name="reminder_settings"),
    path("hotline/", include("issues.hotline.urls")),
    path("patrol/", include("issues.patrol.urls")),
    path("projects/", include("issues.projects.urls")),
    path("wechat/", include("issues.wechat.urls")),
]
