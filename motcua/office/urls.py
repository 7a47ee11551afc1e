from django.urls import path

from . import dossier_views, index_views, views

app_name = "office"
urlpatterns = [
    path("", views.home, name="home"),
    path("ho-so/", dossier_views.dossier_list, name="dossiers"),
    path("tiep-nhan/", dossier_views.intake, name="intake"),
    path("ho-so/<str:code>/", dossier_views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier_views.dossier_action, name="dossier-action"),
    path("ho-so/<str:code>/mau-<str:number>.pdf", dossier_views.dossier_form_pdf, name="dossier-form"),
    path("chi-so/", index_views.dashboard, name="indices"),
    path("chi-so/chi-tiet/", index_views.drill, name="indices-drilldown"),
    path("chi-so/bao-cao.<str:fmt>", index_views.report, name="indices-report"),
]
