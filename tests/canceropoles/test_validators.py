"""The identifiers the portal exchanges with other systems: ORCID, ROR, RNSR, SIRET (common/validators.py)."""

import pytest
from django.core.exceptions import ValidationError

from common.validators import validate_orcid, validate_rnsr, validate_ror, validate_siret


def _code_of(validator, value) -> str:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return raised.value.code


@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0097",  # ORCID's own example (Josiah Carberry)
        "0000-0002-1694-233X",  # check digit 10, written X
        "0000-0001-5109-3700",
    ],
)
def test_orcid_with_right_check_digit_is_accepted(orcid):
    assert validate_orcid(orcid) is None


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0098", "0000-0002-1694-2330", "0000-0002-1825-009X"])
def test_orcid_with_wrong_check_digit_is_refused(orcid):
    assert _code_of(validate_orcid, orcid) == "orcid_checksum"


@pytest.mark.parametrize(
    "orcid",
    [
        "0000000218250097",  # no hyphens
        "https://orcid.org/0000-0002-1825-0097",  # the URL form is not the identifier
        "0000-0002-1694-233x",  # lower-case x
        "0000-0002-1825-009",
        "0000-0002-1825-00977",
        "",
    ],
)
def test_orcid_in_wrong_format_is_refused(orcid):
    assert _code_of(validate_orcid, orcid) == "orcid_format"


@pytest.mark.parametrize("ror", ["02feahw73", "02vjkv261", "04t0gwh46"])  # CNRS, Inserm, Institut Curie
def test_ror_with_right_checksum_is_accepted(ror):
    assert validate_ror(ror) is None


@pytest.mark.parametrize("ror", ["02feahw74", "02feahw37", "03feahw73"])
def test_ror_with_wrong_checksum_is_refused(ror):
    assert _code_of(validate_ror, ror) == "ror_checksum"


@pytest.mark.parametrize(
    "ror",
    [
        "https://ror.org/02feahw73",  # the URL form: store the identifier only
        "ror.org/02feahw73",
        "02FEAHW73",  # ROR identifiers are lower case
        "12feahw73",  # always starts with 0
        "02feahwl3",  # l is not a Crockford base-32 digit
        "02feahw7",
        "",
    ],
)
def test_ror_in_wrong_format_is_refused(ror):
    assert _code_of(validate_ror, ror) == "ror_format"


def test_ror_format_message_shows_the_expected_form():
    with pytest.raises(ValidationError) as raised:
        validate_ror("https://ror.org/02feahw73")

    assert "02feahw73" in raised.value.messages[0]


@pytest.mark.parametrize("rnsr", ["200918479K", "201923451A"])
def test_rnsr_of_nine_digits_and_a_capital_letter_is_accepted(rnsr):
    assert validate_rnsr(rnsr) is None


@pytest.mark.parametrize("rnsr", ["200918479k", "20091847K", "2009184799K", "200918479", "A200918479", ""])
def test_rnsr_in_wrong_format_is_refused(rnsr):
    assert _code_of(validate_rnsr, rnsr) == "rnsr_format"


@pytest.mark.parametrize(
    "siret",
    [
        "18551277700011",  # INCa
        "73282932000074",
        "35600000000048",  # La Poste's head office keeps the Luhn key
    ],
)
def test_siret_with_right_luhn_key_is_accepted(siret):
    assert validate_siret(siret) is None


@pytest.mark.parametrize("siret", ["18551277700012", "18551277700021", "73282932000075"])
def test_siret_with_wrong_luhn_key_is_refused(siret):
    assert _code_of(validate_siret, siret) == "siret_checksum"


@pytest.mark.parametrize("siret", ["35600000000001", "35600000012346", "35600000000056"])
def test_siret_of_la_poste_establishment_with_digit_sum_multiple_of_five_is_accepted(siret):
    assert validate_siret(siret) is None


@pytest.mark.parametrize(
    "siret",
    [
        "35600000000014",  # a right Luhn key does not make a La Poste establishment valid
        "35600000012345",
    ],
)
def test_siret_of_la_poste_establishment_with_other_digit_sum_is_refused(siret):
    assert _code_of(validate_siret, siret) == "siret_checksum"


@pytest.mark.parametrize(
    "siret", ["185 512 777 00011", "1855127770001", "185512777000111", "1855127770001A", ""]
)
def test_siret_in_wrong_format_is_refused(siret):
    assert _code_of(validate_siret, siret) == "siret_format"
