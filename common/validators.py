"""Validators for the identifiers the portal exchanges with other systems (ORCID, ROR, RNSR, SIRET).

Each accepts the canonical form only, so that a stored identifier can be matched as it is elsewhere.
Error messages name the identifier; forms and serializers attach them to the field.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ORCID_RE = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
ROR_RE = re.compile(r"^0[0-9a-hjkmnp-tv-z]{6}[0-9]{2}$")
RNSR_RE = re.compile(r"^\d{9}[A-Z]$")
SIRET_RE = re.compile(r"^\d{14}$")
CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
# La Poste's establishments share one SIREN and use another check: the digit sum is a multiple of 5.
# Its head office is the exception and keeps the Luhn key.
LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048"


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2 over the first 15 digits, as ORCID specifies."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return digits[-1] == expected


def validate_orcid(value: str) -> None:
    if not ORCID_RE.match(value or ""):
        raise ValidationError(
            _("Enter an ORCID iD as 0000-0000-0000-0000 (16 characters, the last may be X)."),
            code="orcid_format",
        )
    if not orcid_checksum_ok(value):
        raise ValidationError(_("This ORCID iD has a wrong check digit."), code="orcid_checksum")


def ror_checksum_ok(ror: str) -> bool:
    """ISO 7064 MOD 97-10 over the Crockford base-32 value of the first seven characters."""
    number = 0
    for char in ror[:7]:
        number = number * 32 + CROCKFORD.index(char)
    return int(ror[7:]) == 98 - (number * 100) % 97


def validate_ror(value: str) -> None:
    if not ROR_RE.match(value or ""):
        raise ValidationError(
            _("Enter a ROR identifier: 9 characters starting with 0, no https://ror.org/ (e.g. 02feahw73)."),
            code="ror_format",
        )
    if not ror_checksum_ok(value):
        raise ValidationError(_("This ROR identifier has a wrong checksum."), code="ror_checksum")


def validate_rnsr(value: str) -> None:
    if not RNSR_RE.match(value or ""):
        raise ValidationError(
            _("Enter an RNSR number as 9 digits followed by a capital letter (for example 200918479K)."),
            code="rnsr_format",
        )


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_siret(value: str) -> None:
    if not SIRET_RE.match(value or ""):
        raise ValidationError(_("Enter a SIRET number as 14 digits, without spaces."), code="siret_format")
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE_SIRET:
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_ok(value)
    if not valid:
        raise ValidationError(_("This SIRET number has a wrong check digit."), code="siret_checksum")
