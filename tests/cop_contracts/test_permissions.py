"""Every indicator row of DESIGN §5, through the API, for each persona.

Pole A is Grand Sud-Ouest (its director and coordinator), pole B is CLARA (its director and
coordinator); INCa staff is national; the researcher holds no pole role. An object outside a user's
scope answers 404, a forbidden action on a visible object 403 (the anonymous visitor gets 403 on every
write: the API authenticates by session), and every refused write leaves the database as it was.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from cop_contracts.models import (
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    ValueStatus,
    ValueTransition,
)
from tests.cop_contracts.factories import IndicatorRollupFactory, IndicatorValueFactory, TargetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PERSONAS = [
    "inca_staff",
    "director_a",
    "coordinator_a",
    "coordinator_b",
    "director_b",
    "researcher",
    "anonymous",
]


def _as(request, api_client, persona: str):
    user = request.getfixturevalue(persona)
    if user.is_authenticated:
        api_client.force_authenticate(user)
    return user


def _expect(table: dict[str, int]) -> list[tuple[str, int]]:
    assert set(table) == set(PERSONAS), "every persona has an expected answer"
    return list(table.items())


def _value_of_pole_a(contract_a, funded, status: str) -> IndicatorValue:
    return IndicatorValueFactory(contract=contract_a, indicator=funded, status=status, value=Decimal("3"))


# See accepted indicators: everyone -----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_accepted_value_is_visible_to_every_persona(request, api_client, contract_a, funded, persona):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.ACCEPTED)
    _as(request, api_client, persona)

    detail = api_client.get(reverse("api:indicatorvalue-detail", args=[value.pk]))
    listing = api_client.get(reverse("api:indicatorvalue-list"))

    assert detail.status_code == 200
    assert detail.json()["status"] == "accepted"
    assert [row["id"] for row in listing.json()["results"]] == [value.pk]


@pytest.mark.parametrize("persona", PERSONAS)
def test_catalogue_and_targets_are_visible_to_every_persona(request, api_client, contract_a, funded, persona):
    target = TargetFactory(contract=contract_a, indicator=funded)
    _as(request, api_client, persona)

    indicator = api_client.get(reverse("api:indicator-detail", args=[funded.code]))
    target_detail = api_client.get(reverse("api:target-detail", args=[target.pk]))

    assert indicator.status_code == 200
    assert target_detail.status_code == 200


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 200,
            "director_a": 200,
            "coordinator_a": 200,
            "coordinator_b": 404,
            "director_b": 404,
            "researcher": 404,
            "anonymous": 404,
        }
    ),
)
@pytest.mark.parametrize(
    "status", [ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.APPROVED, ValueStatus.SENT_BACK]
)
def test_unpublished_value_is_visible_to_its_pole_and_inca_only(
    request, api_client, contract_a, funded, persona, expected, status
):
    value = _value_of_pole_a(contract_a, funded, status)
    _as(request, api_client, persona)

    detail = api_client.get(reverse("api:indicatorvalue-detail", args=[value.pk]))
    listing = api_client.get(reverse("api:indicatorvalue-list"))

    assert detail.status_code == expected
    assert len(listing.json()["results"]) == (1 if expected == 200 else 0)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 200,
            "director_a": 200,
            "coordinator_a": 200,
            "coordinator_b": 404,
            "director_b": 404,
            "researcher": 404,
            "anonymous": 404,
        }
    ),
)
def test_contract_is_visible_to_its_pole_and_inca_only(request, api_client, contract_a, persona, expected):
    _as(request, api_client, persona)

    response = api_client.get(reverse("api:contract-detail", args=[contract_a.pk]))

    assert response.status_code == expected


# Draft and submit indicator values: the pole's coordinator and director -----------------------------

REPORT = _expect(
    {
        "inca_staff": 403,
        "director_a": 200,
        "coordinator_a": 200,
        "coordinator_b": 404,
        "director_b": 404,
        "researcher": 404,
        "anonymous": 403,
    }
)


@pytest.mark.parametrize(("persona", "expected"), REPORT)
def test_value_create_is_for_the_pole_staff_only(request, api_client, contract_a, funded, persona, expected):
    _as(request, api_client, persona)

    response = api_client.post(
        reverse("api:indicatorvalue-list"),
        {"contract": contract_a.pk, "indicator": funded.code, "year": 2024, "value": 4},
    )

    if expected == 200:
        assert response.status_code == 201
        value = IndicatorValue.objects.get()
        assert (value.status, value.value) == (ValueStatus.DRAFT, Decimal("4"))
    else:
        assert response.status_code == expected
        assert IndicatorValue.objects.count() == 0
        assert IndicatorValue.history.count() == 0
        assert ValueTransition.objects.count() == 0


@pytest.mark.parametrize(("persona", "expected"), REPORT)
def test_value_update_is_for_the_pole_staff_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.DRAFT)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.patch(reverse("api:indicatorvalue-detail", args=[value.pk]), {"value": 7})

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.value == Decimal("7")
    else:
        assert state_of(value) == before


@pytest.mark.parametrize(("persona", "expected"), REPORT)
def test_value_submit_is_for_the_pole_staff_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.DRAFT)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(reverse("api:indicatorvalue-submit", args=[value.pk]))

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.SUBMITTED
    else:
        assert state_of(value) == before


@pytest.mark.parametrize(("persona", "expected"), REPORT)
def test_value_submit_year_is_for_the_pole_staff_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.DRAFT)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(
        reverse("api:indicatorvalue-submit-year"), {"contract": contract_a.pk, "year": 2024}
    )

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.SUBMITTED
    else:
        assert state_of(value) == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            # The pole's staff may report, but an accepted value is locked: 400 with the reason.
            "inca_staff": 403,
            "director_a": 400,
            "coordinator_a": 400,
            # Everyone else sees the published value and may not change it.
            "coordinator_b": 403,
            "director_b": 403,
            "researcher": 403,
            "anonymous": 403,
        }
    ),
)
@pytest.mark.parametrize("write", ["patch", "submit"])
def test_accepted_value_cannot_be_changed_by_anyone(
    request, api_client, contract_a, funded, state_of, persona, expected, write
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.ACCEPTED)
    before = state_of(value)
    _as(request, api_client, persona)

    if write == "patch":
        response = api_client.patch(reverse("api:indicatorvalue-detail", args=[value.pk]), {"value": 9})
    else:
        response = api_client.post(reverse("api:indicatorvalue-submit", args=[value.pk]))

    assert response.status_code == expected
    assert state_of(value) == before


# Approve indicator values: the pole's director only ----------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 403,
            "director_a": 200,
            "coordinator_a": 403,
            "coordinator_b": 404,
            "director_b": 404,
            "researcher": 404,
            "anonymous": 403,
        }
    ),
)
def test_value_approve_is_for_the_pole_director_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.SUBMITTED)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(reverse("api:indicatorvalue-approve", args=[value.pk]))

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.APPROVED
    else:
        assert state_of(value) == before


# Accept or send back indicator values: INCa (and the director sends back a submitted value) ---------

INCA_ONLY = {
    "inca_staff": 200,
    "director_a": 403,
    "coordinator_a": 403,
    "coordinator_b": 404,
    "director_b": 404,
    "researcher": 404,
    "anonymous": 403,
}


@pytest.mark.parametrize(("persona", "expected"), _expect(INCA_ONLY))
def test_value_accept_is_for_inca_staff_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.APPROVED)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(reverse("api:indicatorvalue-accept", args=[value.pk]))

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.ACCEPTED
    else:
        assert state_of(value) == before


@pytest.mark.parametrize(("persona", "expected"), _expect(INCA_ONLY))
def test_approved_value_send_back_is_for_inca_staff_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.APPROVED)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(
        reverse("api:indicatorvalue-send-back", args=[value.pk]), {"comment": "Détailler les projets"}
    )

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.SENT_BACK
    else:
        assert state_of(value) == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 403,
            "director_a": 200,
            "coordinator_a": 403,
            "coordinator_b": 404,
            "director_b": 404,
            "researcher": 404,
            "anonymous": 403,
        }
    ),
)
def test_submitted_value_send_back_is_for_the_pole_director_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.SUBMITTED)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(
        reverse("api:indicatorvalue-send-back", args=[value.pk]), {"comment": "Vérifier le périmètre"}
    )

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.SENT_BACK
    else:
        assert state_of(value) == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 200,
            "director_a": 403,
            "coordinator_a": 403,
            # An accepted value is public: visible, so forbidden rather than absent.
            "coordinator_b": 403,
            "director_b": 403,
            "researcher": 403,
            "anonymous": 403,
        }
    ),
)
def test_value_unlock_is_for_inca_staff_only(
    request, api_client, contract_a, funded, state_of, persona, expected
):
    value = _value_of_pole_a(contract_a, funded, ValueStatus.ACCEPTED)
    before = state_of(value)
    _as(request, api_client, persona)

    response = api_client.post(
        reverse("api:indicatorvalue-unlock", args=[value.pk]), {"reason": "Erreur de périmètre signalée"}
    )

    assert response.status_code == expected
    value.refresh_from_db()
    if expected == 200:
        assert value.status == ValueStatus.SENT_BACK
    else:
        assert state_of(value) == before


# Read rollups by API: published for everyone; provisional for INCa, and for a pole's staff their own
# pole's only (never another pole's, never the national ones: fault 5.8) ---------------------------


@pytest.fixture
def rollups(pole_a, pole_b, funded):
    """A published and a provisional figure for pole A, pole B and the nation."""
    rows = {}
    for basis in (RollupBasis.ACCEPTED, RollupBasis.PROVISIONAL):
        rows[("A", basis)] = IndicatorRollupFactory(indicator=funded, canceropole=pole_a, basis=basis)
        rows[("B", basis)] = IndicatorRollupFactory(indicator=funded, canceropole=pole_b, basis=basis)
        rows[("national", basis)] = IndicatorRollupFactory(
            indicator=funded, level=RollupLevel.NATIONAL, canceropole=None, basis=basis, poles_reporting=2
        )
    return rows


PUBLISHED = {("A", "accepted"), ("B", "accepted"), ("national", "accepted")}


@pytest.mark.parametrize(
    ("persona", "visible"),
    _expect(
        {
            "inca_staff": PUBLISHED
            | {("A", "provisional"), ("B", "provisional"), ("national", "provisional")},
            "director_a": PUBLISHED | {("A", "provisional")},
            "coordinator_a": PUBLISHED | {("A", "provisional")},
            "coordinator_b": PUBLISHED | {("B", "provisional")},
            "director_b": PUBLISHED | {("B", "provisional")},
            "researcher": PUBLISHED,
            "anonymous": PUBLISHED,
        }
    ),
)
def test_rollup_list_shows_a_pole_s_provisional_figures_to_its_staff_and_inca_only(
    request, api_client, rollups, persona, visible
):
    _as(request, api_client, persona)
    key_of = {row.pk: key for key, row in rollups.items()}

    response = api_client.get(reverse("api:rollup-list"))

    assert response.status_code == 200
    assert {key_of[row["id"]] for row in response.json()["results"]} == visible
    assert len(response.json()["results"]) == len(visible)


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 200,
            "director_a": 200,
            "coordinator_a": 200,
            "coordinator_b": 404,
            "director_b": 404,
            "researcher": 404,
            "anonymous": 404,
        }
    ),
)
def test_provisional_rollup_of_pole_a_is_absent_for_outsiders(
    request, api_client, rollups, persona, expected
):
    _as(request, api_client, persona)

    response = api_client.get(reverse("api:rollup-detail", args=[rollups[("A", "provisional")].pk]))

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["provisional"] is True


@pytest.mark.parametrize(
    ("persona", "expected"),
    _expect(
        {
            "inca_staff": 405,
            "director_a": 405,
            "coordinator_a": 405,
            "coordinator_b": 405,
            "director_b": 405,
            "researcher": 405,
            "anonymous": 403,
        }
    ),
)
def test_rollups_cannot_be_written_through_the_api(request, api_client, rollups, funded, persona, expected):
    _as(request, api_client, persona)
    published = rollups[("A", "accepted")]

    created = api_client.post(
        reverse("api:rollup-list"), {"indicator": funded.code, "year": 2024, "value": "1"}
    )
    changed = api_client.patch(reverse("api:rollup-detail", args=[published.pk]), {"value": "99"})

    assert created.status_code == expected
    assert changed.status_code == expected
    assert IndicatorRollup.objects.count() == 6
    published.refresh_from_db()
    assert published.value == Decimal("3")
