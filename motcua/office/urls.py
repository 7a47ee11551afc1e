from django.urls import path

from . import dossier_views, queue_views, views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", dossier_views.dossier_list, name="dossiers"),
    path("tiep-nhan/", dossier_views.intake, name="intake"),
    path("ho-so/<str:code>/", dossier_views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_views.dossier_action, name="dossier-action"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", dossier_views.dossier_form_pdf, name="dossier-form"),
    path("ho-so/<str:code>/ket-qua/", dossier_views.dossier_result, name="dossier-result"),
    path("hang-doi/", queue_views.queue, name="queue"),
    path("so-theo-doi/<int:unit_id>.<str:kind>", queue_views.register, name="register"),
    path("canh-bao/", queue_views.leader_board, name="leader-board"),
    path("danh-gia/<int:rating_id>/da-xem/", queue_views.review_rating, name="review-rating"),
]
