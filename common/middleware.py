from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class PreferredLanguageMiddleware:
    """French first, English on request.

    The language is the one the visitor chose with the language switch (Django's language cookie),
    else ``LANGUAGE_CODE``. The browser's ``Accept-Language`` is deliberately not consulted: the portal
    is French first, and a visitor switches to English once.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on what no shared cache or browser history should keep.

    That is every answer to a signed-in visitor, every API answer, and every download (an export is an
    attachment). Directives a view set itself are kept, with these two added.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._is_private(request, response):
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            else:
                response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _is_private(request, response) -> bool:
        session = getattr(request, "session", None)
        return (
            (session is not None and SESSION_KEY in session)
            or request.path_info.startswith("/api/")
            or response.get("Content-Disposition", "").startswith("attachment")
        )
