from django.urls import path

from buicasus.matching import views_find, views_needs

app_name = "matching"
urlpatterns = [
    path("", views_find.find, name="find"),
    path("rerank/", views_find.rerank, name="rerank"),
    path("searches/", views_find.saved_list, name="saved-list"),
    path("searches/save/", views_find.save_search, name="saved-create"),
    path("searches/<int:pk>/", views_find.saved_detail, name="saved-detail"),
    path("searches/<int:pk>/refresh/", views_find.saved_refresh, name="saved-refresh"),
    path("searches/<int:pk>/delete/", views_find.saved_delete, name="saved-delete"),
    path("needs/", views_needs.need_list, name="need-list"),
    path("needs/new/", views_needs.need_create, name="need-create"),
    path("needs/<int:pk>/", views_needs.need_detail, name="need-detail"),
    path("needs/<int:pk>/edit/", views_needs.need_update, name="need-update"),
    path("needs/<int:pk>/delete/", views_needs.need_delete, name="need-delete"),
    path("needs/<int:pk>/matches/", views_find.need_matches, name="need-matches"),
    path("needs/<int:pk>/share/", views_needs.need_share, name="need-share"),
    path("needs/<int:pk>/share/<str:code>/remove/", views_needs.need_unshare, name="need-unshare"),
    path("needs/<int:pk>/recommend/", views_needs.recommend, name="recommend"),
    path(
        "recommendations/<int:pk>/delete/",
        views_needs.recommendation_delete,
        name="recommendation-delete",
    ),
    path("initiative-options/", views_needs.initiative_options, name="initiative-options"),
    path("notifications/", views_needs.notifications, name="notifications"),
    path("notifications/read/", views_needs.notifications_read, name="notifications-read"),
]
