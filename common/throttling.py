"""DRF pieces that the API settings name, kept apart from common.api (which imports rest_framework.views,
itself importing these settings): throttles that read their rates at each request, and the 401 of a bad key.
"""

from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class InvalidCredentials(exceptions.APIException):
    """401 with a challenge, whatever authentication class comes first (DRF would turn it into a 403)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    # DRF's own message (and translation) for credentials it refuses.
    default_detail = gettext_lazy("Incorrect authentication credentials.")
    default_code = "authentication_failed"
    www_authenticate = "Api-Key"


class SettingsRateThrottle(SimpleRateThrottle):
    """A throttle that reads its rate from the settings at each request, not once at import.

    So that a test can switch a rate on with ``override_settings`` (the suite runs without rates), and an
    operator can change ``API_THROTTLE_*`` without a code change. A scope without a rate is not throttled.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnonymousRateThrottle(SettingsRateThrottle):
    """Visitors without an account or a key, by address: rate ``anon``."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user.is_authenticated or request.auth is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(SettingsRateThrottle):
    """Signed-in users, by account whatever their address: rate ``user``."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
