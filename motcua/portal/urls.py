from django.urls import path, re_path

from . import accounts, feedback, files, signin, submission, verification, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky/", views.register, name="register"),
    path("dang-ky/xac-nhan/", views.confirm_registration, name="register-confirm"),
    path("dang-nhap/ma-xac-thuc/", signin.enter_code, name="second-factor"),
    path("dang-nhap/cai-dat-xac-thuc/", signin.set_up, name="second-factor-setup"),
    path("ca-nhan/xac-thuc-hai-buoc/", signin.citizen_second_factor, name="citizen-second-factor"),
    path("favicon.ico", views.favicon),
    path("quen-mat-khau/", accounts.EmailResetView.as_view(), name="password-reset"),
    path("quen-mat-khau/da-gui/", accounts.EmailSentView.as_view(), name="password-reset-sent"),
    path("quen-mat-khau/dat-lai/<uidb64>/<token>/", accounts.NewPasswordView.as_view(), name="password-reset-confirm"),
    path("quen-mat-khau/xong/", accounts.PasswordChangedView.as_view(), name="password-reset-complete"),
    path("quen-mat-khau/tin-nhan/", accounts.request_code, name="password-code"),
    path("quen-mat-khau/tin-nhan/nhap-ma/", accounts.enter_code, name="password-code-enter"),
    path("ca-nhan/", views.account, name="account"),
    path("ca-nhan/ho-so/<str:code>/", submission.my_dossier, name="my-dossier"),
    path("ca-nhan/ho-so/<str:code>/tep/<int:upload_id>/", files.dossier_file, name="dossier-file"),
    path("ca-nhan/ho-so/<str:code>/to-khai.pdf", files.declaration, name="dossier-declaration"),
    path(
        "ca-nhan/ho-so/<str:code>/bo-sung/<int:component_id>/", submission.supplement_upload, name="supplement-upload"
    ),
    path("ca-nhan/ho-so/<str:code>/nop-bo-sung/", submission.supplement_submit, name="supplement-submit"),
    path("ca-nhan/ho-so/<str:code>/danh-gia/", submission.rate, name="rate"),
    path("ca-nhan/ho-so/<str:code>/rut/", submission.withdraw, name="withdraw"),
    path("ca-nhan/ho-so/<str:code>/ket-qua/<int:result_id>.pdf", submission.result_pdf, name="result-pdf"),
    path("ca-nhan/ho-so/<str:code>/mau-03.pdf", submission.refusal_pdf, name="refusal-pdf"),
    path("nop-ho-so/<str:code>/", submission.start, name="submit-start"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/luu/", submission.save, name="draft-save"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/tai-len/<int:component_id>/", submission.upload, name="draft-upload"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/tiep/", submission.next_step, name="draft-next"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/to-khai/", submission.form_step, name="draft-form"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/nhan-ket-qua/", submission.return_step, name="draft-return"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/kiem-tra/", submission.review, name="draft-review"),
    path("nop-ho-so/ban-nhap/<int:draft_id>/nop/", submission.submit, name="draft-submit"),
    path("lich-lam-viec/", views.work_calendar, name="calendar"),
    path("thu-tuc/", views.procedures, name="procedures"),
    path("tra-cuu/", views.tracking, name="tracking-form"),
    path("tra-cuu/<str:code>/", views.tracking, name="tracking"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    re_path(
        r"^thu-tuc/(?P<code>[^/]+)/mau/(?P<paper>[^/]+)\.(?P<kind>pdf|docx)$", views.blank_form, name="blank-form"
    ),
    path("xac-thuc/", verification.verify_file, name="verify-file"),
    path("xac-thuc/<str:public_id>", verification.verify, name="verify"),
    path("xac-thuc/<str:public_id>/", verification.verify),
    path("phan-anh/giay-to-ngoai-danh-muc/", feedback.report_extra_paper, name="report-extra-paper"),
    path("phan-anh/theo-doi/", feedback.track_report, name="report-tracking"),
    path("phan-anh/theo-doi/thao-tac/<str:action>/", feedback.sender_action, name="report-action"),
    path("phan-anh-kien-nghi/", feedback.file_case, name="file-case"),
    path("phan-anh-kien-nghi/ban-nhap/", feedback.save_case_draft, name="case-draft"),
    path("phan-anh-kien-nghi/tra-loi/", feedback.answers, name="answers"),
    path("phan-anh-kien-nghi/tra-loi/<str:code>/", feedback.answer, name="answer"),
]
