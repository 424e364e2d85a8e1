from django.urls import path

from buicasus.pilots import views, views_entries

app_name = "pilots"
urlpatterns = [
    path("", views.pilot_list, name="list"),
    path("new/", views.pilot_create, name="create"),
    path("<int:pk>/", views.pilot_detail, name="detail"),
    path("<int:pk>/edit/", views.pilot_update, name="update"),
    path("<int:pk>/delete/", views.pilot_delete, name="delete"),
    path("<int:pk>/advance/", views.pilot_advance, name="advance"),
    path("<int:pk>/finish/", views.pilot_finish, name="finish"),
    path("<int:pk>/history/", views.pilot_history, name="history"),
    path("<int:pk>/<slug:kind>/", views_entries.entry_add, name="entry-add"),
    path("<int:pk>/<slug:kind>/<int:entry>/", views_entries.entry_edit, name="entry-edit"),
    path(
        "<int:pk>/<slug:kind>/<int:entry>/delete/",
        views_entries.entry_delete,
        name="entry-delete",
    ),
]
