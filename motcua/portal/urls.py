from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky/", views.register, name="register"),
    path("ca-nhan/", views.account, name="account"),
    path("lich-lam-viec/", views.work_calendar, name="calendar"),
    path("thu-tuc/", views.procedures, name="procedures"),
    path("tra-cuu/", views.tracking, name="tracking-form"),
    path("tra-cuu/<str:code>/", views.tracking, name="tracking"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("phan-anh/giay-to-ngoai-danh-muc/", views.report_extra_paper, name="report-extra-paper"),
]
