from django.urls import path

from buicasus.maps import views

app_name = "maps"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("map.svg", views.map_svg, name="svg"),
]
