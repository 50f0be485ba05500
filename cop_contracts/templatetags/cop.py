"""Template helpers of the COP pages; whether a figure is on track is cop_contracts.progress."""

from decimal import Decimal

from django import template

from cop_contracts.progress import MAINTAIN_TOLERANCE, OFF_TRACK, ON_TRACK, PROGRESS_LABELS, progress_status  # noqa: F401

register = template.Library()


@register.filter
def progress_label(status: str | None) -> str:
    return PROGRESS_LABELS.get(status, "")


@register.filter
def plain_number(number: Decimal | None) -> str:
    """A stored figure as typed in a form field: no trailing zeros, no exponent, no grouping."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text
