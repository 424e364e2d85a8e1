from django.urls import path

from buicasus.registry import (
    views,
    views_initiatives,
    views_organisations,
    views_relationships,
    views_review,
)

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("country/", views.set_country, name="set-country"),
    # organisations
    path("organisations/", views_organisations.organisation_list, name="organisation-list"),
    path("organisations/new/", views_organisations.organisation_create, name="organisation-create"),
    path(
        "organisations/options/",
        views_relationships.organisation_options,
        name="organisation-options",
    ),
    path(
        "organisations/<int:pk>/",
        views_organisations.organisation_detail,
        name="organisation-detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views_organisations.organisation_update,
        name="organisation-update",
    ),
    path(
        "organisations/<int:pk>/delete/",
        views_organisations.organisation_delete,
        name="organisation-delete",
    ),
    path(
        "organisations/<int:pk>/history/",
        views_organisations.organisation_history,
        name="organisation-history",
    ),
    path(
        "organisations/<int:pk>/ties/",
        views_relationships.organisation_tie_add,
        name="organisation-tie-add",
    ),
    path("ties/<int:pk>/delete/", views_relationships.organisation_tie_delete, name="tie-delete"),
    # initiatives
    path("initiatives/", views_initiatives.initiative_list, name="initiative-list"),
    path("initiatives/new/", views_initiatives.initiative_create, name="initiative-create"),
    path("initiatives/<int:pk>/", views_initiatives.initiative_detail, name="initiative-detail"),
    path(
        "initiatives/<int:pk>/edit/",
        views_initiatives.initiative_update,
        name="initiative-update",
    ),
    path(
        "initiatives/<int:pk>/delete/",
        views_initiatives.initiative_delete,
        name="initiative-delete",
    ),
    path(
        "initiatives/<int:pk>/history/",
        views_initiatives.initiative_history,
        name="initiative-history",
    ),
    path(
        "initiatives/<int:pk>/roles/",
        views_relationships.initiative_role_add,
        name="initiative-role-add",
    ),
    path("roles/<int:pk>/delete/", views_relationships.initiative_role_delete, name="role-delete"),
    # review
    path("proposals/", views_review.proposals, name="proposals"),
    path("proposals/<str:kind>/<int:pk>/", views_review.review, name="review"),
]
