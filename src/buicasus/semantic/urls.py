from django.urls import URLPattern

app_name = "semantic"
urlpatterns: list[URLPattern] = []
