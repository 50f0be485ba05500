from django.conf import settings
from django.db import connection
from django.http import JsonResponse
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
