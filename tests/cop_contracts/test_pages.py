"""The COP pages: reporting grid, approval page, review queue, national dashboard.

Personas (tests/conftest.py): coordinator_a and director_a of pole A (GSO), coordinator_b of pole B
(CLARA), inca_staff, researcher. Arrange steps go through the services, as the pages do.
"""

from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from canceropoles.models import Canceropole
from cop_contracts import services
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    Target,
    ValueStatus,
    ValueTransition,
)
from cop_contracts.progress import OFF_TRACK, ON_TRACK, progress_status
from tests.cop_contracts.factories import second_pair_of_eyes
from tests.factories import CanceropoleFactory

pytestmark = pytest.mark.django_db

EVENTS = "M2_EVENTS"  # count, summed, the higher the better
COFUNDING = "M1_COFUNDING_RATIO"  # ratio of sums
AMOUNT = "M3_EMERGENCE_AMOUNT"  # euros
HTMX = {"HTTP_HX_REQUEST": "true"}


def indicator(code: str) -> IndicatorDefinition:
    return IndicatorDefinition.objects.get(code=code)


@pytest.fixture
def contract_a(pole_a):
    return CopContract.objects.create(canceropole=pole_a)


@pytest.fixture
def contract_b(pole_b):
    return CopContract.objects.create(canceropole=pole_b)


def value_at(contract, status, *, code=EVENTS, year=2024, figure="12", by):
    """A value of ``contract`` moved through the real workflow up to ``status``, rollups included."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _value_at(contract, status, code=code, year=year, figure=figure, by=by)


def _value_at(contract, status, *, code, year, figure, by):
    value = services.indicator_value_save(
        contract=contract, indicator=indicator(code), year=year, by=by, value=figure
    )
    if status == ValueStatus.DRAFT:
        return value
    value = services.indicator_value_submit(value=value, by=by)
    if status == ValueStatus.SUBMITTED:
        return value
    value = services.indicator_value_approve(value=value, by=second_pair_of_eyes())
    if status == ValueStatus.APPROVED:
        return value
    if status == ValueStatus.SENT_BACK:
        return services.indicator_value_send_back(value=value, by=by, comment="Vérifier le décompte.")
    return services.indicator_value_accept(value=value, by=second_pair_of_eyes())


def grid_url(contract):
    return reverse("cop_contracts:grid", args=[contract.canceropole.code, contract.first_year])


def cell_url(contract, code=EVENTS, year=2024):
    return reverse("cop_contracts:cell", args=[contract.canceropole.code, contract.first_year, code, year])


def approval_decide_url(value):
    contract = value.contract
    return reverse(
        "cop_contracts:approval_decide", args=[contract.canceropole.code, contract.first_year, value.pk]
    )


def review_decide_url(value):
    return reverse("cop_contracts:review_decide", args=[value.pk])


# --- progress rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "target", "expected"),
    [
        ("increase", "10", "10", ON_TRACK),
        ("increase", "9.99", "10", OFF_TRACK),
        ("decrease", "10", "10", ON_TRACK),
        ("decrease", "10.01", "10", OFF_TRACK),
        ("maintain", "105", "100", ON_TRACK),
        ("maintain", "95", "100", ON_TRACK),
        ("maintain", "105.01", "100", OFF_TRACK),
        ("maintain", "94.99", "100", OFF_TRACK),
        ("maintain", "0", "0", ON_TRACK),
        ("increase", None, "10", None),
        ("increase", "10", None, None),
    ],
)
def test_progress_status_follows_the_indicator_direction(direction, value, target, expected):
    number = Decimal(value) if value is not None else None
    goal = Decimal(target) if target is not None else None

    assert progress_status(direction, number, goal) == expected


# --- reporting grid: access -----------------------------------------------------------------------


def test_grid_of_pole_a_is_absent_for_coordinator_b(client, coordinator_b, contract_a):
    client.force_login(coordinator_b)

    response = client.get(grid_url(contract_a))

    assert response.status_code == 404


def test_grid_is_absent_for_a_researcher(client, researcher, contract_a):
    client.force_login(researcher)

    response = client.get(grid_url(contract_a))

    assert response.status_code == 404


def test_grid_sends_an_anonymous_visitor_to_the_login_page(client, contract_a):
    response = client.get(grid_url(contract_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_grid_shows_targets_values_statuses_and_the_send_back_comment(client, coordinator_a, contract_a):
    services.target_set(contract=contract_a, indicator=indicator(EVENTS), year=2024, value="15")
    value_at(contract_a, ValueStatus.SENT_BACK, by=coordinator_a)
    value_at(contract_a, ValueStatus.ACCEPTED, year=2023, figure="8", by=coordinator_a)
    client.force_login(coordinator_a)

    response = client.get(grid_url(contract_a))

    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="cell-{indicator(EVENTS).pk}-2024"' in body
    assert "Vérifier le décompte." in body
    assert "status-sent_back" in body
    assert "status-accepted" in body
    cells = {
        (c.indicator.code, c.year): c for g in response.context["groups"] for r in g.rows for c in r.cells
    }
    assert cells[(EVENTS, 2024)].target.value == Decimal("15")
    assert cells[(EVENTS, 2024)].editable is True
    assert cells[(EVENTS, 2023)].is_locked is True
    assert cells[(EVENTS, 2023)].editable is False
    assert len(cells) == IndicatorDefinition.objects.filter(is_active=True).count() * 5


def test_grid_is_read_only_for_inca_staff(client, inca_staff, coordinator_a, contract_a):
    value_at(contract_a, ValueStatus.DRAFT, by=coordinator_a)
    client.force_login(inca_staff)

    response = client.get(grid_url(contract_a))

    assert response.status_code == 200
    assert response.context["may_report"] is False
    assert b"<details" not in response.content
    assert b"submit-heading" not in response.content


# --- reporting grid: editing in place ------------------------------------------------------------


def test_cell_post_by_htmx_saves_the_value_and_returns_the_cell(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.post(
        cell_url(contract_a, code=AMOUNT), {"value": "12,5", "comment": "Bilan annuel"}, **HTMX
    )

    assert response.status_code == 200
    saved = IndicatorValue.objects.get(contract=contract_a, indicator__code=AMOUNT, year=2024)
    assert saved.value == Decimal("12.5")
    assert saved.comment == "Bilan annuel"
    assert saved.status == ValueStatus.DRAFT
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="cop-cell">')
    assert 'id="grid-live"' in body
    assert 'hx-swap-oob="true"' in body
    assert "<html" not in body


def test_cell_post_of_a_ratio_computes_the_value_from_numerator_and_denominator(
    client, coordinator_a, contract_a
):
    client.force_login(coordinator_a)

    response = client.post(
        cell_url(contract_a, code=COFUNDING), {"numerator": "300", "denominator": "100"}, **HTMX
    )

    assert response.status_code == 200
    saved = IndicatorValue.objects.get(contract=contract_a, indicator__code=COFUNDING, year=2024)
    assert (saved.numerator, saved.denominator, saved.value) == (Decimal(300), Decimal(100), Decimal(3))


def test_cell_post_with_a_bad_number_returns_the_form_with_the_field_error(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.post(cell_url(contract_a), {"value": "douze"}, **HTMX)

    assert response.status_code == 400
    assert list(response.context["cell"].errors) == ["value"]
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert 'value="douze"' in body
    assert not IndicatorValue.objects.exists()


def test_cell_post_without_htmx_re_renders_the_grid_with_the_error(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.post(cell_url(contract_a, code=COFUNDING), {"numerator": "3"})

    assert response.status_code == 400
    cells = {
        (c.indicator.code, c.year): c for g in response.context["groups"] for r in g.rows for c in r.cells
    }
    assert list(cells[(COFUNDING, 2024)].errors) == ["denominator"]
    assert cells[(COFUNDING, 2024)].initial["numerator"] == "3"
    assert b"<html" in response.content
    assert not IndicatorValue.objects.exists()


def test_cell_post_without_htmx_redirects_to_the_cell_on_success(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.post(cell_url(contract_a), {"value": "4"})

    assert response.status_code == 302
    assert response["Location"] == f"{grid_url(contract_a)}#cell-{indicator(EVENTS).pk}-2024"


def test_cell_post_on_a_locked_value_is_refused_with_the_reason_and_changes_nothing(
    client, coordinator_a, contract_a
):
    value = value_at(contract_a, ValueStatus.ACCEPTED, by=coordinator_a)
    transitions = value.transitions.count()
    client.force_login(coordinator_a)

    response = client.post(cell_url(contract_a), {"value": "99"}, **HTMX)

    assert response.status_code == 400
    assert "INCa" in response.content.decode()
    value.refresh_from_db()
    assert (value.value, value.status) == (Decimal(12), ValueStatus.ACCEPTED)
    assert value.transitions.count() == transitions


def test_cell_post_by_inca_staff_is_forbidden_and_changes_nothing(client, inca_staff, contract_a):
    client.force_login(inca_staff)

    response = client.post(cell_url(contract_a), {"value": "4"}, **HTMX)

    assert response.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_cell_post_by_coordinator_b_on_pole_a_is_absent_and_changes_nothing(
    client, coordinator_b, contract_a
):
    client.force_login(coordinator_b)

    response = client.post(cell_url(contract_a), {"value": "4"}, **HTMX)

    assert response.status_code == 404
    assert not IndicatorValue.objects.exists()


def test_cell_post_outside_the_contract_years_is_absent(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.post(cell_url(contract_a, year=2031), {"value": "4"}, **HTMX)

    assert response.status_code == 404


def test_submit_year_sends_the_filled_in_drafts_to_the_director(client, coordinator_a, contract_a):
    value_at(contract_a, ValueStatus.DRAFT, by=coordinator_a)
    value_at(contract_a, ValueStatus.DRAFT, code="M2_PARTICIPANTS", figure="150", by=coordinator_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("cop_contracts:submit_year", args=[contract_a.canceropole.code, contract_a.first_year, 2024])
    )

    assert response.status_code == 302
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.SUBMITTED}


def test_submit_year_with_nothing_to_submit_shows_the_reason(client, coordinator_a, contract_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("cop_contracts:submit_year", args=[contract_a.canceropole.code, contract_a.first_year, 2025])
    )

    assert response.status_code == 400
    item = next(item for item in response.context["submit_years"] if item["year"] == 2025)
    assert len(item["errors"]) == 1
    assert b'id="submit-2025-error"' in response.content


# --- director's approval page ---------------------------------------------------------------------


def test_director_approves_a_submitted_value(client, director_a, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    client.force_login(director_a)

    response = client.post(approval_decide_url(value), {"action": "approve"}, **HTMX)

    assert response.status_code == 200
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED
    assert value.transitions.last().by == director_a
    assert "hx-swap-oob" in response.content.decode()


def test_approval_page_lists_the_submitted_values(client, director_a, coordinator_a, contract_a):
    submitted = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    value_at(contract_a, ValueStatus.DRAFT, year=2025, by=coordinator_a)
    client.force_login(director_a)

    response = client.get(
        reverse("cop_contracts:approval", args=[contract_a.canceropole.code, contract_a.first_year])
    )

    assert response.status_code == 200
    assert [row.value.pk for row in response.context["rows"]] == [submitted.pk]
    assert b'name="action" value="approve"' in response.content


def test_director_send_back_without_comment_is_refused_and_changes_nothing(
    client, director_a, coordinator_a, contract_a
):
    value = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    client.force_login(director_a)

    response = client.post(approval_decide_url(value), {"action": "send_back", "comment": " "}, **HTMX)

    assert response.status_code == 400
    assert list(response.context["row"].errors) == ["comment"]
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED


def test_director_sends_back_with_a_comment(client, director_a, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    client.force_login(director_a)

    response = client.post(approval_decide_url(value), {"action": "send_back", "comment": "Chiffre 2023 ?"})

    assert response.status_code == 302
    value.refresh_from_db()
    assert value.status == ValueStatus.SENT_BACK
    assert value.transitions.last().comment == "Chiffre 2023 ?"


def test_coordinator_approving_is_forbidden_and_changes_nothing(client, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    transitions = value.transitions.count()
    client.force_login(coordinator_a)

    response = client.post(approval_decide_url(value), {"action": "approve"}, **HTMX)

    assert response.status_code == 403
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED
    assert value.transitions.count() == transitions


def test_director_of_pole_b_cannot_reach_pole_a_values(client, director_b, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    client.force_login(director_b)

    response = client.post(approval_decide_url(value), {"action": "approve"}, **HTMX)

    assert response.status_code == 404
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED


def test_director_cannot_accept_from_the_approval_page(client, director_a, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    client.force_login(director_a)

    response = client.post(approval_decide_url(value), {"action": "accept"}, **HTMX)

    assert response.status_code == 400
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


# --- INCa review queue ----------------------------------------------------------------------------


def test_review_queue_is_forbidden_to_pole_staff(client, director_a):
    client.force_login(director_a)

    response = client.get(reverse("cop_contracts:review"))

    assert response.status_code == 403


def test_review_queue_lists_approved_values_across_poles(
    client, inca_staff, coordinator_a, coordinator_b, contract_a, contract_b
):
    approved_a = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    approved_b = value_at(contract_b, ValueStatus.APPROVED, by=coordinator_b)
    value_at(contract_a, ValueStatus.SUBMITTED, year=2025, by=coordinator_a)
    client.force_login(inca_staff)

    response = client.get(reverse("cop_contracts:review"))

    assert response.status_code == 200
    assert {row.value.pk for row in response.context["rows"]} == {approved_a.pk, approved_b.pk}


def test_review_queue_filters_by_pole_and_year(
    client, inca_staff, coordinator_a, coordinator_b, contract_a, contract_b
):
    approved_a = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    value_at(contract_a, ValueStatus.APPROVED, year=2025, by=coordinator_a)
    value_at(contract_b, ValueStatus.APPROVED, by=coordinator_b)
    client.force_login(inca_staff)

    response = client.get(reverse("cop_contracts:review"), {"pole": "GSO", "year": "2024", "mission": "2"})

    assert response.status_code == 200
    assert [row.value.pk for row in response.context["rows"]] == [approved_a.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"pole": "NOPE"},
        {"year": "1999"},
        {"year": "abc"},
        {"mission": "9"},
        {"status": "lost"},
        {"page": "x"},
    ],
)
def test_review_queue_with_a_bad_filter_answers_400_with_the_error(client, inca_staff, query):
    client.force_login(inca_staff)

    response = client.get(reverse("cop_contracts:review"), query)

    if "page" in query:  # a bad page number falls back on the first page
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert set(response.context["filters"].errors) == set(query)
    assert b'class="errorlist"' in response.content


def test_inca_accepts_a_value_by_htmx_and_the_rollup_follows(
    client, inca_staff, coordinator_a, contract_a, django_capture_on_commit_callbacks
):
    value = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    client.force_login(inca_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_decide_url(value), {"action": "accept"}, **HTMX)

    assert response.status_code == 200
    value.refresh_from_db()
    assert value.status == ValueStatus.ACCEPTED
    national = IndicatorRollup.objects.get(
        indicator__code=EVENTS, year=2024, level=RollupLevel.NATIONAL, basis=RollupBasis.ACCEPTED
    )
    assert national.value == Decimal(12)


def test_inca_sends_back_an_approved_value_with_a_comment(client, inca_staff, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    client.force_login(inca_staff)

    response = client.post(review_decide_url(value), {"action": "send_back", "comment": "Source ?"}, **HTMX)

    assert response.status_code == 200
    value.refresh_from_db()
    assert value.status == ValueStatus.SENT_BACK
    assert value.transitions.last().comment == "Source ?"


def test_inca_unlocks_an_accepted_value_only_with_a_reason(client, inca_staff, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.ACCEPTED, by=coordinator_a)
    client.force_login(inca_staff)

    refused = client.post(review_decide_url(value), {"action": "unlock", "comment": ""}, **HTMX)
    value.refresh_from_db()
    status_after_refusal = value.status
    unlocked = client.post(
        review_decide_url(value), {"action": "unlock", "comment": "Erreur de saisie"}, **HTMX
    )

    assert refused.status_code == 400
    assert list(refused.context["row"].errors) == ["comment"]
    assert status_after_refusal == ValueStatus.ACCEPTED
    assert unlocked.status_code == 200
    value.refresh_from_db()
    assert value.status == ValueStatus.SENT_BACK


def test_accepting_a_value_that_is_not_approved_shows_the_reason(
    client, inca_staff, coordinator_a, contract_a
):
    value = value_at(contract_a, ValueStatus.SUBMITTED, by=coordinator_a)
    client.force_login(inca_staff)

    response = client.post(review_decide_url(value), {"action": "accept"}, **HTMX)

    assert response.status_code == 400
    assert list(response.context["row"].errors) == ["status"]
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED


def test_director_posting_to_the_review_queue_is_forbidden(client, director_a, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    client.force_login(director_a)

    response = client.post(review_decide_url(value), {"action": "accept"}, **HTMX)

    assert response.status_code == 403
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


def test_bulk_accept_accepts_every_ticked_value(
    client,
    inca_staff,
    coordinator_a,
    coordinator_b,
    contract_a,
    contract_b,
    django_capture_on_commit_callbacks,
):
    values = [
        value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a),
        value_at(contract_b, ValueStatus.APPROVED, by=coordinator_b),
    ]
    client.force_login(inca_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cop_contracts:review_bulk"), {"action": "accept", "values": [v.pk for v in values]}
        )

    assert response.status_code == 302
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.ACCEPTED}
    national = IndicatorRollup.objects.get(
        indicator__code=EVENTS, year=2024, level=RollupLevel.NATIONAL, basis=RollupBasis.ACCEPTED
    )
    assert (national.value, national.poles_reporting) == (Decimal(24), 2)


def test_bulk_accept_is_all_or_nothing_and_names_the_value_that_failed(
    client, inca_staff, coordinator_a, contract_a, django_capture_on_commit_callbacks
):
    approved = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    submitted = value_at(contract_a, ValueStatus.SUBMITTED, year=2025, by=coordinator_a)
    transitions = ValueTransition.objects.count()
    client.force_login(inca_staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("cop_contracts:review_bulk"), {"action": "accept", "values": [approved.pk, submitted.pk]}
        )

    assert response.status_code == 400
    assert [pk for pk, _value, _reasons in response.context["bulk_failures"]] == [submitted.pk]
    approved.refresh_from_db()
    submitted.refresh_from_db()
    assert (approved.status, submitted.status) == (ValueStatus.APPROVED, ValueStatus.SUBMITTED)
    assert ValueTransition.objects.count() == transitions
    assert callbacks == []  # no rollup nor e-mail scheduled by the rolled-back steps
    assert not IndicatorRollup.objects.filter(basis=RollupBasis.ACCEPTED).exists()
    assert f"{EVENTS} 2025".encode() in response.content


def test_bulk_send_back_needs_the_comment_and_changes_nothing_without_it(
    client, inca_staff, coordinator_a, contract_a
):
    value = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    client.force_login(inca_staff)

    response = client.post(
        reverse("cop_contracts:review_bulk"), {"action": "send_back", "values": [value.pk]}
    )

    assert response.status_code == 400
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


def test_bulk_without_any_ticked_value_says_so(client, inca_staff):
    client.force_login(inca_staff)

    response = client.post(reverse("cop_contracts:review_bulk"), {"action": "accept"})

    assert response.status_code == 400
    assert list(response.context["bulk_form"].errors) == ["values"]


def test_bulk_by_a_director_is_forbidden_and_changes_nothing(client, director_a, coordinator_a, contract_a):
    value = value_at(contract_a, ValueStatus.APPROVED, by=coordinator_a)
    client.force_login(director_a)

    response = client.post(reverse("cop_contracts:review_bulk"), {"action": "accept", "values": [value.pk]})

    assert response.status_code == 403
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


# --- national dashboard ---------------------------------------------------------------------------


def test_dashboard_shows_accepted_figures_to_the_public(client, coordinator_a, contract_a):
    services.target_set(contract=contract_a, indicator=indicator(EVENTS), year=2024, value="10")
    value_at(contract_a, ValueStatus.ACCEPTED, by=coordinator_a)
    value_at(contract_a, ValueStatus.APPROVED, code="M2_PARTICIPANTS", figure="300", by=coordinator_a)

    response = client.get(reverse("cop_contracts:dashboard"), {"year": "2024"})

    assert response.status_code == 200
    rows = {row.indicator.code: row for group in response.context["groups"] for row in group.rows}
    gso = [pole.code for pole in response.context["poles"]].index("GSO")
    events = rows[EVENTS]
    assert (events.poles[gso].value, events.poles[gso].target, events.poles[gso].progress) == (
        Decimal(12),
        Decimal(10),
        ON_TRACK,
    )
    assert events.national.value == Decimal(12)
    assert [point.value for point in events.trend] == [None, Decimal(12), None, None, None]
    assert rows["M2_PARTICIPANTS"].national.value is None  # approved only: not published
    assert response.context["may_see_provisional"] is False
    assert b"<svg" in response.content


def test_dashboard_provisional_figures_are_for_staff_and_labelled(
    client, director_a, coordinator_a, contract_a
):
    value_at(contract_a, ValueStatus.APPROVED, code="M2_PARTICIPANTS", figure="300", by=coordinator_a)
    client.force_login(director_a)

    response = client.get(reverse("cop_contracts:dashboard"), {"year": "2024", "basis": "provisional"})

    assert response.status_code == 200
    rows = {row.indicator.code: row for group in response.context["groups"] for row in group.rows}
    poles = [pole.code for pole in response.context["poles"]]
    assert rows["M2_PARTICIPANTS"].poles[poles.index(contract_a.canceropole.code)].value == Decimal(300)
    # National provisional figures are INCa's only (fault 5.8): with one pole reporting, the national
    # figure would be that pole's unpublished value.
    assert rows["M2_PARTICIPANTS"].national.value is None
    assert response.context["is_provisional"] is True
    assert b"provisional-notice" in response.content


def test_dashboard_provisional_figures_are_refused_to_the_public(client, coordinator_a, contract_a):
    value_at(contract_a, ValueStatus.APPROVED, code="M2_PARTICIPANTS", figure="300", by=coordinator_a)

    response = client.get(reverse("cop_contracts:dashboard"), {"year": "2024", "basis": "provisional"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["basis"]
    rows = {row.indicator.code: row for group in response.context["groups"] for row in group.rows}
    assert rows["M2_PARTICIPANTS"].national.value is None


@pytest.mark.parametrize("query", [{"year": "2031"}, {"year": "deux"}, {"basis": "rumours"}])
def test_dashboard_with_a_bad_choice_answers_400(client, query):
    response = client.get(reverse("cop_contracts:dashboard"), query)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == list(query)


# --- query counts ---------------------------------------------------------------------------------


def _synthetic_network(*, poles: int, years: int, user):
    """``poles`` synthetic poles with a contract of ``years`` years, every catalogue value filled in."""
    indicators = list(IndicatorDefinition.objects.all())
    contracts = []
    for _index in range(poles):
        pole = CanceropoleFactory()
        contract = CopContract.objects.create(canceropole=pole, first_year=2023, last_year=2023 + years - 1)
        contracts.append(contract)
        values, targets = [], []
        for position, definition in enumerate(indicators):
            for year in contract.years:
                status = [ValueStatus.APPROVED, ValueStatus.SENT_BACK, ValueStatus.ACCEPTED][position % 3]
                values.append(
                    IndicatorValue(contract=contract, indicator=definition, year=year, value=5, status=status)
                )
                targets.append(Target(contract=contract, indicator=definition, year=year, value=4))
        IndicatorValue.objects.bulk_create(values)
        Target.objects.bulk_create(targets)
        ValueTransition.objects.bulk_create(
            ValueTransition(value=value, to_status=value.status, by=user, comment="motif")
            for value in IndicatorValue.objects.filter(contract=contract)
        )
    from cop_contracts.rollups import rollup_all

    rollup_all()
    return contracts


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (3, 5)])
def test_grid_query_count_is_constant(client, inca_staff, poles, years, django_assert_num_queries):
    contracts = _synthetic_network(poles=poles, years=years, user=inca_staff)
    client.force_login(inca_staff)

    # session, user, the contract with its pole, the user's memberships (read once by the rules), the
    # catalogue with missions, the contract's values, its targets, the comments of its sent-back values
    with django_assert_num_queries(8):
        response = client.get(grid_url(contracts[-1]))

    assert response.status_code == 200
    assert sum(len(row.cells) for group in response.context["groups"] for row in group.rows) == (
        IndicatorDefinition.objects.filter(is_active=True).count() * years
    )


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (3, 5)])
def test_review_queue_query_count_is_constant(client, inca_staff, poles, years, django_assert_num_queries):
    _synthetic_network(poles=poles, years=years, user=inca_staff)
    client.force_login(inca_staff)

    # session, user, the user's memberships (read once by the menu's rules), count of the queue, the page
    # of values with contract, pole, indicator and mission, the targets of the page, the poles and the
    # missions of the filter form
    with django_assert_num_queries(8):
        response = client.get(reverse("cop_contracts:review"))

    assert response.status_code == 200
    assert (
        response.context["page_obj"].paginator.count
        == IndicatorValue.objects.filter(status=ValueStatus.APPROVED).count()
    )


@pytest.mark.parametrize(("poles", "years"), [(1, 1), (3, 5)])
def test_dashboard_query_count_is_constant(client, inca_staff, poles, years, django_assert_num_queries):
    _synthetic_network(poles=poles, years=years, user=inca_staff)
    client.force_login(inca_staff)

    # session, user, the user's memberships (read once by the rules), the poles, the catalogue with
    # missions, the national rollups of every year, the pole rollups of the year, the poles' targets
    with django_assert_num_queries(8):
        response = client.get(reverse("cop_contracts:dashboard"), {"basis": "provisional"})

    assert response.status_code == 200
    assert len(response.context["poles"]) == Canceropole.objects.count()
