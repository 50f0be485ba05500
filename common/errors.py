"""Errors raised by services: views and the API turn them into 4xx answers naming the field."""

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A workflow step that the object's current state does not allow (e.g. editing a locked value)."""
