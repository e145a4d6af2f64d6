"""The WeChat batch entry; included by issues/urls.py, so the names stay in the ``issues`` namespace."""

from django.urls import path

from issues.wechat import views

urlpatterns = [
    path("", views.wechat_paste, name="wechat_paste"),
]
