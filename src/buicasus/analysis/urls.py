from django.urls import path, re_path

from buicasus.analysis import views

app_name = "analysis"
COUNTRY = r"(?P<code>[A-Za-z]{2})"
KEY = r"(?P<key>[a-z0-9:_-]{1,200})"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    re_path(rf"^{COUNTRY}/$", views.country_page, name="country"),
    re_path(rf"^{COUNTRY}/profile\.svg$", views.country_radar, name="country-radar"),
    re_path(rf"^{COUNTRY}/swot/add/$", views.swot_add, name="swot-add"),
    re_path(rf"^{COUNTRY}/swot/{KEY}/reword/$", views.swot_reword, name="swot-reword"),
    re_path(rf"^{COUNTRY}/swot/{KEY}/dismiss/$", views.swot_dismiss, name="swot-dismiss"),
    re_path(rf"^{COUNTRY}/swot/{KEY}/restore/$", views.swot_restore, name="swot-restore"),
    re_path(rf"^{COUNTRY}/swot/{KEY}/history/$", views.swot_history, name="swot-history"),
]
