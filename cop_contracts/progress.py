"""Whether a figure is on track against its target: one rule for the pages, the exports and the API."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
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


# A value that moves by more than this share of the previous year's value deserves a second look, as does
# one further than this share from its target (in the wrong direction).
CHANGE_THRESHOLD = Decimal("0.5")
TARGET_GAP_THRESHOLD = Decimal("0.5")


@dataclass(frozen=True)
class Flag:
    code: str  # "change" (from N-1) or "target" (far off target)
    label: str


def _percent(share: Decimal) -> str:
    return f"{share * 100:+.0f}\u00a0%"


def value_flags(
    *,
    direction: str,
    value: Decimal | None,
    previous: Decimal | None,
    previous_year: int,
    target: Decimal | None,
) -> list[Flag]:
    """What a reviewer should look at twice: a large move from the previous year, a value far off target."""
    flags = []
    if value is not None and previous is not None:
        if previous == 0:
            if value != 0:
                flags.append(Flag("change", gettext("was 0 in %(year)s") % {"year": previous_year}))
        else:
            change = (value - previous) / abs(previous)
            if abs(change) > CHANGE_THRESHOLD:
                flags.append(
                    Flag(
                        "change",
                        gettext("%(change)s from %(year)s")
                        % {"change": _percent(change), "year": previous_year},
                    )
                )
    if value is not None and target:
        gap = (value - target) / abs(target)
        if abs(gap) > TARGET_GAP_THRESHOLD and progress_status(direction, value, target) == OFF_TRACK:
            flags.append(Flag("target", gettext("far from target (%(gap)s)") % {"gap": _percent(gap)}))
    return flags
