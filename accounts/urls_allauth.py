"""The URL names django-allauth's second-factor pages link to, served by the portal's own pages where it
has one (login, logout) and by allauth's where it has none (confirming the password, the second factor)."""

from allauth.account import views as allauth_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
    path("reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("2fa/", include("allauth.mfa.urls")),
]
