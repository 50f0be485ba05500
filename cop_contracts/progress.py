"""Whether a figure is on track against its target: one rule for the pages, the exports and the API."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cop_contracts.models import Direction

# "Keep at target" indicators are on track within this share of the target, either way.
MAINTAIN_TOLERANCE = Decimal("0.05")

ON_TRACK = "on_track"
OFF_TRACK = "off_track"
PROGRESS_LABELS = {ON_TRACK: _("on track"), OFF_TRACK: _("off track")}


def progress_status(direction: str, value: Decimal | None, target: Decimal | None) -> str | None:
    """``on_track`` or ``off_track`` for a value against its target, following the indicator's direction.

    - increase (the higher the better): on track when value ≥ target;
    - decrease (the lower the better): on track when value ≤ target;
    - maintain (keep at target): on track when the value is within 5 % of the target.

    None when there is no value or no target to compare.
    """
    if value is None or target is None:
        return None
    if direction == Direction.DECREASE:
        on_track = value <= target
    elif direction == Direction.MAINTAIN:
        on_track = abs(value - target) <= abs(target) * MAINTAIN_TOLERANCE
    else:
        on_track = value >= target
    return ON_TRACK if on_track else OFF_TRACK
