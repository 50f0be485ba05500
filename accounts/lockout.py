"""Failed-login lockout (django-axes): whose attempts count together, and the page a locked visitor sees."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def username_of(request, credentials: dict | None) -> str | None:
    """The account an attempt targets, in lower case: "Inca@…" and "inca@…" count as the same account."""
    # The login form's field, and the keyword Django's authenticate() receives, are both "username".
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None


def lockout_response(request, original_response=None, credentials=None):
    """The login page's answer while the account or the address is locked: 429, saying when to retry.

    Every refused attempt counts as a failure, so the lock ends one cool-off after the latest attempt.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "retry_at": timezone.localtime(timezone.now() + cool_off),
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)
