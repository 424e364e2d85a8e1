from django.urls import path

from buicasus.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
]
