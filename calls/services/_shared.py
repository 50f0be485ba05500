"""What the call services share: the database clock, transition records, staff e-mail addresses."""

from datetime import datetime

from django.db import connection
from django.utils import timezone

from accounts.models import Membership
from calls.models import Application, ApplicationTransition, Call, CallTransition


def database_now() -> datetime:
    """The database server's clock at this instant (not the transaction's start, not this process's).

    On PostgreSQL ``clock_timestamp()`` moves during a transaction, so read after a row lock was granted
    it is the time the work is actually done; SQLite (development) falls back to the process's clock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0]
    return timezone.now()


def lock_call(call: Call | int) -> Call:
    """The call's row, locked until the transaction ends (serialises submissions and awards of a call)."""
    pk = call.pk if isinstance(call, Call) else call
    return Call.objects.select_for_update().get(pk=pk)


def record_call(call: Call, *, from_status: str, by, comment: str = "") -> None:
    """Record a step a service made under its own locks (the call's row), where common.workflow's
    ``transition`` (which locks the object itself) does not fit."""
    CallTransition.objects.create(
        call=call, from_status=from_status, to_status=call.status, by=by, comment=comment
    )


def record_application(application: Application, *, from_status: str, by, comment: str = "") -> None:
    """As ``record_call``, for an application moved under the call's lock (submission, decisions)."""
    ApplicationTransition.objects.create(
        application=application, from_status=from_status, to_status=application.status, by=by, comment=comment
    )


def pole_staff_emails(canceropole_id: int) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(canceropole_id=canceropole_id, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )
