from django.urls import path

from buicasus.dedup import views

app_name = "dedup"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("scan/", views.scan, name="scan"),
    path("scans/<uuid:job_id>/status", views.scan_status, name="scan-status"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/decide/", views.decide, name="decide"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:pk>/undo/", views.undo, name="undo"),
]
