from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fuhai import views

urlpatterns = [
    path("", views.home, name="home"),
    path("community/<int:community_id>/switch/", views.switch_community_view, name="community_switch"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("issues/", include("issues.urls")),
    path("residents/", include("residents.urls")),
    path("activities/", include("activities.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
