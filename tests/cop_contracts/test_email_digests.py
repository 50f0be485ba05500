"""E-mails people can live with (issue §2): one message per recipient per act, never one per value.

The walk of the issue (a coordinator submits a year of 24 values, the director approves all of them in
bulk, INCa accepts all of them in bulk) sent 72 messages before digests (24 per step) with one director,
two coordinators and two INCa staff; it now sends 6: one to the director, one to each INCa staff member,
one to each of the pole's three staff.
"""

import pytest
from django.core import mail

from accounts.models import Membership
from canceropoles.reference import reference
from cop_contracts import services
from cop_contracts.models import IndicatorDefinition
from tests.cop_contracts.factories import CopContractFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _fill_year(contract, by, year=2024) -> None:
    # The 24 entries of the national reference (apps may add entries of their own to the catalogue).
    codes = [entry["code"] for entry in reference()["indicators"]]
    for definition in IndicatorDefinition.objects.filter(is_active=True, code__in=codes):
        figures = {"numerator": "1", "denominator": "2"} if definition.is_ratio else {"value": "3"}
        services.indicator_value_save(contract=contract, indicator=definition, year=year, by=by, **figures)


def _recipients() -> list[str]:
    return sorted(recipient for message in mail.outbox for recipient in message.to)


def test_submitting_a_year_of_24_values_sends_one_email_per_director(
    contract_a, coordinator_a, director_a, director_b, django_capture_on_commit_callbacks
):
    second_director = UserFactory(email="co-director.a@test.canceropoles.fr")
    MembershipFactory(user=second_director, canceropole=contract_a.canceropole, role=Membership.Role.DIRECTOR)
    _fill_year(contract_a, coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.indicator_values_submit_year(contract=contract_a, year=2024, by=coordinator_a)

    assert len(submitted) == 24
    assert _recipients() == sorted([director_a.email, second_director.email])
    assert [message.subject for message in mail.outbox] == ["COP GSO: values submitted for your approval"] * 2
    assert mail.outbox[0].body.count("\n- ") == 24


def test_a_bulk_decision_over_three_poles_sends_one_email_per_pole(
    pole_a, pole_b, inca_staff, django_capture_on_commit_callbacks
):
    values = []
    for code in ("GSO", "CLARA", "EST"):
        contract = CopContractFactory(canceropole=pole_a.__class__.objects.get(code=code))
        coordinator = UserFactory(email=f"coordinator.{code.lower()}@test.canceropoles.fr")
        director = UserFactory(email=f"director.{code.lower()}@test.canceropoles.fr")
        MembershipFactory(
            user=coordinator, canceropole=contract.canceropole, role=Membership.Role.COORDINATOR
        )
        MembershipFactory(user=director, canceropole=contract.canceropole, role=Membership.Role.DIRECTOR)
        for definition in IndicatorDefinition.objects.filter(unit="count").order_by("code")[:4]:
            value = services.indicator_value_save(
                contract=contract, indicator=definition, year=2024, by=coordinator, value="2"
            )
            value = services.indicator_value_submit(value=value, by=coordinator)
            values.append(services.indicator_value_approve(value=value, by=director))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_values_decide(values=values, by=inca_staff, action="accept")

    # each pole's director and coordinator: one message each, listing that pole's 4 values
    assert sorted(message.subject for message in mail.outbox) == sorted(
        [f"COP {code}: values accepted by INCa" for code in ("CLARA", "EST", "GSO") for _person in range(2)]
    )
    assert [len(message.to) for message in mail.outbox] == [1] * 6
    assert {message.body.count("\n- ") for message in mail.outbox} == {4}
