from django.urls import path

from . import (
    dossier_views,
    feedback_views,
    file_views,
    index_views,
    intake_views,
    list_views,
    queue_views,
    signing_views,
    views,
)

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", list_views.dossier_list, name="dossiers"),
    path("tiep-nhan/", intake_views.intake, name="intake"),
    path("ho-so/<str:code>/", dossier_views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_views.dossier_action, name="dossier-action"),
    path("ho-so/<str:code>/tep/<int:upload_id>/", file_views.dossier_file, name="dossier-file"),
    path("ho-so/<str:code>/to-khai.pdf", file_views.declaration, name="dossier-declaration"),
    path("tham-quyen-ky/", signing_views.signing_register, name="signing-register"),
    path("ky-so/", signing_views.sign_results, name="sign-results"),
    path("ky-so/<str:code>/", signing_views.sign_result, name="sign-result"),
    path("van-ban/<str:public_id>.pdf", signing_views.signed_pdf, name="signed-pdf"),
    path("ho-so/<str:code>/ket-qua/<int:result_id>.pdf", signing_views.result_pdf, name="result-pdf"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", dossier_views.dossier_form_pdf, name="dossier-form"),
    path("chi-so/", index_views.dashboard, name="indices"),
    path("chi-so/chi-tiet/", index_views.drill, name="indices-drilldown"),
    path("chi-so/bao-cao.<str:fmt>", index_views.report, name="indices-report"),
    path("ho-so/<str:code>/ket-qua/", dossier_views.dossier_result, name="dossier-result"),
    path("hang-doi/", queue_views.queue, name="queue"),
    path("so-theo-doi/<int:unit_id>.<str:kind>", queue_views.register, name="register"),
    path("canh-bao/", queue_views.leader_board, name="leader-board"),
    path("danh-gia/<int:rating_id>/da-xem/", queue_views.review_rating, name="review-rating"),
    path("phan-anh/", feedback_views.case_list, name="feedback"),
    path("tiep-cong-dan/", feedback_views.reception, name="reception"),
    path("phan-anh/<str:code>/", feedback_views.case_detail, name="feedback-case"),
    path("phan-anh/<str:code>/tep/<int:file_id>/", feedback_views.case_file, name="feedback-file"),
    path("phan-anh/<str:code>/thao-tac/<str:action>/", feedback_views.case_action, name="feedback-action"),
]
