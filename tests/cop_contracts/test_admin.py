"""Fault 5.9: the admin bypassed the services. Indicator values cannot be deleted there (their history
and the rollups would go stale); users and memberships keep a history (granting INCa staff leaves a
trace). Targets: tests/cop_contracts/test_targets.py."""

import pytest
from django.urls import reverse

from accounts.models import Membership, User
from cop_contracts.models import IndicatorValue, ValueStatus
from tests.cop_contracts.admin_client import signed_in_admin
from tests.cop_contracts.factories import IndicatorValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(settings):
    return signed_in_admin(settings)


def test_admin_cannot_delete_an_indicator_value(admin_client, contract_a):
    client = admin_client
    value = IndicatorValueFactory(contract=contract_a, status=ValueStatus.ACCEPTED)

    page = client.get(reverse("admin:cop_contracts_indicatorvalue_delete", args=[value.pk]))
    posted = client.post(
        reverse("admin:cop_contracts_indicatorvalue_delete", args=[value.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:cop_contracts_indicatorvalue_changelist"),
        {"action": "delete_selected", "_selected_action": [value.pk], "post": "yes"},
    )

    assert (page.status_code, posted.status_code) == (403, 403)
    assert bulk.status_code in (200, 302)
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_granting_inca_staff_in_the_admin_leaves_a_trace(admin_client, researcher):
    client, admin_user = admin_client, admin_client.admin
    url = reverse("admin:accounts_user_change", args=[researcher.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "email": researcher.email,
            "is_inca_staff": "on",
            "is_active": "on",
            "date_joined_0": researcher.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": researcher.date_joined.strftime("%H:%M:%S"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    researcher.refresh_from_db()
    assert researcher.is_inca_staff is True
    latest = researcher.history.latest()
    assert (latest.is_inca_staff, latest.history_user) == (True, admin_user)
    assert not hasattr(latest, "password")
    assert client.get(reverse("admin:accounts_user_history", args=[researcher.pk])).status_code == 200


def test_memberships_keep_a_history(pole_a):
    user = User.objects.create_user(email="new.director@test.canceropoles.fr")
    membership = Membership.objects.create(user=user, canceropole=pole_a, role=Membership.Role.DIRECTOR)
    membership.delete()

    assert list(Membership.history.filter(user_id=user.pk).values_list("history_type", flat=True)) == [
        "-",
        "+",
    ]
