from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky/", views.register, name="register"),
    path("ca-nhan/", views.account, name="account"),
    path("lich-lam-viec/", views.work_calendar, name="calendar"),
]
