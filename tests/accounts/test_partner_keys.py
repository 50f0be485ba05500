"""Partner API keys: hashed at rest, shown once, scoped to resources and poles, read-only, revocable,
expiring; `manage.py create_partner_key`; the admin.

Pole A is Grand Sud-Ouest, pole B CLARA (tests/conftest.py). A key of pole A with every scope must see
pole A's contract, its values that left the pole and its provisional rollups, and of pole B only what
the public sees.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services
from accounts.models import Partner, PartnerKey, PartnerScope
from accounts.viewers import as_viewer
from cop_contracts import selectors
from cop_contracts.models import IndicatorValue, RollupBasis, RollupLevel, ValueStatus
from tests.cop_contracts.factories import CopContractFactory, IndicatorRollupFactory, IndicatorValueFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_SCOPES = [PartnerScope.CONTRACTS, PartnerScope.VALUES, PartnerScope.ROLLUPS]


@pytest.fixture
def english(api_client, client, settings):
    """Answers in English (the language cookie), so that tests can quote them."""
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def _auth(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


@pytest.fixture
def network(pole_a, pole_b):
    """Both poles' contracts, one value of each status for each pole, and rollups of every kind."""
    contracts = {pole: CopContractFactory(canceropole=pole) for pole in (pole_a, pole_b)}
    values = {
        (pole.code, status): IndicatorValueFactory(contract=contract, status=status, year=year)
        for pole, contract in contracts.items()
        for year, status in enumerate(ValueStatus.values, start=2023)
    }
    rollups = {
        (scope, basis): IndicatorRollupFactory(
            canceropole=pole, level=RollupLevel.POLE if pole else RollupLevel.NATIONAL, basis=basis
        )
        for scope, pole in (("A", pole_a), ("B", pole_b), ("national", None))
        for basis in RollupBasis.values
    }
    return {"contracts": contracts, "values": values, "rollups": rollups}


def _ids(response) -> set:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_key_of_pole_a_reads_pole_a_values_that_left_the_pole_and_public_values_of_others(
    api_client, make_partner_key, network, pole_a
):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])
    values = network["values"]

    response = api_client.get(reverse("api:indicatorvalue-list"), **_auth(secret))

    assert _ids(response) == {
        values["GSO", ValueStatus.SUBMITTED].pk,
        values["GSO", ValueStatus.APPROVED].pk,
        values["GSO", ValueStatus.ACCEPTED].pk,
        values["CLARA", ValueStatus.ACCEPTED].pk,
    }


@pytest.mark.parametrize("status", [ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.APPROVED])
def test_key_of_pole_a_gets_404_for_a_non_public_value_of_pole_b(
    api_client, make_partner_key, network, pole_a, status
):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])
    value = network["values"]["CLARA", status]

    response = api_client.get(reverse("api:indicatorvalue-detail", args=[value.pk]), **_auth(secret))

    assert response.status_code == 404


def test_key_of_pole_a_never_sees_a_draft_even_of_its_pole(api_client, make_partner_key, network, pole_a):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])
    value = network["values"]["GSO", ValueStatus.DRAFT]

    response = api_client.get(reverse("api:indicatorvalue-detail", args=[value.pk]), **_auth(secret))

    assert response.status_code == 404


def test_key_of_pole_a_reads_pole_a_contract_only(api_client, make_partner_key, network, pole_a):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])

    response = api_client.get(reverse("api:contract-list"), **_auth(secret))

    assert _ids(response) == {network["contracts"][pole_a].pk}


def test_key_of_pole_a_reads_published_rollups_and_pole_a_provisional_ones_never_national_provisional(
    api_client, make_partner_key, network, pole_a
):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])
    rollups = network["rollups"]

    response = api_client.get(reverse("api:rollup-list"), **_auth(secret))

    assert _ids(response) == {
        rollups["A", RollupBasis.ACCEPTED].pk,
        rollups["B", RollupBasis.ACCEPTED].pk,
        rollups["national", RollupBasis.ACCEPTED].pk,
        rollups["A", RollupBasis.PROVISIONAL].pk,
    }


def test_key_without_scopes_reads_what_the_public_reads(api_client, make_partner_key, network, pole_a):
    _key, secret = make_partner_key(scopes=[], poles=[pole_a])

    for name in ("api:indicatorvalue-list", "api:contract-list", "api:rollup-list"):
        with_key = _ids(api_client.get(reverse(name), **_auth(secret)))
        public = _ids(api_client.get(reverse(name)))
        assert with_key == public, name


def test_key_scoped_to_values_only_reads_no_contract_and_no_provisional_rollup(
    api_client, make_partner_key, network, pole_a
):
    _key, secret = make_partner_key(scopes=[PartnerScope.VALUES], poles=[pole_a])

    contracts = _ids(api_client.get(reverse("api:contract-list"), **_auth(secret)))
    rollups = api_client.get(reverse("api:rollup-list"), **_auth(secret)).json()["results"]

    assert contracts == set()
    assert {row["basis"] for row in rollups} == {RollupBasis.ACCEPTED}


def test_key_without_poles_opens_its_scopes_for_every_pole(api_client, make_partner_key, network):
    _key, secret = make_partner_key(scopes=[PartnerScope.CONTRACTS])

    response = api_client.get(reverse("api:contract-list"), **_auth(secret))

    assert _ids(response) == {contract.pk for contract in network["contracts"].values()}


def test_selectors_read_a_key_like_the_api(make_partner_key, network, pole_a):
    key, _secret = make_partner_key(scopes=[PartnerScope.CONTRACTS], poles=[pole_a])

    contracts = selectors.contracts_visible_to(viewer=key)

    assert list(contracts) == [network["contracts"][pole_a]]


# Authentication failures -----------------------------------------------------------------------------


def _assert_401(response, detail: str) -> None:
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == detail


def test_revoked_key_answers_401(api_client, make_partner_key, english):
    key, secret = make_partner_key(scopes=ALL_SCOPES)
    services.partner_key_revoke(key=key)

    response = api_client.get(reverse("api:indicatorvalue-list"), **_auth(secret))

    _assert_401(response, "This API key has been revoked.")


def test_expired_key_answers_401(api_client, make_partner_key, english):
    key, secret = make_partner_key(scopes=ALL_SCOPES, expires_at=timezone.now() + timedelta(days=1))
    PartnerKey.objects.filter(pk=key.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))

    response = api_client.get(reverse("api:canceropole-list"), **_auth(secret))

    _assert_401(response, "This API key has expired.")


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Api-Key nothing.like-a-key", "Unknown API key."),
        ("Api-Key no-dot", "Unknown API key."),
        ("Api-Key two words", "Give the key after the Api-Key keyword, without spaces."),
        ("Api-Key", "Give the key after the Api-Key keyword, without spaces."),
    ],
)
def test_unknown_or_malformed_key_answers_401(api_client, make_partner_key, english, header, detail):
    make_partner_key(scopes=ALL_SCOPES)

    response = api_client.get(reverse("api:canceropole-list"), HTTP_AUTHORIZATION=header)

    _assert_401(response, detail)


def test_right_prefix_with_a_wrong_secret_answers_401(api_client, make_partner_key, english):
    key, _secret = make_partner_key(scopes=ALL_SCOPES)

    response = api_client.get(reverse("api:canceropole-list"), **_auth(f"{key.prefix}.{'x' * 32}"))

    _assert_401(response, "Unknown API key.")


# Read-only -------------------------------------------------------------------------------------------


def test_write_with_a_key_answers_403_and_creates_nothing(api_client, make_partner_key, network, pole_a):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])
    contract = network["contracts"][pole_a]
    before = IndicatorValue.objects.count()

    response = api_client.post(
        reverse("api:indicatorvalue-list"),
        {"contract": contract.pk, "indicator": "M3_EMERGENCE_FUNDED", "year": 2027, "value": "4"},
        **_auth(secret),
    )

    assert response.status_code == 403
    assert IndicatorValue.objects.count() == before


def test_transition_with_a_key_answers_403_and_changes_nothing(api_client, make_partner_key, network, pole_a):
    _key, secret = make_partner_key(scopes=ALL_SCOPES, poles=[pole_a])
    value = network["values"]["GSO", ValueStatus.APPROVED]

    response = api_client.post(reverse("api:indicatorvalue-accept", args=[value.pk]), **_auth(secret))

    assert response.status_code == 403
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED
    assert value.value == Decimal("3")
    assert value.history.count() == 1
    assert value.transitions.count() == 0


def test_key_request_is_not_signed_in_even_with_a_session(api_client, make_partner_key, inca_staff, network):
    """The explicit key wins over a session: the key's scope applies, not INCa's view of every value."""
    _key, secret = make_partner_key(scopes=[])
    api_client.force_login(inca_staff)

    response = api_client.get(reverse("api:indicatorvalue-list"), **_auth(secret))

    assert _ids(response) == {value.pk for value in network["values"].values() if value.status == "accepted"}


# Stored hashed, shown once, last use ---------------------------------------------------------------


def test_key_is_stored_hashed_and_only_its_prefix_is_readable(make_partner_key):
    key, secret = make_partner_key(scopes=ALL_SCOPES)

    stored = PartnerKey.objects.get(pk=key.pk)

    assert secret.startswith(f"{stored.prefix}.")
    assert secret.split(".", 1)[1] not in f"{stored.pk}{stored.hashed_key}"
    assert stored.hashed_key.startswith("sha512$$")


def test_last_used_time_is_recorded_at_most_once_a_minute(api_client, make_partner_key):
    key, secret = make_partner_key(scopes=[])
    assert key.last_used_at is None

    api_client.get(reverse("api:canceropole-list"), **_auth(secret))
    first = PartnerKey.objects.get(pk=key.pk).last_used_at
    api_client.get(reverse("api:canceropole-list"), **_auth(secret))
    second = PartnerKey.objects.get(pk=key.pk).last_used_at

    assert first is not None
    assert timezone.now() - first < timedelta(seconds=10)
    assert second == first


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"scopes": ["everything"]}, "scopes"),
        ({"name": " "}, "name"),
        ({"expires_at": "past"}, "expires_at"),
    ],
)
def test_partner_key_create_refuses_bad_input_naming_the_field_and_creates_nothing(fields, field):
    partner = services.partner_get_or_create(name="Région test")
    arguments = {"partner": partner, "name": "key", "scopes": [], **fields}
    if arguments.get("expires_at") == "past":
        arguments["expires_at"] = timezone.now() - timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        services.partner_key_create(**arguments)

    assert list(error.value.message_dict) == [field]
    assert PartnerKey.objects.count() == 0


def test_revoked_key_cannot_be_reinstated(make_partner_key):
    key, _secret = make_partner_key()
    services.partner_key_revoke(key=key)
    key = PartnerKey.objects.get(pk=key.pk)

    key.revoked = False
    with pytest.raises(ValidationError):
        key.save()


def test_viewer_of_an_inactive_user_is_anonymous(director_a):
    director_a.is_active = False

    assert as_viewer(director_a) == as_viewer(AnonymousUser())


# Management command and admin ------------------------------------------------------------------------


def test_create_partner_key_prints_a_working_key_once(api_client, network, pole_a):
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "create_partner_key",
        "Région Occitanie",
        "--scope",
        "contracts,values",
        "--canceropole",
        "gso",
        "--expires",
        "2099-12-31",
        stdout=out,
        stderr=err,
    )

    secret = out.getvalue().strip()
    key = PartnerKey.objects.get()
    assert key.partner.name == "Région Occitanie"
    assert key.scopes == ["contracts", "values"]
    assert list(key.canceropoles.values_list("code", flat=True)) == ["GSO"]
    assert timezone.localtime(key.expiry_date).date().isoformat() == "2099-12-31"
    assert secret.startswith(f"{key.prefix}.")
    assert "\n" not in secret
    assert secret not in err.getvalue()
    assert _ids(api_client.get(reverse("api:contract-list"), **_auth(secret))) == {
        network["contracts"][pole_a].pk
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scope", "everything"], "scopes: Unknown scope: everything"),
        (["--canceropole", "XYZ"], "Unknown cancéropôle code: XYZ."),
        (["--expires", "soon"], "--expires: 'soon' is not a date (YYYY-MM-DD)."),
        (["--expires", "2001-01-01"], "expires_at: The expiry must be in the future."),
    ],
)
def test_create_partner_key_refuses_bad_arguments_and_creates_nothing(arguments, message, english):
    with pytest.raises(CommandError) as error:
        call_command("create_partner_key", "Région test", *arguments, stdout=io.StringIO())

    assert str(error.value).startswith(message)
    assert PartnerKey.objects.count() == 0


@pytest.fixture
def admin_client(client, monkeypatch):
    """A superuser in the admin (the second factor the admin asks for is tested in test_second_factor)."""
    monkeypatch.setattr("accounts.admin_site.verified_in_session", lambda request: True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_creates_a_key_and_shows_it_once(admin_client, pole_a, english):
    client = admin_client
    partner = Partner.objects.create(name="Fondation test")

    response = client.post(
        reverse("admin:accounts_partnerkey_add"),
        {"partner": partner.pk, "name": "sync", "scopes": ["values"], "canceropoles": [pole_a.pk]},
        follow=True,
    )

    key = PartnerKey.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    assert key.scopes == ["values"]
    assert list(key.canceropoles.all()) == [pole_a]
    assert len(shown) == 2
    assert shown[0].startswith(f"The API key sync is {key.prefix}.")
    assert shown[0].endswith("Store it now: it will not be shown again.")
    change_page = client.get(reverse("admin:accounts_partnerkey_change", args=[key.pk]))
    assert change_page.status_code == 200
    assert "it will not be shown again" not in change_page.content.decode()


def test_admin_action_revokes_keys(admin_client, make_partner_key, english):
    client = admin_client
    key, _secret = make_partner_key()

    client.post(
        reverse("admin:accounts_partnerkey_changelist"),
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )

    key.refresh_from_db()
    assert key.revoked is True
