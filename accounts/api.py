"""Partner keys on the REST API: ``Authorization: Api-Key <key>``, read-only, throttled per key.

A request with a key is read as the key's viewer (accounts.viewers); ``request.user`` stays anonymous,
so nothing that needs an account (a write, a session) is open to a key.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import selectors, services
from accounts.models import PartnerKey
from common.throttling import InvalidCredentials, SettingsRateThrottle

KEYWORD = "Api-Key"


class PartnerKeyAuthentication(BaseAuthentication):
    """Authenticates ``Authorization: Api-Key <key>``; an unknown, revoked or expired key answers 401."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise InvalidCredentials(_("Give the key after the Api-Key keyword, without spaces."))
        try:
            secret = parts[1].decode()
        except UnicodeDecodeError:
            raise InvalidCredentials(_("Unknown API key.")) from None
        key = selectors.partner_key_from_secret(secret)
        if key is None:
            raise InvalidCredentials(_("Unknown API key."))
        if key.revoked:
            raise InvalidCredentials(_("This API key has been revoked."))
        if key.has_expired:
            raise InvalidCredentials(_("This API key has expired."))
        services.partner_key_record_use(key=key)
        return AnonymousUser(), key

    # No challenge for requests without a key: a visitor's denied write stays a 403, as with a session.
    def authenticate_header(self, request):
        return None


class PartnerKeysReadOnly(BasePermission):
    """A partner key reads; any other method answers 403 before the view does anything."""

    message = _("Partner API keys are read-only.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or not isinstance(request.auth, PartnerKey)


class PartnerKeyRateThrottle(SettingsRateThrottle):
    """Requests per key (by its id), whichever address they come from: rate ``partner_key``."""

    scope = "partner_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, PartnerKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
