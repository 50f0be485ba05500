"""Entering and submitting a year (issue §3.3): an empty save creates nothing, a sent-back value goes back
only once corrected or commented, and a selector says what "submit the year" would submit."""

import pytest

from common.errors import TransitionError
from cop_contracts import selectors, services
from cop_contracts.models import IndicatorValue, ValueStatus, ValueTransition
from tests.cop_contracts.factories import indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _save(contract, by, code="M2_EVENTS", year=2024, **figures):
    return services.indicator_value_save(
        contract=contract, indicator=indicator(code), year=year, by=by, **figures
    )


def _sent_back(contract, coordinator, director, code="M2_EVENTS"):
    value = services.indicator_value_submit(
        value=_save(contract, coordinator, code, value="3"), by=coordinator
    )
    return services.indicator_value_send_back(value=value, by=director, comment="Vérifier")


def _submittable(contract, year=2024) -> list[str]:
    values = selectors.indicator_values_submittable(contract=contract, year=year)
    return sorted(values.values_list("indicator__code", flat=True))


def test_an_empty_first_save_creates_nothing(contract_a, coordinator_a):
    saved = _save(contract_a, coordinator_a, value="", comment="  ")

    assert saved is None
    assert IndicatorValue.objects.count() == 0
    assert ValueTransition.objects.count() == 0


def test_a_comment_alone_creates_a_draft(contract_a, coordinator_a):
    saved = _save(contract_a, coordinator_a, value="", comment="Chiffre attendu en mars")

    assert (saved.status, saved.value, saved.comment) == (ValueStatus.DRAFT, None, "Chiffre attendu en mars")


def test_a_save_that_changes_nothing_writes_nothing(contract_a, coordinator_a):
    value = _save(contract_a, coordinator_a, value="3", comment="ok")
    history = value.history.count()

    _save(contract_a, coordinator_a, value="3,0", comment="ok")

    assert value.history.count() == history


def test_submittable_values_are_filled_drafts_and_corrected_sent_back_ones(
    contract_a, coordinator_a, director_a
):
    _save(contract_a, coordinator_a, "M2_EVENTS", value="3")
    _save(contract_a, coordinator_a, "M2_PARTICIPANTS", comment="à venir")  # empty draft
    _sent_back(contract_a, coordinator_a, director_a, "M4_PATENTS")  # untouched since sent back
    corrected = _sent_back(contract_a, coordinator_a, director_a, "M4_STARTUPS")
    _save(contract_a, coordinator_a, "M4_STARTUPS", value="4")
    commented = _sent_back(contract_a, coordinator_a, director_a, "M3_TRAININGS")
    _save(contract_a, coordinator_a, "M3_TRAININGS", value="3", comment="Le décompte est exact.")
    _save(contract_a, coordinator_a, "M4_PUBLICATIONS", year=2025, value="3")  # another year

    assert _submittable(contract_a) == ["M2_EVENTS", "M3_TRAININGS", "M4_STARTUPS"]
    assert selectors.submittable_years(contract=contract_a) == {2024, 2025}
    assert {corrected.pk, commented.pk} < set(
        selectors.indicator_values_submittable(contract=contract_a, year=2024).values_list("pk", flat=True)
    )


def test_submit_year_leaves_an_uncorrected_sent_back_value_where_it_is(contract_a, coordinator_a, director_a):
    untouched = _sent_back(contract_a, coordinator_a, director_a, "M4_PATENTS")
    _save(contract_a, coordinator_a, "M2_EVENTS", value="3")

    submitted = services.indicator_values_submit_year(contract=contract_a, year=2024, by=coordinator_a)

    assert [value.indicator.code for value in submitted] == ["M2_EVENTS"]
    untouched.refresh_from_db()
    assert untouched.status == ValueStatus.SENT_BACK


def test_submit_year_with_only_uncorrected_sent_back_values_is_refused(contract_a, coordinator_a, director_a):
    _sent_back(contract_a, coordinator_a, director_a)

    with pytest.raises(TransitionError) as excinfo:
        services.indicator_values_submit_year(contract=contract_a, year=2024, by=coordinator_a)

    assert list(excinfo.value.message_dict) == ["year"]
    assert selectors.submittable_years(contract=contract_a) == set()


def test_submittable_selectors_make_one_query(contract_a, coordinator_a, django_assert_num_queries):
    _save(contract_a, coordinator_a, value="3")

    with django_assert_num_queries(1):
        assert len(list(selectors.indicator_values_submittable(contract=contract_a, year=2024))) == 1
    with django_assert_num_queries(1):
        selectors.submittable_years(contract=contract_a)
