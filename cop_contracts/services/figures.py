"""Reading and checking the figures of an indicator value or a target before they are stored.

Every figure is a non-negative decimal below 10^16 with at most 4 decimals (the columns' bounds), and
plausible for its indicator: a count is whole, an amount in euros has at most two decimals, a
percentage is at most 100, and the numerator of a share (a ratio in percent) never exceeds its
denominator. Text is read as typed on a page ("12,5", "1 200"), in Latin digits, without exponent;
numbers (Decimal, int) are taken as they are. Every refusal is a TransitionError naming the field.
"""

import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.errors import TransitionError
from cop_contracts.models import COMMENT_MAX_LENGTH, IndicatorDefinition, Unit

FIGURE_LIMIT = Decimal("1e16")  # the columns hold 20 digits, 4 of them decimals
MAX_DECIMALS = 4
UNIT_DECIMALS = {Unit.COUNT: 0, Unit.EUR: 2}
TEXT_NUMBER = re.compile(r"^[0-9]+(?:[.,][0-9]+)?$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")


def _decimals(number: Decimal) -> int:
    """How many decimals ``number`` really has (trailing zeros do not count), without rounding."""
    _sign, digits, exponent = number.as_tuple()
    digits = list(digits)
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    return max(-exponent, 0)


def _limit_text() -> str:
    return number_format(FIGURE_LIMIT, decimal_pos=0, use_l10n=True, force_grouping=True)


def parse_figure(field: str, raw) -> Decimal | None:
    """``raw`` as a Decimal (None when empty), or TransitionError naming ``field``."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise TransitionError({field: [_("Enter a number.")]})
    if isinstance(raw, str):
        text = SPACES.sub("", raw)
        if not text:
            return None
        if text.startswith("-") and TEXT_NUMBER.match(text[1:]):
            raise TransitionError({field: [_("Enter a number greater than or equal to 0.")]})
        if not TEXT_NUMBER.match(text):
            raise TransitionError({field: [_("Enter a number in digits, such as 12 or 12,5.")]})
        number = Decimal(text.replace(",", "."))
    else:
        number = Decimal(raw)
    if not number.is_finite():
        raise TransitionError({field: [_("Enter a number.")]})
    if number < 0:
        raise TransitionError({field: [_("Enter a number greater than or equal to 0.")]})
    if number >= FIGURE_LIMIT:
        raise TransitionError(
            {field: [_("This number is too large: enter less than %(limit)s.") % {"limit": _limit_text()}]}
        )
    if _decimals(number) > MAX_DECIMALS:
        raise TransitionError({field: [_("Enter at most %(count)d decimals.") % {"count": MAX_DECIMALS}]})
    return number


def _check_unit(field: str, number: Decimal | None, unit: str) -> None:
    if number is None:
        return
    allowed = UNIT_DECIMALS.get(unit)
    if allowed == 0 and _decimals(number) > 0:
        raise TransitionError({field: [_("A count is a whole number.")]})
    if allowed is not None and _decimals(number) > allowed:
        raise TransitionError({field: [_("An amount in euros has at most two decimals.")]})
    if unit == Unit.PERCENT and number > 100:
        raise TransitionError({field: [_("A percentage is at most 100.")]})


def validated_figures(*, indicator: IndicatorDefinition, value, numerator, denominator) -> dict:
    """{value, numerator, denominator} to store for ``indicator``; TransitionError naming the field.

    A ratio indicator stores its numerator and denominator and the value computed from them (× 100 for
    a percentage); any other indicator stores its value only.
    """
    if not indicator.is_ratio:
        number = parse_figure("value", value)
        _check_unit("value", number, indicator.unit)
        return {"value": number, "numerator": None, "denominator": None}
    errors: dict[str, list[str]] = {}
    parsed = {}
    for field, raw in (("numerator", numerator), ("denominator", denominator)):
        try:
            parsed[field] = parse_figure(field, raw)
        except TransitionError as error:
            errors.update(error.message_dict)
    if errors:
        raise TransitionError(errors)
    top, bottom = parsed["numerator"], parsed["denominator"]
    if top is None and bottom is None:
        return {"value": None, "numerator": None, "denominator": None}
    if top is None:
        errors["numerator"] = [_("A ratio needs its numerator.")]
    if bottom is None or bottom == 0:
        errors["denominator"] = [_("A ratio needs a denominator greater than 0.")]
    if errors:
        raise TransitionError(errors)
    if indicator.unit == Unit.PERCENT and top > bottom:
        raise TransitionError(
            {"numerator": [_("The numerator cannot exceed the denominator: a share is at most 100 percent.")]}
        )
    ratio = top * indicator.scale / bottom
    if ratio >= FIGURE_LIMIT:
        raise TransitionError({"denominator": [_("The ratio is too large: check the denominator.")]})
    return {"value": ratio.quantize(Decimal("0.0001")), "numerator": top, "denominator": bottom}


def target_figure(*, indicator: IndicatorDefinition, field: str, raw) -> Decimal | None:
    """A target or baseline for ``indicator``: the same bounds and unit rules as a value."""
    number = parse_figure(field, raw)
    _check_unit(field, number, indicator.unit)
    return number


def checked_comment(comment: str | None, field: str = "comment") -> str:
    """The comment as stored: at most COMMENT_MAX_LENGTH characters, else TransitionError naming ``field``."""
    comment = comment or ""
    if len(comment) > COMMENT_MAX_LENGTH:
        raise TransitionError(
            {
                field: [
                    _("Enter at most %(limit)d characters (it has %(length)d).")
                    % {"limit": COMMENT_MAX_LENGTH, "length": len(comment)}
                ]
            }
        )
    return comment
