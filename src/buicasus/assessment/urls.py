from django.urls import path

from buicasus.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.campaign_list, name="index"),
    path("mine/", views.my_assessments, name="mine"),
    path("new/", views.campaign_create, name="campaign-create"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("<int:pk>/status/", views.campaign_status, name="campaign-status"),
    path("<int:pk>/invite/", views.campaign_invite, name="campaign-invite"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/withdraw/",
        views.campaign_uninvite,
        name="campaign-uninvite",
    ),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/scores/", views.scores, name="scores"),
    path("<int:pk>/responses/<int:response_pk>/", views.response_detail, name="response-detail"),
]
