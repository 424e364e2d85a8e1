from django.contrib.auth import views as auth_views
from django.urls import path

from buicasus.accounts import views

# No namespace: settings.LOGIN_URL names "login".
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", next_page="registry:home"
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="registry:home"), name="logout"),
    path("tokens/", views.api_tokens, name="account-tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="account-token-revoke"),
    path("users/", views.users, name="account-users"),
    path(
        "users/memberships/<int:pk>/revoke/",
        views.revoke_membership,
        name="account-membership-revoke",
    ),
]
