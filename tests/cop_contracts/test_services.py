"""The services of indicator values: entering figures and the approval workflow (DESIGN §4).

draft → submitted (pole) → approved (director) → accepted (INCa, locked), sent back with a comment at
either review step, unlocked by INCa with a reason. Permissions are the rules' job (test_permissions.py);
these tests call the services directly.
"""

from decimal import Decimal

import pytest
from django.core import mail

from common.errors import TransitionError
from cop_contracts import services
from cop_contracts.models import (
    IndicatorRollup,
    IndicatorValue,
    RollupBasis,
    RollupLevel,
    Source,
    ValueStatus,
    ValueTransition,
)
from tests.cop_contracts.factories import IndicatorValueFactory, indicator
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _errors(excinfo) -> dict[str, list[str]]:
    return {
        field: [str(message) for message in messages]
        for field, messages in excinfo.value.message_dict.items()
    }


def _draft(contract, indicator, by, **figures) -> IndicatorValue:
    figures.setdefault("value", "3")
    return services.indicator_value_save(contract=contract, indicator=indicator, year=2024, by=by, **figures)


def _submitted(contract, indicator, coordinator) -> IndicatorValue:
    return services.indicator_value_submit(value=_draft(contract, indicator, coordinator), by=coordinator)


def _approved(contract, indicator, coordinator, director) -> IndicatorValue:
    return services.indicator_value_approve(value=_submitted(contract, indicator, coordinator), by=director)


def _accepted(contract, indicator, coordinator, director, inca) -> IndicatorValue:
    value = _approved(contract, indicator, coordinator, director)
    return services.indicator_value_accept(value=value, by=inca)


def _steps(value: IndicatorValue) -> list[tuple[str, str, str, str]]:
    return [
        (step.by.email, step.from_status, step.to_status, step.comment)
        for step in value.transitions.select_related("by").order_by("id")
    ]


# Entering figures ---------------------------------------------------------------------------------


def test_indicator_value_save_creates_a_draft_and_records_it(contract_a, funded, coordinator_a):
    value = services.indicator_value_save(
        contract=contract_a,
        indicator=funded,
        year=2024,
        by=coordinator_a,
        value="4",
        comment="Quatre projets",
    )

    value.refresh_from_db()
    assert value.status == ValueStatus.DRAFT
    assert value.value == Decimal("4")
    assert value.numerator is None
    assert value.denominator is None
    assert value.comment == "Quatre projets"
    assert value.source == Source.MANUAL
    assert _steps(value) == [(coordinator_a.email, "", ValueStatus.DRAFT, "")]
    assert value.history.count() == 1


def test_indicator_value_save_of_an_existing_draft_updates_it_in_place(contract_a, funded, coordinator_a):
    first = _draft(contract_a, funded, coordinator_a, value="4")

    second = _draft(contract_a, funded, coordinator_a, value="6", comment="Corrigé")

    assert second.pk == first.pk
    assert IndicatorValue.objects.count() == 1
    second.refresh_from_db()
    assert second.value == Decimal("6")
    assert second.comment == "Corrigé"
    assert second.status == ValueStatus.DRAFT
    assert second.transitions.count() == 1  # an edit is not a transition
    assert second.history.count() == 2


def test_indicator_value_save_of_a_percent_ratio_stores_100_times_numerator_over_denominator(
    contract_a, success_rate, coordinator_a
):
    value = _draft(contract_a, success_rate, coordinator_a, value=None, numerator="3", denominator="8")

    value.refresh_from_db()
    assert value.numerator == Decimal("3")
    assert value.denominator == Decimal("8")
    assert value.value == Decimal("37.5")


def test_indicator_value_save_of_a_plain_ratio_stores_numerator_over_denominator(contract_a, coordinator_a):
    leverage = indicator("M3_LEVERAGE")  # follow-on funding / Émergence funding, unit "ratio"

    value = _draft(contract_a, leverage, coordinator_a, value=None, numerator="900000", denominator="200000")

    value.refresh_from_db()
    assert value.value == Decimal("4.5")


def test_indicator_value_save_of_a_ratio_ignores_a_value_given_by_hand(
    contract_a, success_rate, coordinator_a
):
    value = _draft(contract_a, success_rate, coordinator_a, value="99", numerator="1", denominator="4")

    value.refresh_from_db()
    assert value.value == Decimal("25")


def test_indicator_value_save_of_a_count_drops_numerator_and_denominator(contract_a, funded, coordinator_a):
    value = _draft(contract_a, funded, coordinator_a, value="2", numerator="1", denominator="4")

    value.refresh_from_db()
    assert (value.value, value.numerator, value.denominator) == (Decimal("2"), None, None)


@pytest.mark.parametrize(
    ("numerator", "denominator", "fields"),
    [
        ("3", None, ["denominator"]),
        (None, "8", ["numerator"]),
        ("3", "0", ["denominator"]),
        ("", "0", ["numerator", "denominator"]),
    ],
)
def test_indicator_value_save_of_a_ratio_needs_numerator_and_positive_denominator(
    contract_a, success_rate, coordinator_a, numerator, denominator, fields
):
    with pytest.raises(TransitionError) as excinfo:
        _draft(
            contract_a, success_rate, coordinator_a, value=None, numerator=numerator, denominator=denominator
        )

    assert sorted(_errors(excinfo)) == sorted(fields)
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize("year", [2022, 2028])
def test_indicator_value_save_outside_the_contract_period_is_refused_naming_the_year(
    contract_a, funded, coordinator_a, year
):
    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_save(
            contract=contract_a, indicator=funded, year=year, by=coordinator_a, value="1"
        )

    assert _errors(excinfo) == {"year": [f"{year} is outside the contract's period 2023–2027."]}
    assert IndicatorValue.objects.count() == 0
    assert ValueTransition.objects.count() == 0


@pytest.mark.parametrize(
    ("indicator_code", "figures", "field"),
    [
        ("M3_EMERGENCE_FUNDED", {"value": "-1"}, "value"),
        ("M3_EMERGENCE_SUCCESS_RATE", {"numerator": "-1", "denominator": "4"}, "numerator"),
        ("M3_EMERGENCE_SUCCESS_RATE", {"numerator": "1", "denominator": "-4"}, "denominator"),
    ],
)
def test_indicator_value_save_of_a_negative_number_is_refused_naming_the_field(
    contract_a, coordinator_a, indicator_code, figures, field
):
    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_save(
            contract=contract_a, indicator=indicator(indicator_code), year=2024, by=coordinator_a, **figures
        )

    assert _errors(excinfo) == {field: ["Enter a number greater than or equal to 0."]}
    assert IndicatorValue.objects.count() == 0


@pytest.mark.parametrize("raw", ["abc", "NaN", "Infinity"])
def test_indicator_value_save_of_something_not_a_number_is_refused(contract_a, funded, coordinator_a, raw):
    with pytest.raises(TransitionError) as excinfo:
        _draft(contract_a, funded, coordinator_a, value=raw)

    assert _errors(excinfo) == {"value": ["Enter a number in digits, such as 12 or 12,5."]}
    assert IndicatorValue.objects.count() == 0


def test_indicator_value_save_of_an_accepted_value_is_refused_as_locked(
    contract_a, funded, coordinator_a, director_a, inca_staff, state_of
):
    value = _accepted(contract_a, funded, coordinator_a, director_a, inca_staff)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        _draft(contract_a, funded, coordinator_a, value="9")

    assert _errors(excinfo) == {
        "value": ["This value was accepted by INCa and is locked. Ask INCa to unlock it to change it."]
    }
    assert state_of(value) == before


@pytest.mark.parametrize("status", [ValueStatus.SUBMITTED, ValueStatus.APPROVED])
def test_indicator_value_save_of_a_value_under_review_is_refused(
    contract_a, funded, coordinator_a, state_of, status
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=status)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        _draft(contract_a, funded, coordinator_a, value="9")

    assert list(_errors(excinfo)) == ["value"]
    assert "under review" in _errors(excinfo)["value"][0]
    assert state_of(value) == before


# The workflow -------------------------------------------------------------------------------------


def test_indicator_value_workflow_from_draft_to_accepted_records_every_step(
    contract_a, funded, coordinator_a, director_a, inca_staff
):
    value = _draft(contract_a, funded, coordinator_a, value="3")

    value = services.indicator_value_submit(value=value, by=coordinator_a)
    assert value.status == ValueStatus.SUBMITTED
    value = services.indicator_value_approve(value=value, by=director_a, comment="Conforme")
    assert value.status == ValueStatus.APPROVED
    value = services.indicator_value_accept(value=value, by=inca_staff, comment="Validé")

    value.refresh_from_db()
    assert value.status == ValueStatus.ACCEPTED
    assert value.is_locked is True
    assert value.value == Decimal("3")
    assert _steps(value) == [
        (coordinator_a.email, "", ValueStatus.DRAFT, ""),
        (coordinator_a.email, ValueStatus.DRAFT, ValueStatus.SUBMITTED, ""),
        (director_a.email, ValueStatus.SUBMITTED, ValueStatus.APPROVED, "Conforme"),
        (inca_staff.email, ValueStatus.APPROVED, ValueStatus.ACCEPTED, "Validé"),
    ]
    assert [row.status for row in value.history.order_by("history_id")] == [
        ValueStatus.DRAFT,
        ValueStatus.SUBMITTED,
        ValueStatus.APPROVED,
        ValueStatus.ACCEPTED,
    ]
    assert all(step.at is not None for step in value.transitions.all())


def test_indicator_value_sent_back_by_the_director_can_be_corrected_and_resubmitted(
    contract_a, funded, coordinator_a, director_a
):
    value = _submitted(contract_a, funded, coordinator_a)

    value = services.indicator_value_send_back(value=value, by=director_a, comment="Compter 2024 seulement")
    assert value.status == ValueStatus.SENT_BACK
    corrected = _draft(contract_a, funded, coordinator_a, value="2")
    resubmitted = services.indicator_value_submit(value=corrected, by=coordinator_a)

    resubmitted.refresh_from_db()
    assert resubmitted.status == ValueStatus.SUBMITTED
    assert resubmitted.value == Decimal("2")
    assert _steps(resubmitted)[2:] == [
        (director_a.email, ValueStatus.SUBMITTED, ValueStatus.SENT_BACK, "Compter 2024 seulement"),
        (coordinator_a.email, ValueStatus.SENT_BACK, ValueStatus.SUBMITTED, ""),
    ]


def test_indicator_value_sent_back_by_inca_from_approved_records_the_comment(
    contract_a, funded, coordinator_a, director_a, inca_staff
):
    value = _approved(contract_a, funded, coordinator_a, director_a)

    value = services.indicator_value_send_back(value=value, by=inca_staff, comment="  Source manquante  ")

    value.refresh_from_db()
    assert value.status == ValueStatus.SENT_BACK
    assert _steps(value)[-1] == (
        inca_staff.email,
        ValueStatus.APPROVED,
        ValueStatus.SENT_BACK,
        "Source manquante",
    )


@pytest.mark.parametrize("status", [ValueStatus.SUBMITTED, ValueStatus.APPROVED])
@pytest.mark.parametrize("comment", ["", "   "])
def test_indicator_value_send_back_without_a_comment_is_refused_naming_the_comment(
    contract_a, funded, inca_staff, state_of, status, comment
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=status)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_send_back(value=value, by=inca_staff, comment=comment)

    assert _errors(excinfo) == {"comment": ["Say why: a comment is required."]}
    assert state_of(value) == before


@pytest.mark.parametrize("status", [ValueStatus.DRAFT, ValueStatus.SENT_BACK, ValueStatus.ACCEPTED])
def test_indicator_value_send_back_from_outside_review_is_refused_naming_the_status(
    contract_a, funded, inca_staff, state_of, status
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=status)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_send_back(value=value, by=inca_staff, comment="À revoir")

    assert list(_errors(excinfo)) == ["status"]
    assert state_of(value) == before


def test_indicator_value_send_back_is_refused_when_the_value_moved_since_it_was_checked(
    contract_a, funded, inca_staff, state_of
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.APPROVED)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_send_back(
            value=value, by=inca_staff, comment="À revoir", expected_status=ValueStatus.SUBMITTED
        )

    assert list(_errors(excinfo)) == ["status"]
    assert state_of(value) == before


def test_indicator_value_unlock_reopens_an_accepted_value_with_the_reason(
    contract_a, funded, coordinator_a, director_a, inca_staff
):
    value = _accepted(contract_a, funded, coordinator_a, director_a, inca_staff)

    value = services.indicator_value_unlock(value=value, by=inca_staff, reason="Erreur de saisie signalée")

    value.refresh_from_db()
    assert value.status == ValueStatus.SENT_BACK
    assert value.is_editable is True
    assert _steps(value)[-1] == (
        inca_staff.email,
        ValueStatus.ACCEPTED,
        ValueStatus.SENT_BACK,
        "Erreur de saisie signalée",
    )
    corrected = _draft(contract_a, funded, coordinator_a, value="5")
    assert corrected.value == Decimal("5")


@pytest.mark.parametrize("reason", ["", "  "])
def test_indicator_value_unlock_without_a_reason_is_refused_naming_the_reason(
    contract_a, funded, inca_staff, state_of, reason
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.ACCEPTED)
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_unlock(value=value, by=inca_staff, reason=reason)

    assert _errors(excinfo) == {"reason": ["Say why: a comment is required."]}
    assert state_of(value) == before


@pytest.mark.parametrize(
    ("service", "status"),
    [
        ("indicator_value_submit", ValueStatus.SUBMITTED),
        ("indicator_value_submit", ValueStatus.APPROVED),
        ("indicator_value_submit", ValueStatus.ACCEPTED),
        ("indicator_value_approve", ValueStatus.DRAFT),
        ("indicator_value_approve", ValueStatus.APPROVED),
        ("indicator_value_approve", ValueStatus.SENT_BACK),
        ("indicator_value_accept", ValueStatus.DRAFT),
        ("indicator_value_accept", ValueStatus.SUBMITTED),
        ("indicator_value_accept", ValueStatus.ACCEPTED),
        ("indicator_value_unlock", ValueStatus.APPROVED),
        ("indicator_value_unlock", ValueStatus.SENT_BACK),
    ],
)
def test_indicator_value_transition_from_the_wrong_status_is_refused_naming_the_status(
    contract_a, funded, inca_staff, state_of, service, status
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=status)
    before = state_of(value)
    extra = {"reason": "Motif"} if service == "indicator_value_unlock" else {}

    with pytest.raises(TransitionError) as excinfo:
        getattr(services, service)(value=value, by=inca_staff, **extra)

    assert list(_errors(excinfo)) == ["status"]
    assert len(_errors(excinfo)["status"]) == 1
    assert state_of(value) == before


def test_indicator_value_submit_of_an_empty_value_is_refused_naming_the_value(
    contract_a, funded, coordinator_a, state_of
):
    value = _draft(contract_a, funded, coordinator_a, value=None, comment="Chiffre attendu en mars")
    before = state_of(value)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_submit(value=value, by=coordinator_a)

    assert _errors(excinfo) == {"value": ["Enter a value before submitting it."]}
    assert state_of(value) == before


# A whole year -------------------------------------------------------------------------------------


def test_indicator_values_submit_year_submits_only_filled_drafts_and_sent_back_values(
    contract_a, contract_b, coordinator_a
):
    filled = IndicatorValueFactory(contract=contract_a, indicator=indicator("M3_EMERGENCE_FUNDED"), value=2)
    corrected = IndicatorValueFactory(
        contract=contract_a, indicator=indicator("M3_TRAININGS"), value=5, status=ValueStatus.SENT_BACK
    )
    empty = IndicatorValueFactory(contract=contract_a, indicator=indicator("M4_PATENTS"), value=None)
    approved = IndicatorValueFactory(
        contract=contract_a, indicator=indicator("M4_STARTUPS"), value=1, status=ValueStatus.APPROVED
    )
    other_year = IndicatorValueFactory(contract=contract_a, indicator=indicator("M4_PATENTS"), year=2025)
    other_pole = IndicatorValueFactory(contract=contract_b, indicator=indicator("M4_PATENTS"))

    submitted = services.indicator_values_submit_year(contract=contract_a, year=2024, by=coordinator_a)

    assert [value.pk for value in submitted] == [filled.pk, corrected.pk]  # by indicator code
    statuses = dict(IndicatorValue.objects.values_list("pk", "status"))
    assert statuses == {
        filled.pk: ValueStatus.SUBMITTED,
        corrected.pk: ValueStatus.SUBMITTED,
        empty.pk: ValueStatus.DRAFT,
        approved.pk: ValueStatus.APPROVED,
        other_year.pk: ValueStatus.DRAFT,
        other_pole.pk: ValueStatus.DRAFT,
    }
    assert ValueTransition.objects.filter(to_status=ValueStatus.SUBMITTED, by=coordinator_a).count() == 2


def test_indicator_values_submit_year_with_nothing_to_submit_is_refused_naming_the_year(
    contract_a, funded, coordinator_a, state_of
):
    empty = IndicatorValueFactory(contract=contract_a, indicator=funded, value=None)
    before = state_of(empty)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_values_submit_year(contract=contract_a, year=2024, by=coordinator_a)

    assert _errors(excinfo) == {
        "year": [
            "Nothing to submit for 2024: no filled-in draft, and no sent-back value corrected or commented "
            "since it was sent back."
        ]
    }
    assert state_of(empty) == before


def test_indicator_values_submit_year_outside_the_period_is_refused_naming_the_year(
    contract_a, coordinator_a
):
    with pytest.raises(TransitionError) as excinfo:
        services.indicator_values_submit_year(contract=contract_a, year=2030, by=coordinator_a)

    assert list(_errors(excinfo)) == ["year"]


# E-mails to the next actor, after commit ------------------------------------------------------------


def test_indicator_value_submit_emails_the_pole_director_after_commit(
    contract_a, funded, coordinator_a, director_a, director_b, inca_staff, django_capture_on_commit_callbacks
):
    value = _draft(contract_a, funded, coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_submit(value=value, by=coordinator_a)
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert [message.to for message in mail.outbox] == [[director_a.email]]
    assert mail.outbox[0].subject == "COP GSO: values submitted for your approval"
    assert "M3_YOUNG_RESEARCHERS – " in mail.outbox[0].body


def test_indicator_value_approve_emails_inca_staff_after_commit(
    contract_a, funded, coordinator_a, director_a, inca_staff, django_capture_on_commit_callbacks
):
    value = _submitted(contract_a, funded, coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_approve(value=value, by=director_a)

    assert [message.to for message in mail.outbox] == [[inca_staff.email]]


def test_indicator_value_send_back_by_inca_emails_the_pole_staff_with_the_comment(
    contract_a,
    funded,
    coordinator_a,
    director_a,
    coordinator_b,
    inca_staff,
    django_capture_on_commit_callbacks,
):
    value = _approved(contract_a, funded, coordinator_a, director_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_send_back(value=value, by=inca_staff, comment="Joindre la liste des projets")

    # one message per recipient
    assert sorted(message.to[0] for message in mail.outbox) == sorted([director_a.email, coordinator_a.email])
    assert all("Joindre la liste des projets" in message.body for message in mail.outbox)


def test_indicator_value_send_back_by_the_director_emails_the_coordinators_not_the_director(
    contract_a, funded, coordinator_a, director_a, django_capture_on_commit_callbacks
):
    value = _submitted(contract_a, funded, coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_send_back(value=value, by=director_a, comment="Vérifier")

    assert [message.to for message in mail.outbox] == [[coordinator_a.email]]


def test_indicator_value_refused_transition_sends_no_email(
    contract_a, funded, director_a, inca_staff, django_capture_on_commit_callbacks
):
    value = IndicatorValueFactory(contract=contract_a, indicator=funded, status=ValueStatus.DRAFT)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(TransitionError):
        services.indicator_value_approve(value=value, by=director_a)

    assert callbacks == []
    assert mail.outbox == []


# Rollups and computed values ----------------------------------------------------------------------


def test_indicator_value_accept_schedules_the_rollup_that_publishes_the_figure(
    contract_a, funded, coordinator_a, director_a, inca_staff, django_capture_on_commit_callbacks
):
    value = _approved(contract_a, funded, coordinator_a, director_a)
    assert not IndicatorRollup.objects.filter(basis=RollupBasis.ACCEPTED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_accept(value=value, by=inca_staff)

    rows = {
        (row.level, row.canceropole_id): (row.value, row.poles_reporting)
        for row in IndicatorRollup.objects.filter(indicator=funded, year=2024, basis=RollupBasis.ACCEPTED)
    }
    assert rows == {
        (RollupLevel.POLE, contract_a.canceropole_id): (Decimal("3"), 1),
        (RollupLevel.NATIONAL, None): (Decimal("3"), 1),
    }


def test_indicator_value_compute_stores_the_computed_figure_as_a_draft(contract_a, pole_a, coordinator_a):
    teams = indicator("M1_TEAMS")
    lab_1 = OrganisationFactory(rnsr="200918479K")
    lab_2 = OrganisationFactory(rnsr="201220343A")
    no_rnsr = OrganisationFactory(rnsr="")
    for lab in (lab_1, lab_1, lab_2, no_rnsr):
        PersonFactory(lab=lab).canceropoles.add(pole_a)
    PersonFactory(lab=OrganisationFactory(rnsr="199912345B"))  # not attached to the pole

    value = services.indicator_value_compute(
        contract=contract_a, indicator=teams, year=2025, by=coordinator_a
    )

    value.refresh_from_db()
    assert value.status == ValueStatus.DRAFT
    assert value.source == Source.COMPUTED
    assert value.value == Decimal("2")
    assert value.comment == "2 teams with an RNSR number in the directory"
    assert _steps(value) == [(coordinator_a.email, "", ValueStatus.DRAFT, "")]


def test_indicator_value_compute_of_a_manual_indicator_is_refused_naming_the_indicator(
    contract_a, funded, coordinator_a
):
    with pytest.raises(TransitionError) as excinfo:
        services.indicator_value_compute(contract=contract_a, indicator=funded, year=2025, by=coordinator_a)

    assert list(_errors(excinfo)) == ["indicator"]
    assert IndicatorValue.objects.count() == 0
