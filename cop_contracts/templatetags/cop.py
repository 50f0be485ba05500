"""Template helpers of the COP pages; whether a figure is on track is cop_contracts.progress."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import get_format, number_format
from django.utils.translation import pgettext

from cop_contracts.progress import PROGRESS_LABELS

register = template.Library()


@register.filter
def progress_label(status: str | None) -> str:
    return PROGRESS_LABELS.get(status, "")


@register.filter
def plain_number(number: Decimal | None) -> str:
    """A stored figure as typed in a form field: no trailing zeros, no exponent, no grouping, and the
    decimal mark of the active language ("12,5" in French)."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


# --- figures as people read them: French grouping and decimal comma, with the unit ----------------------

NBSP = "\u00a0"
UNIT_SUFFIXES = {"percent": f"{NBSP}%", "eur": f"{NBSP}€"}
CENT = Decimal("0.01")


def _grouped(number: Decimal, decimals: int) -> str:
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def figure_text(number: Decimal | None, unit: str = "", *, empty: str = "—", cents: bool = True) -> str:
    """A figure for reading: grouped digits in the active language ("1 200,5" in French), at most two
    decimals (euros show cents only when there are some, and none with ``cents=False``), and the unit's
    sign for % and €."""
    if number is None:
        return empty
    rounded = Decimal(number).quantize(CENT, rounding=ROUND_HALF_UP)
    if unit == "eur" and not cents:
        rounded = rounded.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        text = _grouped(rounded, 0)
    elif unit == "eur" or rounded != rounded.quantize(Decimal("0.1")):
        text = _grouped(rounded, 2)
    else:
        text = _grouped(rounded, 1)
    return text + UNIT_SUFFIXES.get(unit, "")


def figure_compact(number: Decimal | None, unit: str = "") -> str:
    """A short figure for chart labels: "1,2 M€", "45 k", "12,5 %"; exact figures stay in the tables."""
    if number is None:
        return "—"
    number = Decimal(number)
    scales = (
        (Decimal(999_950), Decimal(1_000_000), pgettext("million", "M")),
        (Decimal(10_000), Decimal(1_000), pgettext("thousand", "k")),
    )
    for threshold, divisor, suffix in scales:
        if abs(number) >= threshold:
            short = (number / divisor).quantize(Decimal("0.1"))
            decimals = 0 if short == short.to_integral_value() or abs(short) >= 100 else 1
            sign = "€" if unit == "eur" else ""
            return f"{_grouped(short, decimals)}{NBSP}{suffix}{sign}"
    return figure_text(number, unit)


UNIT_SHORT = {"percent": "%", "eur": "€"}


@register.filter
def unit_short(indicator) -> str:
    """The unit beside an input: "%" and "€", else the unit's name ("count", "ratio")."""
    return UNIT_SHORT.get(indicator.unit) or indicator.get_unit_display()


@register.filter
def figure(number: Decimal | None, unit: str = "") -> str:
    """``{{ value|figure:indicator.unit }}``"""
    return figure_text(number, unit)
