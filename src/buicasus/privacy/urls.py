from django.urls import path

from buicasus.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.register_page, name="register"),
    path("my-data.json", views.my_data, name="my-data"),
]
