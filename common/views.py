from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker_status() -> str:
    """``eager`` when tasks run in-process (no broker configured), else ``ok`` or ``unreachable``."""
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from portal.celery import app

    # The URL from settings, not the one the Celery app read at import: they are the same in production,
    # and a changed setting (tests) is then honoured. One immediate retry only: monitors poll again
    # themselves, and a health check that hangs is read as a dead server.
    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "ok"
    except Exception:
        return "unreachable"


@never_cache
@require_GET
def healthz(request):
    """For monitors: 200 when the database and the broker answer, 503 otherwise."""
    database = "ok" if _database_ok() else "unreachable"
    broker = _broker_status()
    healthy = database == "ok" and broker != "unreachable"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


def not_found(request, exception=None):
    """The 404 of an address no view answers: problem details under /api/ (what an API client reads,
    and what the OpenAPI document promises), the portal's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "about:blank",
                "title": _("Not found."),
                "status": 404,
                "detail": _("Nothing of the API answers at this address."),
                "errors": {},
            },
            status=404,
            content_type="application/problem+json",
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.page_not_found(request, exception)
