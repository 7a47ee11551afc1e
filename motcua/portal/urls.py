from django.urls import path

from . import submission, verification, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky/", views.register, name="register"),
    path("ca-nhan/", views.account, name="account"),
    path("ca-nhan/ho-so/<str:code>/", submission.my_dossier, name="my-dossier"),
    path(
        "ca-nhan/ho-so/<str:code>/bo-sung/<int:component_id>/", submission.supplement_upload, name="supplement-upload"
    ),
    path("ca-nhan/ho-so/<str:code>/nop-bo-sung/", submission.supplement_submit, name="supplement-submit"),
    path("ca-nhan/ho-so/<str:code>/danh-gia/", submission.rate, name="rate"),
    path("nop-ho-so/<str:code>/", submission.start, name="submit-start"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/luu/", submission.save, name="draft-save"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/tai-len/<int:component_id>/", submission.upload, name="draft-upload"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/nop/", submission.submit, name="draft-submit"),
    path("lich-lam-viec/", views.work_calendar, name="calendar"),
    path("thu-tuc/", views.procedures, name="procedures"),
    path("tra-cuu/", views.tracking, name="tracking-form"),
    path("tra-cuu/<str:code>/", views.tracking, name="tracking"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("xac-thuc/", verification.verify_file, name="verify-file"),
    path("xac-thuc/<str:public_id>", verification.verify, name="verify"),
    path("xac-thuc/<str:public_id>/", verification.verify),
    path("phan-anh/giay-to-ngoai-danh-muc/", views.report_extra_paper, name="report-extra-paper"),
]
