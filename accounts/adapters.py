"""How the portal uses django-allauth: its second factor (allauth.mfa) behind the portal's own login."""

import time

import rules
from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter

from accounts.second_factor import flag_enrolment_on_login


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by the poles and INCa, never by a visitor.
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Changing the second factor asks for the password again, unless the visitor logged in (or confirmed
        their password) within ACCOUNT_REAUTHENTICATION_TIMEOUT: enrolling right after logging in asks for
        nothing more."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or request is None or not request.user.is_authenticated:
            return required
        now = time.time()
        records = get_authentication_records(request, request.user)
        return not any(now - record["at"] < account_settings.REAUTHENTICATION_TIMEOUT for record in records)

    def login(self, request, user) -> None:
        super().login(request, user)
        flag_enrolment_on_login(request, user)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # An account that must have a second factor may not switch it off (it may still renew its codes).
        return not rules.test_rule("accounts.second_factor_required", authenticator.user)
