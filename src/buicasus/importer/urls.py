from django.urls import path

from buicasus.importer import views

app_name = "importer"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.batch_detail, name="batch-detail"),
    path("<int:pk>/confirm/", views.confirm, name="batch-confirm"),
    path("<int:pk>/undo/", views.undo, name="batch-undo"),
    path("<int:pk>/rejects.csv", views.rejects, name="batch-rejects"),
]
