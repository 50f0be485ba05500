"""What the event pages share: the event from the URL (404 unless visible), permission checks."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from events import selectors
from events.models import Event


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def visible_event(user, pk: int) -> Event:
    """The event if the user may see it; else 404 (a draft's existence is not revealed)."""
    return get_object_or_404(selectors.events_visible_to(viewer=user), pk=pk)


def add_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)
