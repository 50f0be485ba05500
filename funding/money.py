"""Reading amounts of money typed by people: euros and cents, French or English notation."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
# Above the database's 12 digits (10 before the decimal point): refused as input rather than overflowing.
LIMIT = Decimal("10000000000")


def parse_amount(field: str, raw, *, allow_zero: bool = False) -> Decimal:
    """``raw`` (``2500``, ``"2 500,50"``, ``Decimal``…) as euros to the cent, or ValidationError on ``field``.

    Refuses blanks, non-numbers, infinities, more than two decimals, negatives and zero (unless allowed).
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ValidationError({field: [_("Enter an amount in euros.")]})
    if isinstance(raw, float):
        raw = repr(raw)
    text = str(raw).strip().replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: [_("Enter an amount in euros.")]}) from None
    if not value.is_finite():
        raise ValidationError({field: [_("Enter an amount in euros.")]})
    if value != value.quantize(CENT, rounding="ROUND_DOWN"):
        raise ValidationError({field: [_("Enter an amount to the cent at most.")]})
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationError({field: [_("Enter an amount greater than 0.")]})
    if value >= LIMIT:
        raise ValidationError({field: [_("Enter an amount below 10 billion euros.")]})
    return value.quantize(CENT)


def euros(value: Decimal | None) -> str:
    """``12 345,60 €`` in French, ``€12,345.60``-like in English: the locale's number format, for messages."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    return _("%(amount)s €") % {
        "amount": number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    }
