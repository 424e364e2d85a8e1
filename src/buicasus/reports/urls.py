from django.urls import path, re_path

from buicasus.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("mapping/transnational/", views.mapping_page, name="mapping-transnational"),
    path("mapping/transnational.pdf", views.mapping_pdf, name="mapping-transnational-pdf"),
    re_path(r"^mapping/(?P<code>[A-Za-z]{2})/$", views.mapping_page, name="mapping"),
    re_path(r"^mapping/(?P<code>[A-Za-z]{2})\.pdf$", views.mapping_pdf, name="mapping-pdf"),
    path("builds/<uuid:job_id>/", views.build_page, name="build"),
    path("builds/<uuid:job_id>/status", views.build_status, name="build-status"),
    path("builds/<uuid:job_id>/download", views.build_download, name="build-download"),
]
