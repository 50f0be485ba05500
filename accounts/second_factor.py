"""The second factor (TOTP and recovery codes, from django-allauth's allauth.mfa) as the portal requires it.

Accounts that must have one (rule ``accounts.second_factor_required``) and have none are sent, right after
logging in, to enrol: until they do, every page leads back to the enrolment page. The flag lives in the
session, set when the login form opens it (``AccountAdapter.login``, the one way in), so the requests of
every other account cost no query.
"""

import rules
from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

ENROLMENT_PENDING = "accounts_second_factor_enrolment_pending"

# What an account waiting to enrol may still reach: enrolment, its recovery codes, confirming its password,
# logging out and switching language.
ENROLMENT_URL_NAMES = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "account_logout",
    "logout",
    "set_language",
    "healthz",
}


def must_enrol(user) -> bool:
    return rules.test_rule("accounts.second_factor_required", user) and not is_mfa_enabled(user)


def verified_in_session(request) -> bool:
    """Whether this session's user entered a second-factor code since logging in."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def flag_enrolment_on_login(request, user) -> None:
    """Called as the session opens: an account that must enrol and has not is kept on enrolment."""
    if must_enrol(user):
        request.session[ENROLMENT_PENDING] = True
    else:
        request.session.pop(ENROLMENT_PENDING, None)


class MfaEnrolmentMiddleware:
    """Keeps an account that must enrol a second factor on the enrolment pages until it has done so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = bool(request.session.get(ENROLMENT_PENDING))
        if pending and is_mfa_enabled(request.user):
            # Enrolled since: one query, only while the flag is up.
            del request.session[ENROLMENT_PENDING]
            pending = False
        request.second_factor_enrolment_pending = pending
        if pending and not self._allowed(request):
            if request.path_info.startswith("/api/"):
                detail = _("Your account must set up two-factor authentication before it can use the API.")
                return JsonResponse(
                    {"type": "about:blank", "title": _("Forbidden"), "status": 403, "detail": detail},
                    status=403,
                )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in ENROLMENT_URL_NAMES
