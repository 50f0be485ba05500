from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.core import ratelimit
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.generic import TemplateView

from accounts import selectors, services
from accounts.forms import EmailAuthenticationForm
from common.navigation import SpaceLink, space_cards_for, space_links_for


class LoginView(auth_views.LoginView):
    """E-mail and password (Django's form, checked by django-axes), then the second factor if the account has
    one (allauth.mfa's login stage) before the session opens."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        # allauth's login flow runs its stages (the second factor) and then opens the session; it also
        # records that the password was checked, so enrolling right after logging in asks for no password.
        login = Login(user=user, redirect_url=self.get_success_url(), email=user.email)
        return perform_password_login(self.request, {"email": user.email}, login)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a reset link. The answer is the same, and as fast, whether the address has an account or not:
    the lookup and the e-mail happen in the task queue. Throttled per client address and per e-mail address.
    """

    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.consume(self.request, action="reset_password", key=email):
            return render(self.request, "registration/password_reset_throttled.html", status=429)
        services.password_reset_request(
            email=email,
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
            language=self.request.LANGUAGE_CODE,
        )
        return redirect(self.get_success_url())


class MySpaceView(LoginRequiredMixin, TemplateView):
    """The signed-in user's home: what each of their roles lets them do, with the links each app declares
    for that role (common.navigation)."""

    template_name = "accounts/my_space.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        memberships = list(selectors.memberships_of(user=user))
        context["memberships"] = [
            (membership, space_links_for(user, SpaceLink.POLE, pole=membership.canceropole))
            for membership in memberships
        ]
        context["inca_links"] = space_links_for(user, SpaceLink.INCA) if user.is_inca_staff else []
        context["researcher_links"] = space_links_for(user, SpaceLink.RESEARCHER)
        context["reviewer_links"] = space_links_for(user, SpaceLink.REVIEWER)
        context["cards"] = space_cards_for(user)
        context["second_factor_enabled"] = selectors.second_factor_enabled(user=user)
        return context
