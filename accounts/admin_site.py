"""Django's admin behind the portal's own login: same lockout, and a second factor entered in this session."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.second_factor import verified_in_session


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and verified_in_session(request)

    def login(self, request, extra_context=None):
        """No login form of its own: the portal's login, then the second factor."""
        next_url = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("accounts:login"))
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not is_mfa_enabled(user):
            return redirect("mfa_activate_totp")
        # Signed in, but no code entered in this session (a session opened before enrolling): ask for one.
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
