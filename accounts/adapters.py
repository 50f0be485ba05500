"""How the portal uses django-allauth: its second factor (allauth.mfa) behind the portal's own login."""

import rules
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from accounts.second_factor import flag_enrolment_on_login


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created by the poles and INCa, never by a visitor.
        return False

    def login(self, request, user) -> None:
        super().login(request, user)
        flag_enrolment_on_login(request, user)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # An account that must have a second factor may not switch it off (it may still renew its codes).
        return not rules.test_rule("accounts.second_factor_required", authenticator.user)
