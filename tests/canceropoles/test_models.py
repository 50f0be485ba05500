"""Model validation of the network: an invalid identifier is reported on its own field."""

import pytest
from django.core.exceptions import ValidationError

from canceropoles.models import Organisation, Person

pytestmark = pytest.mark.django_db


def _error_codes(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return {field: [error.code for error in errors] for field, errors in raised.value.error_dict.items()}


@pytest.mark.parametrize(
    ("field", "value", "codes"),
    [
        # a pasted URL or spaced number is also longer than the column: both messages are shown
        ("ror", "https://ror.org/02feahw73", ["ror_format", "max_length"]),
        ("ror", "02feahw74", ["ror_checksum"]),
        ("rnsr", "20091847K", ["rnsr_format"]),
        ("siret", "18551277700012", ["siret_checksum"]),
        ("siret", "185 512 777 00011", ["siret_format", "max_length"]),
    ],
)
def test_organisation_full_clean_names_the_invalid_identifier(field, value, codes):
    organisation = Organisation(name="Laboratoire de test", kind=Organisation.Kind.LAB, **{field: value})

    assert _error_codes(organisation) == {field: codes}


def test_organisation_full_clean_accepts_valid_identifiers():
    organisation = Organisation(
        name="Centre national de la recherche scientifique",
        kind=Organisation.Kind.RESEARCH_BODY,
        ror="02feahw73",
        rnsr="200918479K",
        siret="18551277700011",
    )

    assert organisation.full_clean() is None


def test_organisation_full_clean_names_an_unknown_kind():
    organisation = Organisation(name="Laboratoire de test", kind="planet")

    assert _error_codes(organisation) == {"kind": ["invalid_choice"]}


@pytest.mark.parametrize(
    ("orcid", "codes"),
    [
        ("0000-0002-1825-0098", ["orcid_checksum"]),
        ("0000-0002-1825-009", ["orcid_format"]),
        ("https://orcid.org/0000-0002-1825-0097", ["orcid_format", "max_length"]),
    ],
)
def test_person_full_clean_names_the_invalid_orcid(orcid, codes):
    person = Person(first_name="Josiah", last_name="Carberry", orcid=orcid)

    assert _error_codes(person) == {"orcid": codes}


def test_person_full_clean_names_the_missing_last_name():
    person = Person(first_name="Josiah", last_name="", orcid="0000-0002-1825-0097")

    assert _error_codes(person) == {"last_name": ["blank"]}


def test_person_without_orcid_is_valid():
    person = Person(first_name="Josiah", last_name="Carberry")

    assert person.full_clean() is None
