from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fuhai import lockouts, search, views
from fuhai.board import views as board

urlpatterns = [
    path("", views.home, name="home"),
    path("community/<int:community_id>/switch/", views.switch_community_view, name="community_switch"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/lockouts/", lockouts.lockout_list, name="lockout_list"),
    path("accounts/lockouts/lift/", lockouts.lockout_lift, name="lockout_lift"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("board/", board.board, name="board"),
    path("board/refresh/", board.board_refresh, name="board_refresh"),
    path("board/summary/", board.board_summary, name="board_summary"),
    path("board/screen/", board.board_screen, name="board_screen"),
    path("board/tasks/", board.task_add, name="board_task_add"),
    path("board/tasks/<int:pk>/move/", board.task_move, name="board_task_move"),
    path("board/tasks/<int:pk>/visits/", board.task_visits, name="board_task_visits"),
    path("board/links/", board.board_links, name="board_links"),
    path("board/links/<int:pk>/revoke/", board.board_link_revoke, name="board_link_revoke"),
    path("board/tv/<str:token>/", board.board_tv, name="board_tv"),
    path("board/tv/<str:token>/refresh/", board.board_tv_refresh, name="board_tv_refresh"),
    path("reports/", include("fuhai.reports.urls")),
    path("issues/", include("issues.urls")),
    path("residents/", include("residents.urls")),
    path("activities/", include("activities.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("search/", search.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler500 = "fuhai.views.server_error"
