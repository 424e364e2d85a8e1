from django.urls import path

from buicasus.network import views

app_name = "network"
urlpatterns = [
    path("", views.network_page, name="index"),
    path("isolated/", views.isolated_page, name="isolated"),
    path("status/", views.recompute_status, name="status"),
    path("figure.svg", views.figure_svg, name="figure"),
    path("download/<str:format_name>/", views.download, name="download"),
]
