from django.urls import path

from buicasus.interchange import views

app_name = "interchange"
urlpatterns = [
    path("", views.export, name="export"),
    path("menu/", views.menu, name="menu"),
]
