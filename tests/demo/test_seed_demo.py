"""seed_demo: the 7 real poles and coherent demo data, idempotent, with working demo logins."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from demo.calls import ACCOUNTS_WITHOUT_LOGIN
from demo.seed import ACCOUNTS, DEMO_TOTP_SECRET
from tests.second_factor import totp_code

pytestmark = pytest.mark.django_db

# The apps whose rows seed_demo writes. History tables grow on every save and are left out.
FOUNDATION_APPS = {"canceropoles", "accounts", "cop_contracts"}


def _models(app_labels: set[str]):
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in app_labels and not model.__name__.startswith("Historical")
    ]


def _counts() -> dict[str, int]:
    # Every table but the history ones, which record each save, including a save that changes nothing.
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
    }


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker):
    """The demo data, loaded once for this module (it takes seconds) and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed()
        transaction.set_rollback(True)


def test_seed_demo_twice_leaves_the_same_rows(seed_output):
    first = _counts()

    _seed()

    assert _counts() == first
    assert first["canceropoles.Canceropole"] == 7
    assert (
        first["accounts.User"] == len(ACCOUNTS) + ACCOUNTS_WITHOUT_LOGIN
    )  # + the calls' applicants and experts
    assert first["accounts.Membership"] == 4


def test_seed_demo_lists_every_login_and_the_password(seed_output, settings):
    assert f"Demo logins (password: {settings.DEMO_PASSWORD}):" in seed_output
    for account in ACCOUNTS:
        assert f"  {account.email:<42} {account.persona}\n" in seed_output


def test_every_demo_account_logs_in_with_the_demo_password(seed_output, client, settings):
    for account in ACCOUNTS:
        response = client.post(
            reverse("accounts:login"), {"username": account.email, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        if account.second_factor:
            # INCa staff, directors and the administrator: then the code of the printed demo key.
            assert response["Location"] == reverse("mfa_authenticate"), account.email
            response = client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
        assert response["Location"] == reverse("accounts:my_space"), account.email
        assert client.get(response["Location"]).status_code == 200, account.email
        client.post(reverse("accounts:logout"))


def test_seed_demo_prints_the_demo_key_of_the_accounts_with_a_second_factor(seed_output):
    second_factor = [account.email for account in ACCOUNTS if account.second_factor]

    assert second_factor == [
        "inca@demo.canceropoles.fr",
        "directeur.gso@demo.canceropoles.fr",
        "directrice.clara@demo.canceropoles.fr",
        "admin@demo.canceropoles.fr",
    ]
    assert "".join(f"  {email}\n" for email in second_factor) in seed_output
    assert f"  {DEMO_TOTP_SECRET} (one entry serves all these accounts)" in seed_output


def test_demo_totp_prints_the_current_code_of_the_demo_key():
    out = StringIO()
    before = totp_code(DEMO_TOTP_SECRET)

    call_command("demo_totp", stdout=out)

    # The code of the 30 s window the command ran in (which may have just turned).
    assert out.getvalue()[:14] in {f"{before}  (valid", f"{totp_code(DEMO_TOTP_SECRET)}  (valid"}


def test_every_demo_row_passes_model_validation(seed_output):
    invalid = {}
    for model in _models(FOUNDATION_APPS):
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as error:
                invalid[f"{model._meta.label} {row.pk}"] = error.message_dict

    assert invalid == {}


def test_demo_cop_has_a_contract_per_pole_and_values_in_every_status(seed_output):
    from cop_contracts.models import CopContract, IndicatorRollup, IndicatorValue, RollupLevel, ValueStatus

    statuses = set(IndicatorValue.objects.values_list("status", flat=True))
    years = set(IndicatorValue.objects.values_list("year", flat=True))

    assert CopContract.objects.filter(first_year=2023, last_year=2027).count() == 7
    assert statuses == set(ValueStatus.values)
    assert years == {2023, 2024, 2025}
    # One national figure per catalogue entry: the 24 of the reference data and the 2 event shares.
    assert (
        IndicatorRollup.objects.filter(level=RollupLevel.NATIONAL, year=2023, basis="accepted").count() == 26
    )
