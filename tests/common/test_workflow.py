"""The workflow helper (common.workflow), exercised on the COP values, its first user."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from common import workflow
from common.errors import TransitionError
from cop_contracts.models import IndicatorValue, ValueStatus, ValueTransition
from tests.cop_contracts.factories import CopContractFactory, IndicatorValueFactory, indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def value(pole_a):
    return IndicatorValueFactory(contract=CopContractFactory(canceropole=pole_a), status=ValueStatus.DRAFT)


def _move(value, by, **kwargs):
    kwargs.setdefault("allowed_from", (ValueStatus.DRAFT, ValueStatus.SENT_BACK))
    kwargs.setdefault("to", ValueStatus.SUBMITTED)
    return workflow.transition(obj=value, by=by, record_model=ValueTransition, **kwargs)


def test_transition_moves_the_status_and_records_the_step(value, coordinator_a):
    moved = _move(value, coordinator_a, comment="Chiffres de l'annuaire")

    value.refresh_from_db()
    assert (moved.status, value.status) == (ValueStatus.SUBMITTED, ValueStatus.SUBMITTED)
    steps = list(
        ValueTransition.objects.filter(value=value).values_list("from_status", "to_status", "by", "comment")
    )
    assert steps == [(ValueStatus.DRAFT, ValueStatus.SUBMITTED, coordinator_a.pk, "Chiffres de l'annuaire")]


def test_transition_saves_only_the_status_not_what_the_caller_holds(value, coordinator_a):
    IndicatorValue.objects.filter(pk=value.pk).update(value=Decimal("9"))
    value.value = Decimal("1")  # a stale copy held by the caller

    _move(value, coordinator_a)

    value.refresh_from_db()
    assert value.value == Decimal("9")


def test_transition_from_a_status_not_allowed_is_refused_naming_the_field_and_changes_nothing(
    value, coordinator_a
):
    IndicatorValue.objects.filter(pk=value.pk).update(status=ValueStatus.ACCEPTED)

    with pytest.raises(TransitionError) as excinfo:
        _move(value, coordinator_a)

    assert list(excinfo.value.message_dict) == ["status"]
    value.refresh_from_db()
    assert value.status == ValueStatus.ACCEPTED
    assert ValueTransition.objects.count() == 0


def test_transition_with_another_expected_status_is_refused(value, coordinator_a):
    with pytest.raises(TransitionError):
        _move(value, coordinator_a, expected_status=ValueStatus.SENT_BACK)

    value.refresh_from_db()
    assert value.status == ValueStatus.DRAFT
    assert ValueTransition.objects.count() == 0


def test_transition_message_names_the_statuses(value, coordinator_a):
    IndicatorValue.objects.filter(pk=value.pk).update(status=ValueStatus.ACCEPTED)

    with translation.override("en"), pytest.raises(TransitionError) as excinfo:
        _move(value, coordinator_a, message="%(status)s, not %(to)s")

    assert excinfo.value.message_dict == {"status": ["Accepted by INCa, not Submitted to the director"]}


def test_transition_locks_only_the_object_row(value, coordinator_a):
    loaded = IndicatorValue.objects.select_related("contract", "indicator").get(pk=value.pk)

    with CaptureQueriesContext(connection) as queries:
        _move(loaded, coordinator_a)

    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(locking) == 1
        assert "JOIN" not in locking[0]
        assert locking[0].endswith('FOR UPDATE OF "cop_contracts_indicatorvalue"')
    else:
        assert locking == []  # SQLite locks the whole database on write


def test_transition_keeps_the_relations_the_caller_loaded(value, coordinator_a, django_assert_num_queries):
    loaded = IndicatorValue.objects.select_related("contract__canceropole", "indicator").get(pk=value.pk)
    moved = _move(loaded, coordinator_a)
    expected_code = indicator().code

    with django_assert_num_queries(0):
        assert (moved.contract.canceropole.code, moved.indicator.code) == ("GSO", expected_code)


def test_lock_in_order_locks_every_row_in_one_query_in_key_order(pole_a, django_assert_num_queries):
    contract = CopContractFactory(canceropole=pole_a)
    values = [IndicatorValueFactory(contract=contract, year=year) for year in (2026, 2024, 2025)]
    pks = [v.pk for v in reversed(values)]

    with CaptureQueriesContext(connection) as queries:
        locked = workflow.lock_in_order(IndicatorValue.objects.all(), pks)

    assert list(locked) == sorted(pks)
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "ORDER BY" in sql
    assert "JOIN" not in sql
    if connection.vendor == "postgresql":
        assert sql.endswith('FOR UPDATE OF "cop_contracts_indicatorvalue"')


def test_lock_in_order_of_nothing_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert workflow.lock_in_order(IndicatorValue.objects.all(), []) == {}


def test_require_four_eyes_refuses_the_user_who_submitted(value, coordinator_a, director_a):
    _move(value, coordinator_a)

    with pytest.raises(TransitionError) as excinfo:
        workflow.require_four_eyes(
            record_model=ValueTransition, obj=value, by=coordinator_a, submitted_status=ValueStatus.SUBMITTED
        )
    workflow.require_four_eyes(
        record_model=ValueTransition, obj=value, by=director_a, submitted_status=ValueStatus.SUBMITTED
    )

    assert list(excinfo.value.message_dict) == ["status"]


def test_four_eyes_looks_at_the_latest_submission(value, coordinator_a, director_a):
    _move(value, director_a)
    _move(value, director_a, allowed_from=(ValueStatus.SUBMITTED,), to=ValueStatus.SENT_BACK)
    _move(value, coordinator_a)

    violations = workflow.four_eyes_violations(
        record_model=ValueTransition, objects=[value], by=director_a, submitted_status=ValueStatus.SUBMITTED
    )

    assert violations == []


def test_last_actors_reads_every_object_in_one_query(pole_a, coordinator_a, django_assert_num_queries):
    contract = CopContractFactory(canceropole=pole_a)
    values = [IndicatorValueFactory(contract=contract, year=year) for year in (2024, 2025, 2026)]
    for v in values:
        _move(v, coordinator_a)

    with django_assert_num_queries(1):
        actors = workflow.last_actors(
            record_model=ValueTransition, object_ids=[v.pk for v in values], to_status=ValueStatus.SUBMITTED
        )

    assert actors == {v.pk: coordinator_a.pk for v in values}


def test_transition_record_reads_as_status_labels(value, coordinator_a):
    _move(value, coordinator_a)
    record = workflow.record_creation(
        obj=value, to=ValueStatus.DRAFT, by=coordinator_a, record_model=ValueTransition
    )

    with translation.override("en"):
        assert (
            str(ValueTransition.objects.get(to_status=ValueStatus.SUBMITTED))
            == "Draft → Submitted to the director"
        )
        assert str(record) == "created → Draft"
