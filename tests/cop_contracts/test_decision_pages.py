"""The decision pages (issue §1.1–1.3): the director's approval page with filters and bulk decisions,
INCa's queue in the poles' French order with "every value matching the filters", and beside each value
the previous year's value, the target, flags, numerator and denominator, the definition and the history
with every comment. Query counts stay constant as rows grow."""

from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from accounts.models import Membership
from canceropoles.models import Canceropole
from cop_contracts import services
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorValue,
    ValueStatus,
    ValueTransition,
)
from cop_contracts.views import review
from tests.cop_contracts.factories import CopContractFactory, IndicatorValueFactory, indicator
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EVENTS = "M2_EVENTS"
SHARE = "M3_EMERGENCE_SUCCESS_RATE"


@pytest.fixture(autouse=True)
def _pages_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _submitted(contract, coordinator, code=EVENTS, year=2024, comment="", **figures):
    figures = figures or {"value": "12"}
    with TestCase.captureOnCommitCallbacks(execute=True):
        value = services.indicator_value_save(
            contract=contract,
            indicator=indicator(code),
            year=year,
            by=coordinator,
            comment=comment,
            **figures,
        )
        return services.indicator_value_submit(value=value, by=coordinator)


def _approval_url(contract):
    return reverse("cop_contracts:approval", args=[contract.canceropole.code, contract.first_year])


def _bulk_url(contract):
    return reverse("cop_contracts:approval_bulk", args=[contract.canceropole.code, contract.first_year])


def _statuses(values) -> list[str]:
    return [IndicatorValue.objects.get(pk=v.pk).status for v in values]


# The director's page ------------------------------------------------------------------------------


def test_approval_page_filters_by_year_mission_and_status(client, director_a, coordinator_a, contract_a):
    _submitted(contract_a, coordinator_a, EVENTS, 2024)
    _submitted(contract_a, coordinator_a, EVENTS, 2025)
    _submitted(contract_a, coordinator_a, "M4_PATENTS", 2024)
    IndicatorValueFactory(
        contract=contract_a, indicator=indicator("M4_STARTUPS"), status=ValueStatus.APPROVED
    )
    client.force_login(director_a)

    def shown(**query):
        response = client.get(_approval_url(contract_a), query)
        assert response.status_code == 200
        return [(row.value.indicator.code, row.value.year) for row in response.context["rows"]]

    assert shown() == [(EVENTS, 2024), (EVENTS, 2025), ("M4_PATENTS", 2024)]
    assert shown(year=2024) == [(EVENTS, 2024), ("M4_PATENTS", 2024)]
    assert shown(mission=4) == [("M4_PATENTS", 2024)]
    assert shown(status="approved") == [("M4_STARTUPS", 2024)]


@pytest.mark.parametrize("query", [{"year": "2031"}, {"mission": "9"}, {"status": "nope"}])
def test_approval_page_with_a_bad_filter_answers_400_naming_it(client, director_a, contract_a, query):
    client.force_login(director_a)

    response = client.get(_approval_url(contract_a), query)

    assert response.status_code == 400
    assert list(response.context["filters"].errors) == list(query)


def test_director_approves_every_ticked_value_at_once(client, director_a, coordinator_a, contract_a):
    values = [_submitted(contract_a, coordinator_a, code) for code in (EVENTS, "M4_PATENTS", "M4_STARTUPS")]
    client.force_login(director_a)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            _bulk_url(contract_a) + "?year=2024",
            {"action": "approve", "comment": "Conforme au bilan", "values": [v.pk for v in values]},
        )

    assert response.status_code == 302
    assert response["Location"] == _approval_url(contract_a) + "?year=2024"
    assert _statuses(values) == [ValueStatus.APPROVED] * 3
    assert set(ValueTransition.objects.filter(to_status="approved").values_list("comment", flat=True)) == {
        "Conforme au bilan"
    }


def test_director_bulk_send_back_needs_one_comment_and_changes_nothing_without_it(
    client, director_a, coordinator_a, contract_a
):
    values = [_submitted(contract_a, coordinator_a, code) for code in (EVENTS, "M4_PATENTS")]
    client.force_login(director_a)

    response = client.post(_bulk_url(contract_a), {"action": "send_back", "values": [v.pk for v in values]})

    assert response.status_code == 400
    assert [reasons for _pk, _value, reasons in response.context["bulk_failures"]] == [
        ["Say why: a comment is required."]
    ]
    assert _statuses(values) == [ValueStatus.SUBMITTED] * 2


def test_director_bulk_is_all_or_none_and_lists_the_values_that_failed(
    client, director_a, coordinator_a, contract_a
):
    ok = _submitted(contract_a, coordinator_a, EVENTS)
    own = _submitted(contract_a, director_a, "M4_PATENTS")
    client.force_login(director_a)

    response = client.post(_bulk_url(contract_a), {"action": "approve", "values": [ok.pk, own.pk]})

    assert response.status_code == 400
    assert [(pk, reasons) for pk, _value, reasons in response.context["bulk_failures"]] == [
        (own.pk, ["You submitted this yourself: someone else must decide on it (four eyes)."])
    ]
    assert _statuses([ok, own]) == [ValueStatus.SUBMITTED] * 2


def test_coordinator_bulk_approval_is_forbidden_and_changes_nothing(client, coordinator_a, contract_a):
    value = _submitted(contract_a, coordinator_a)
    client.force_login(coordinator_a)

    response = client.post(_bulk_url(contract_a), {"action": "approve", "values": [value.pk]})

    assert response.status_code == 403
    assert _statuses([value]) == [ValueStatus.SUBMITTED]


def test_director_bulk_on_another_pole_is_absent_and_changes_nothing(
    client, director_b, coordinator_a, contract_a
):
    value = _submitted(contract_a, coordinator_a)
    client.force_login(director_b)

    response = client.post(_bulk_url(contract_a), {"action": "approve", "values": [value.pk]})

    assert response.status_code == 404
    assert _statuses([value]) == [ValueStatus.SUBMITTED]


def test_director_bulk_with_a_value_of_another_contract_changes_nothing(
    client, director_a, coordinator_a, coordinator_b, contract_a, contract_b
):
    mine = _submitted(contract_a, coordinator_a)
    other = _submitted(contract_b, coordinator_b)
    client.force_login(director_a)

    response = client.post(_bulk_url(contract_a), {"action": "approve", "values": [mine.pk, other.pk]})

    assert response.status_code == 400
    assert [(pk, reasons) for pk, _value, reasons in response.context["bulk_failures"]] == [
        (other.pk, ["This value does not exist."])
    ]
    assert _statuses([mine, other]) == [ValueStatus.SUBMITTED] * 2


def test_approval_page_shows_what_the_director_decides_with(client, director_a, coordinator_a, contract_a):
    IndicatorValueFactory(
        contract=contract_a, indicator=indicator(EVENTS), year=2023, value=Decimal(5), status="accepted"
    )
    services.target_set(contract=contract_a, indicator=indicator(EVENTS), year=2024, value="40")
    _submitted(contract_a, coordinator_a, EVENTS, comment="Deux journées en plus")
    _submitted(contract_a, coordinator_a, SHARE, numerator="3", denominator="8")
    client.force_login(director_a)

    response = client.get(_approval_url(contract_a))

    rows = {row.value.indicator.code: row for row in response.context["rows"]}
    events = rows[EVENTS]
    assert (events.previous.value, events.target.value) == (Decimal(5), Decimal(40))
    assert [(flag.code, flag.label) for flag in events.flags] == [
        ("change", "+140\u00a0% from 2023"),
        ("target", "far from target (-70\u00a0%)"),
    ]
    assert [(step.from_status, step.to_status) for step in events.history] == [
        ("", "draft"),
        ("draft", "submitted"),
    ]
    body = response.content.decode()
    assert "Deux journées en plus" in body
    assert indicator(EVENTS).description_en in body
    assert "3 / 8" in body  # numerator / denominator of the share
    assert 'data-select-all="bulk-form"' in body
    assert "cop_contracts/select_all.js" in body


@pytest.mark.parametrize("rows", [1, 12])
def test_approval_page_query_count_is_constant(
    client, director_a, coordinator_a, contract_a, rows, django_assert_num_queries
):
    for definition in IndicatorDefinition.objects.filter(unit="count").order_by("code")[:rows]:
        IndicatorValueFactory(contract=contract_a, indicator=definition, year=2023, status="accepted")
        IndicatorValueFactory(contract=contract_a, indicator=definition, year=2024, status="submitted")
    client.force_login(director_a)
    url = _approval_url(contract_a)

    # session, user, the contract with its pole, the user's memberships (rules), the values with their
    # indicator and mission, their targets, the previous year's values, their histories with authors,
    # the missions of the filter form
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["rows"]) == rows


# INCa's queue -------------------------------------------------------------------------------------


def _approved_in(code: str, definition: IndicatorDefinition, year=2024):
    contract = CopContractFactory(canceropole=Canceropole.objects.get(code=code))
    return IndicatorValueFactory(
        contract=contract, indicator=definition, year=year, status=ValueStatus.APPROVED
    )


def test_review_queue_lists_the_poles_in_french_order(client, inca_staff):
    for code in ("PACA", "IDF", "EST", "CNO", "CLARA", "GSO", "CGO"):
        _approved_in(code, indicator(EVENTS))
    client.force_login(inca_staff)

    response = client.get(reverse("cop_contracts:review"))

    codes = [row.value.contract.canceropole.code for row in response.context["rows"]]
    assert codes == ["EST", "CGO", "GSO", "IDF", "CLARA", "CNO", "PACA"]


def test_inca_accepts_every_value_matching_the_filters_across_pages(client, inca_staff):
    definitions = list(IndicatorDefinition.objects.order_by("code"))
    matching = [
        _approved_in(code, d, year)
        for code in ("GSO", "CLARA", "EST")
        for d in definitions
        for year in (2024,)
    ]
    other_year = _approved_in("GSO", definitions[0], 2025)
    assert len(matching) > review.REVIEW_PAGE_SIZE
    client.force_login(inca_staff)

    response = client.post(
        reverse("cop_contracts:review_bulk") + "?year=2024", {"action": "accept", "scope": "matching"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cop_contracts:review") + "?year=2024"
    assert set(_statuses(matching)) == {ValueStatus.ACCEPTED}
    assert _statuses([other_year]) == [ValueStatus.APPROVED]


def test_inca_bulk_across_the_filter_is_refused_above_the_limit(client, inca_staff, monkeypatch):
    values = [_approved_in(code, indicator(EVENTS)) for code in ("GSO", "CLARA", "EST")]
    monkeypatch.setattr(review, "BULK_LIMIT", 2)
    client.force_login(inca_staff)

    response = client.post(reverse("cop_contracts:review_bulk"), {"action": "accept", "scope": "matching"})

    assert response.status_code == 400
    assert list(response.context["bulk_form"].errors) == ["scope"]
    assert set(_statuses(values)) == {ValueStatus.APPROVED}


def test_inca_sees_the_director_s_comment_the_history_and_the_previous_year(
    client, inca_staff, coordinator_a, director_a, contract_a
):
    IndicatorValueFactory(
        contract=contract_a, indicator=indicator(EVENTS), year=2023, value=Decimal(10), status="accepted"
    )
    value = _submitted(contract_a, coordinator_a, comment="Corrigé : 12 et non 21")
    with TestCase.captureOnCommitCallbacks(execute=True):
        value = services.indicator_value_send_back(value=value, by=director_a, comment="Vérifier le décompte")
        value = services.indicator_value_save(
            contract=contract_a,
            indicator=indicator(EVENTS),
            year=2024,
            by=coordinator_a,
            value="12",
            comment="Recompté : 12",
        )
        value = services.indicator_value_submit(value=value, by=coordinator_a)
        services.indicator_value_approve(value=value, by=director_a, comment="Vu avec la coordination")
    client.force_login(inca_staff)

    response = client.get(reverse("cop_contracts:review"))

    row = response.context["rows"][0]
    assert row.previous.value == Decimal(10)
    assert [(s.to_status, s.comment) for s in row.history] == [
        ("draft", ""),
        ("submitted", ""),
        ("sent_back", "Vérifier le décompte"),
        ("submitted", ""),
        ("approved", "Vu avec la coordination"),
    ]
    body = response.content.decode()
    for text in (
        "Vu avec la coordination",
        "Vérifier le décompte",
        "Recompté : 12",
        indicator(EVENTS).description_en,
    ):
        assert text in body


def test_decision_pages_have_no_inline_script_or_style(
    client, inca_staff, director_a, coordinator_a, contract_a
):
    _submitted(contract_a, coordinator_a)
    pages = []
    client.force_login(director_a)
    pages.append(client.get(_approval_url(contract_a)).content.decode())
    client.force_login(inca_staff)
    pages.append(client.get(reverse("cop_contracts:review")).content.decode())

    for body in pages:
        assert "<script>" not in body
        assert " style=" not in body
        assert " onclick=" not in body


def test_a_second_director_may_approve_what_the_first_submitted(
    client, coordinator_a, director_a, contract_a
):
    co_director = UserFactory(email="co.director@test.canceropoles.fr")
    MembershipFactory(user=co_director, canceropole=contract_a.canceropole, role=Membership.Role.DIRECTOR)
    value = _submitted(contract_a, director_a)
    client.force_login(co_director)

    response = client.post(_bulk_url(contract_a), {"action": "approve", "values": [value.pk]})

    assert response.status_code == 302
    assert _statuses([value]) == [ValueStatus.APPROVED]
    assert CopContract.objects.count() == 1
