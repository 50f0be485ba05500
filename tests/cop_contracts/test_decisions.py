"""Decisions as services (issue §1.4, §1.5): the action → permission dispatch, bulk decisions all or none,
four eyes, and the API's bulk endpoint using the same service."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from common.errors import TransitionError
from cop_contracts import services
from cop_contracts.models import IndicatorValue, ValueStatus, ValueTransition
from tests.cop_contracts.factories import IndicatorValueFactory, indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CODES = ["M2_EVENTS", "M3_EMERGENCE_FUNDED", "M4_PATENTS"]


def _submitted(contract, by, code="M2_EVENTS", year=2024):
    value = services.indicator_value_save(
        contract=contract, indicator=indicator(code), year=year, by=by, value="3"
    )
    return services.indicator_value_submit(value=value, by=by)


def _approved(contract, coordinator, director, code="M2_EVENTS", year=2024):
    return services.indicator_value_approve(value=_submitted(contract, coordinator, code, year), by=director)


def _statuses(values) -> list[str]:
    return list(
        IndicatorValue.objects.filter(pk__in=[v.pk for v in values])
        .order_by("pk")
        .values_list("status", flat=True)
    )


# Four eyes -----------------------------------------------------------------------------------------


def test_director_cannot_approve_a_value_they_submitted(contract_a, director_a, state_of):
    value = _submitted(contract_a, director_a)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_approve(value=value, by=director_a)

    assert excinfo.value.message_dict == {
        "status": ["You submitted this yourself: someone else must decide on it (four eyes)."]
    }
    assert state_of(value) == before


def test_inca_staff_cannot_accept_a_value_they_submitted(contract_a, director_a, inca_staff, state_of):
    value = _submitted(contract_a, inca_staff)  # e.g. an INCa staff member who is also a pole's coordinator
    value = services.indicator_value_approve(value=value, by=director_a)
    before = state_of(value)

    with pytest.raises(TransitionError):
        services.indicator_value_accept(value=value, by=inca_staff)

    assert state_of(value) == before


def test_director_approves_what_a_coordinator_submitted(contract_a, coordinator_a, director_a):
    value = _submitted(contract_a, coordinator_a)

    approved = services.indicator_value_approve(value=value, by=director_a)

    assert approved.status == ValueStatus.APPROVED


def test_api_approve_of_ones_own_submission_is_a_400_and_changes_nothing(
    api_client, contract_a, director_a, state_of
):
    value = _submitted(contract_a, director_a)
    before = state_of(value)
    api_client.force_authenticate(director_a)

    response = api_client.post(reverse("api:indicatorvalue-approve", args=[value.pk]))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    assert state_of(value) == before


# Dispatch ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "action", "status", "permitted"),
    [
        ("director_a", "approve", ValueStatus.SUBMITTED, True),
        ("coordinator_a", "approve", ValueStatus.SUBMITTED, False),
        ("inca_staff", "approve", ValueStatus.SUBMITTED, False),
        ("inca_staff", "accept", ValueStatus.APPROVED, True),
        ("director_a", "accept", ValueStatus.APPROVED, False),
        ("director_a", "send_back", ValueStatus.SUBMITTED, True),
        ("director_a", "send_back", ValueStatus.APPROVED, False),
        ("inca_staff", "send_back", ValueStatus.APPROVED, True),
        ("inca_staff", "send_back", ValueStatus.SUBMITTED, False),
        ("inca_staff", "unlock", ValueStatus.ACCEPTED, True),
        ("director_b", "approve", ValueStatus.SUBMITTED, False),
        ("director_a", "publish", ValueStatus.SUBMITTED, False),
    ],
)
def test_decision_permitted_follows_the_rules(request, contract_a, persona, action, status, permitted):
    user = request.getfixturevalue(persona)
    value = IndicatorValueFactory(contract=contract_a, status=status)

    assert services.decision_permitted(user=user, value=value, action=action) is permitted


def test_send_back_from_the_page_step_is_permitted_to_the_step_holder_even_if_the_value_moved(
    contract_a, inca_staff
):
    value = IndicatorValueFactory(contract=contract_a, status=ValueStatus.ACCEPTED)

    assert services.decision_permitted(
        user=inca_staff, value=value, action="send_back", expected_status=ValueStatus.APPROVED
    )
    with pytest.raises(TransitionError):  # the service then says why
        services.indicator_value_decide(
            value=value, by=inca_staff, action="send_back", comment="x", expected_status=ValueStatus.APPROVED
        )


def test_indicator_value_decide_refuses_a_forbidden_action_and_changes_nothing(
    contract_a, coordinator_a, state_of
):
    value = _submitted(contract_a, coordinator_a)
    before = state_of(value)

    with pytest.raises(PermissionDenied):
        services.indicator_value_decide(value=value, by=coordinator_a, action="approve")

    assert state_of(value) == before


# Bulk ----------------------------------------------------------------------------------------------


def test_bulk_approve_approves_every_value_with_one_comment(contract_a, coordinator_a, director_a):
    values = [_submitted(contract_a, coordinator_a, code) for code in CODES]

    decided = services.indicator_values_decide(values=values, by=director_a, action="approve", comment="Vu")

    assert [v.status for v in decided] == [ValueStatus.APPROVED] * 3
    assert _statuses(values) == [ValueStatus.APPROVED] * 3
    assert (
        list(ValueTransition.objects.filter(to_status=ValueStatus.APPROVED).values_list("comment", flat=True))
        == ["Vu"] * 3
    )


def test_bulk_decision_is_all_or_none_and_lists_every_refused_value(contract_a, coordinator_a, director_a):
    ok = _submitted(contract_a, coordinator_a, "M2_EVENTS")
    own = _submitted(contract_a, director_a, "M3_EMERGENCE_FUNDED")
    draft = services.indicator_value_save(
        contract=contract_a, indicator=indicator("M4_PATENTS"), year=2024, by=coordinator_a, value="1"
    )
    transitions = ValueTransition.objects.count()

    with pytest.raises(services.BulkDecisionError) as excinfo:
        services.indicator_values_decide(values=[ok, own, draft], by=director_a, action="approve")

    assert [(f.value.pk, f.messages) for f in excinfo.value.failures] == [
        (own.pk, ["You submitted this yourself: someone else must decide on it (four eyes)."]),
        (draft.pk, ["This value is Draft: it cannot go to “Approved by the director” from there."]),
    ]
    assert excinfo.value.message_dict["values"][0].startswith("GSO M3_EMERGENCE_FUNDED 2024: ")
    assert _statuses([ok, own, draft]) == [ValueStatus.SUBMITTED, ValueStatus.SUBMITTED, ValueStatus.DRAFT]
    assert ValueTransition.objects.count() == transitions


def test_bulk_decision_on_a_value_the_user_may_not_decide_is_forbidden_and_changes_nothing(
    contract_a, contract_b, coordinator_a, coordinator_b, director_a
):
    mine = _submitted(contract_a, coordinator_a)
    other = _submitted(contract_b, coordinator_b)

    with pytest.raises(PermissionDenied):
        services.indicator_values_decide(values=[mine, other], by=director_a, action="approve")

    assert _statuses([mine, other]) == [ValueStatus.SUBMITTED, ValueStatus.SUBMITTED]


def test_bulk_send_back_needs_one_comment(contract_a, coordinator_a, director_a):
    value = _submitted(contract_a, coordinator_a)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_values_decide(values=[value], by=director_a, action="send_back", comment="  ")

    assert excinfo.value.message_dict == {"comment": ["Say why: a comment is required."]}
    assert _statuses([value]) == [ValueStatus.SUBMITTED]


def test_bulk_decision_with_an_unknown_action_or_no_value_is_refused(contract_a, director_a):
    with pytest.raises(TransitionError) as unknown:
        services.indicator_values_decide(values=[], by=director_a, action="publish")
    with pytest.raises(TransitionError) as empty:
        services.indicator_values_decide(values=[], by=director_a, action="approve")

    assert list(unknown.value.message_dict) == ["action"]
    assert list(empty.value.message_dict) == ["values"]


# The API's bulk endpoint ----------------------------------------------------------------------------


def test_api_decide_accepts_every_value_across_poles(
    api_client, contract_a, contract_b, coordinator_a, director_a, coordinator_b, director_b, inca_staff
):
    values = [
        _approved(contract_a, coordinator_a, director_a),
        _approved(contract_b, coordinator_b, director_b),
    ]
    api_client.force_authenticate(inca_staff)

    response = api_client.post(
        reverse("api:indicatorvalue-decide"), {"action": "accept", "values": [v.pk for v in values]}
    )

    assert response.status_code == 200
    assert [(row["id"], row["status"]) for row in response.json()] == [(v.pk, "accepted") for v in values]


def test_api_decide_is_all_or_none_with_a_400_listing_the_refusals(
    api_client, contract_a, coordinator_a, director_a, inca_staff
):
    approved = _approved(contract_a, coordinator_a, director_a)
    submitted = _submitted(contract_a, coordinator_a, "M4_PATENTS")
    api_client.force_authenticate(inca_staff)

    response = api_client.post(
        reverse("api:indicatorvalue-decide"),
        {"action": "send_back", "values": [approved.pk, submitted.pk], "comment": "x"},
    )

    assert response.status_code == 403  # INCa may not send back a value at the director's step
    response = api_client.post(
        reverse("api:indicatorvalue-decide"), {"action": "accept", "values": [approved.pk, 999999]}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"values": ["Value 999999 does not exist."]}
    assert _statuses([approved, submitted]) == [ValueStatus.APPROVED, ValueStatus.SUBMITTED]


def test_api_decide_by_a_director_on_another_pole_lists_the_values_as_absent(
    api_client, contract_b, coordinator_b, director_a
):
    value = _submitted(contract_b, coordinator_b)
    api_client.force_authenticate(director_a)

    response = api_client.post(
        reverse("api:indicatorvalue-decide"), {"action": "approve", "values": [value.pk]}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"values": [f"Value {value.pk} does not exist."]}
    assert _statuses([value]) == [ValueStatus.SUBMITTED]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "publish", "values": [1]}, "action"),
        ({"action": "accept", "values": []}, "values"),
        ({"action": "accept", "values": ["x"]}, "values"),
        ({"action": "accept", "values": [1], "comment": "x" * 2001}, "comment"),
    ],
)
def test_api_decide_with_bad_input_is_a_400_naming_the_field(api_client, inca_staff, payload, field):
    api_client.force_authenticate(inca_staff)

    response = api_client.post(reverse("api:indicatorvalue-decide"), payload)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_api_decide_is_refused_to_the_anonymous(api_client, contract_a):
    value = IndicatorValueFactory(contract=contract_a, status=ValueStatus.APPROVED, value=Decimal(1))

    response = api_client.post(
        reverse("api:indicatorvalue-decide"), {"action": "accept", "values": [value.pk]}
    )

    assert response.status_code == 403
    assert _statuses([value]) == [ValueStatus.APPROVED]
