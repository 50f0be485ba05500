"""SQL rollups of indicator values (cop_contracts.rollups) against a plain Python recomputation.

``expected_rollups`` restates the documented rules without calling the rollup code. Per (indicator,
year, basis), for each pole and nationally:

- the *accepted* basis counts accepted values only; the *provisional* basis counts submitted, approved
  and accepted ones; draft and sent-back values count nowhere;
- ``sum`` and ``latest``: Σ value; ``max``: the largest value; ``ratio``: Σ numerator / Σ denominator
  (× 100 for a percentage), never the mean of the poles' ratios;
- target: the reporting poles' targets combined the same way (a pole's own target for ``max`` and
  ``ratio``), none nationally for a ratio; a pole without a counted value adds nothing;
- poles reporting: the poles with a counted value; a pole without one (a missing pole) has no row.

Figures are compared to 0.0001: SQLite keeps decimals as floats and PostgreSQL rounds NUMERIC to 4 places.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cop_contracts import rollups, services
from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    Target,
    ValueStatus,
)
from tests.conftest import require
from tests.factories import CanceropoleFactory

pytestmark = pytest.mark.django_db

# One catalogue indicator per aggregation rule (and both units of a ratio).
INDICATOR_CODES = [
    "M3_EMERGENCE_FUNDED",  # sum, count
    "M1_TEAMS",  # latest, count
    "M1_REGIONAL_MAPPING",  # max, count
    "M3_EMERGENCE_SUCCESS_RATE",  # ratio, percent
    "M1_COFUNDING_RATIO",  # ratio, ratio
]
# Years on both sides of 2027, so that a pole's values come from two successive contracts.
YEARS = [2026, 2027, 2028, 2029]
PERIODS = [(2023, 2027), (2028, 2032)]
REPORTING_POLES = 5
# One more pole that never reports: it has contracts and targets, and must appear nowhere.
SILENT_POLE = REPORTING_POLES
FOUR_PLACES = Decimal("0.0001")
TOLERANCE = Decimal("0.0001")
BASES_OF_STATUS = {
    ValueStatus.DRAFT: (),
    ValueStatus.SENT_BACK: (),
    ValueStatus.SUBMITTED: ("provisional",),
    ValueStatus.APPROVED: ("provisional",),
    ValueStatus.ACCEPTED: ("accepted", "provisional"),
}
ROW_FIELDS = ("canceropole_id", "value", "numerator", "denominator", "target", "poles_reporting")


@dataclass(frozen=True)
class Cell:
    """One indicator value of the generated data: a pole (by index), an indicator, a year, its figures."""

    pole: int
    code: str
    year: int
    status: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass
class Network:
    """Synthetic poles with a contract for each period, and the catalogue indicators of the tests."""

    pole_ids: list[int]
    contract_ids: dict[tuple[int, int], int]  # (pole index, first year) → contract id
    indicators: dict[str, IndicatorDefinition]

    def contract_id(self, pole: int, year: int) -> int:
        first_year = next(first for first, last in PERIODS if first <= year <= last)
        return self.contract_ids[(pole, first_year)]


def make_network() -> Network:
    poles = [CanceropoleFactory() for _ in range(REPORTING_POLES + 1)]
    contracts = CopContract.objects.bulk_create(
        CopContract(canceropole=pole, first_year=first, last_year=last)
        for pole in poles
        for first, last in PERIODS
    )
    return Network(
        pole_ids=[pole.pk for pole in poles],
        contract_ids={
            (index, contract.first_year): contract.pk
            for contract in contracts
            for index, pole in enumerate(poles)
            if contract.canceropole_id == pole.pk
        },
        indicators=IndicatorDefinition.objects.in_bulk(INDICATOR_CODES, field_name="code"),
    )


@pytest.fixture
def network(db) -> Network:
    return make_network()


def write_rows(network: Network, cells: list[Cell], targets: dict[tuple[int, str, int], Decimal]) -> None:
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            contract_id=network.contract_id(cell.pole, cell.year),
            indicator=network.indicators[cell.code],
            year=cell.year,
            status=cell.status,
            value=cell.value,
            numerator=cell.numerator,
            denominator=cell.denominator,
        )
        for cell in cells
    )
    Target.objects.bulk_create(
        Target(
            contract_id=network.contract_id(pole, year),
            indicator=network.indicators[code],
            year=year,
            value=value,
        )
        for (pole, code, year), value in targets.items()
    )


def rollup_rows() -> dict[tuple, tuple]:
    """Every rollup row by its key, without ``computed_at``."""
    return {
        (row.indicator_id, row.year, row.level, row.scope, row.basis): tuple(
            getattr(row, field) for field in ROW_FIELDS
        )
        for row in IndicatorRollup.objects.all()
    }


# The reference: the rules of the module docstring, in plain Python.


def _total(numbers: list[Decimal | None]) -> Decimal | None:
    present = [number for number in numbers if number is not None]
    return sum(present, Decimal(0)) if present else None


def _combined(aggregation: str, numbers: list[Decimal | None]) -> Decimal | None:
    present = [number for number in numbers if number is not None]
    if not present:
        return None
    return max(present) if aggregation == "max" else sum(present, Decimal(0))


def _figures(indicator: IndicatorDefinition, cells: list[Cell], targets: list[Decimal | None], *, national):
    numerator = _total([cell.numerator for cell in cells])
    denominator = _total([cell.denominator for cell in cells])
    if indicator.aggregation == "ratio":
        scale = Decimal(100) if indicator.unit == "percent" else Decimal(1)
        value = None
        if denominator:
            value = (numerator * scale / denominator).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
        target = None if national else _combined("max", targets)
    else:
        value = _combined(indicator.aggregation, [cell.value for cell in cells])
        target = _combined(indicator.aggregation, targets)
    return value, numerator, denominator, target


def expected_rollups(network: Network, cells: list[Cell], targets: dict) -> dict[tuple, tuple]:
    counted: dict[tuple[str, int, str], list[Cell]] = defaultdict(list)
    for cell in cells:
        for basis in BASES_OF_STATUS[cell.status]:
            counted[(cell.code, cell.year, basis)].append(cell)
    rows = {}
    for (code, year, basis), group in counted.items():
        indicator = network.indicators[code]
        by_pole: dict[int, list[Cell]] = defaultdict(list)
        for cell in group:
            by_pole[cell.pole].append(cell)
        for pole, pole_cells in by_pole.items():
            pole_id = network.pole_ids[pole]
            figures = _figures(indicator, pole_cells, [targets.get((pole, code, year))], national=False)
            rows[(indicator.pk, year, "pole", str(pole_id), basis)] = (pole_id, *figures, 1)
        pole_targets = [targets.get((pole, code, year)) for pole in by_pole]
        figures = _figures(indicator, group, pole_targets, national=True)
        rows[(indicator.pk, year, "national", "national", basis)] = (None, *figures, len(by_pole))
    return rows


def assert_rows_match(actual: dict, expected: dict) -> None:
    missing, extra = sorted(set(expected) - set(actual)), sorted(set(actual) - set(expected))
    assert missing == [], f"missing rows: {missing}"
    assert extra == [], f"extra rows: {extra}"
    for key, expected_row in expected.items():
        for field, want, got in zip(ROW_FIELDS, expected_row, actual[key], strict=True):
            if want is None or got is None:
                assert want is got, (key, field, got, want)
            else:
                assert abs(Decimal(got) - Decimal(want)) <= TOLERANCE, (key, field, got, want)


# Generated data: values in every status (missing ones, empty drafts), targets with or without values.

amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
denominators = st.decimals(min_value=Decimal("0.01"), max_value=10_000, places=2)
value_keys = st.tuples(
    st.integers(0, REPORTING_POLES - 1), st.sampled_from(INDICATOR_CODES), st.sampled_from(YEARS)
)
target_keys = st.tuples(st.integers(0, SILENT_POLE), st.sampled_from(INDICATOR_CODES), st.sampled_from(YEARS))
RATIO_UNITS = {"M3_EMERGENCE_SUCCESS_RATE": Decimal(100), "M1_COFUNDING_RATIO": Decimal(1)}


@st.composite
def cell_figures(draw, key: tuple[int, str, int], status: str | None = None) -> Cell:
    pole, code, year = key
    status = status or draw(st.sampled_from(list(ValueStatus)))
    # Only a draft or a sent-back value may be empty: the services refuse to submit one.
    empty = status in (ValueStatus.DRAFT, ValueStatus.SENT_BACK) and draw(st.booleans())
    if code in RATIO_UNITS:
        if empty:
            return Cell(pole, code, year, status, None)
        numerator, denominator = draw(amounts), draw(denominators)
        value = (numerator * RATIO_UNITS[code] / denominator).quantize(FOUR_PLACES)
        return Cell(pole, code, year, status, value, numerator, denominator)
    return Cell(pole, code, year, status, None if empty else draw(amounts))


@st.composite
def datasets(draw, max_values: int = 30) -> tuple[list[Cell], dict]:
    keys = draw(st.lists(value_keys, unique=True, max_size=max_values))
    cells = [draw(cell_figures(key)) for key in keys]
    targets = draw(st.dictionaries(target_keys, amounts, max_size=max_values))
    return cells, targets


HYPOTHESIS = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture]}


@settings(max_examples=200, **HYPOTHESIS)
@given(data=datasets())
def test_rollup_all_matches_python_recomputation(network, data):
    cells, targets = data
    with transaction.atomic():
        write_rows(network, cells, targets)
        rollups.rollup_all()
        actual = rollup_rows()
        transaction.set_rollback(True)  # the next example starts from no values and no targets

    assert_rows_match(actual, expected_rollups(network, cells, targets))


@settings(max_examples=100, **HYPOTHESIS)
@given(data=datasets(), change=st.data())
def test_indicator_rollup_after_one_change_matches_full_rollup(network, data, change):
    cells, targets = data
    if not cells:
        cells = [change.draw(cell_figures((0, "M3_EMERGENCE_FUNDED", 2026)))]
    index = change.draw(st.integers(0, len(cells) - 1), label="changed value")
    old = cells[index]
    new = change.draw(cell_figures((old.pole, old.code, old.year)), label="new figures")
    changed_cells = [*cells[:index], new, *cells[index + 1 :]]
    with transaction.atomic():
        write_rows(network, cells, targets)
        rollups.rollup_all()
        IndicatorValue.objects.filter(
            contract_id=network.contract_id(old.pole, old.year),
            indicator=network.indicators[old.code],
            year=old.year,
        ).update(status=new.status, value=new.value, numerator=new.numerator, denominator=new.denominator)

        rollups.indicator_rollup(indicator_id=network.indicators[old.code].pk, year=old.year)
        incremental = rollup_rows()
        rollups.rollup_all()
        full = rollup_rows()
        transaction.set_rollback(True)

    assert incremental == full
    assert_rows_match(incremental, expected_rollups(network, changed_cells, targets))


# A fixed data set for the tests below: every indicator, both contracts, every status, a silent pole.


def sample_data() -> tuple[list[Cell], dict]:
    statuses = list(ValueStatus)
    cells, targets = [], {}
    for pole in range(REPORTING_POLES):
        for code_index, code in enumerate(INDICATOR_CODES):
            for year in YEARS:
                n = pole * 31 + code_index * 7 + year
                status = statuses[n % len(statuses)]
                if code in RATIO_UNITS:
                    numerator, denominator = Decimal(n % 13 + 1), Decimal(n % 5 + 2)
                    value = (numerator * RATIO_UNITS[code] / denominator).quantize(FOUR_PLACES)
                    cells.append(Cell(pole, code, year, status, value, numerator, denominator))
                else:
                    cells.append(Cell(pole, code, year, status, Decimal(n % 17) + Decimal("0.25")))
    for pole in range(SILENT_POLE + 1):
        for code in INDICATOR_CODES:
            for year in YEARS:
                targets[(pole, code, year)] = Decimal(pole + year - 2020)
    return cells, targets


def test_rollup_all_twice_gives_identical_rows(network):
    cells, targets = sample_data()
    write_rows(network, cells, targets)

    rollups.rollup_all()
    first = rollup_rows()
    rollups.rollup_all()
    second = rollup_rows()

    assert second == first
    assert len(first) == len(expected_rollups(network, cells, targets))
    assert_rows_match(second, expected_rollups(network, cells, targets))


def test_rollup_all_leaves_no_row_for_a_silent_pole(network):
    cells, targets = sample_data()
    write_rows(network, cells, targets)

    rollups.rollup_all()

    silent_id = network.pole_ids[SILENT_POLE]
    assert not IndicatorRollup.objects.filter(canceropole_id=silent_id).exists()
    assert not IndicatorRollup.objects.filter(scope=str(silent_id)).exists()


def test_ratio_rollup_is_ratio_of_sums_not_mean_of_ratios(network):
    rate = network.indicators["M3_EMERGENCE_SUCCESS_RATE"]
    cells = [
        Cell(0, rate.code, 2026, ValueStatus.ACCEPTED, Decimal("50.0000"), Decimal(1), Decimal(2)),
        Cell(1, rate.code, 2026, ValueStatus.ACCEPTED, Decimal("10.0000"), Decimal(10), Decimal(100)),
    ]
    write_rows(network, cells, {})

    rollups.rollup_all()

    national = IndicatorRollup.objects.get(indicator=rate, year=2026, level="national", basis="accepted")
    # 11 / 102 funded, not (50 % + 10 %) / 2 = 30 %.
    assert abs(national.value - Decimal("10.7843")) <= TOLERANCE
    assert (national.numerator, national.denominator, national.poles_reporting) == (11, 102, 2)


def _accepted_national(indicator: IndicatorDefinition, year: int) -> IndicatorRollup | None:
    return IndicatorRollup.objects.filter(
        indicator=indicator, year=year, level="national", basis="accepted"
    ).first()


def test_unlocked_value_disappears_from_the_accepted_rollup(
    network, inca_staff, django_capture_on_commit_callbacks
):
    funded = network.indicators["M3_EMERGENCE_FUNDED"]
    write_rows(
        network,
        [
            Cell(0, funded.code, 2026, ValueStatus.ACCEPTED, Decimal(4)),
            Cell(1, funded.code, 2026, ValueStatus.ACCEPTED, Decimal(3)),
        ],
        {},
    )
    rollups.rollup_all()
    assert _accepted_national(funded, 2026).value == 7
    value = IndicatorValue.objects.get(contract_id=network.contract_id(0, 2026), indicator=funded, year=2026)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_unlock(value=value, by=inca_staff, reason="Double-counted project.")

    national = _accepted_national(funded, 2026)
    assert (national.value, national.poles_reporting) == (3, 1)
    pole_scope = str(network.pole_ids[0])
    assert not IndicatorRollup.objects.filter(indicator=funded, year=2026, scope=pole_scope).exists()


def test_unlocked_value_leaves_the_rollup_written_by_a_worker_whose_clock_is_ahead(
    network, inca_staff, django_capture_on_commit_callbacks
):
    funded = network.indicators["M3_EMERGENCE_FUNDED"]
    write_rows(network, [Cell(0, funded.code, 2027, ValueStatus.ACCEPTED, Decimal(5))], {})
    rollups.rollup_all()
    # The previous run came from a machine whose clock is a minute ahead of this one's.
    IndicatorRollup.objects.update(computed_at=timezone.now() + timedelta(minutes=1))
    value = IndicatorValue.objects.get(contract_id=network.contract_id(0, 2027), indicator=funded, year=2027)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_unlock(value=value, by=inca_staff, reason="Wrong year.")

    assert not IndicatorRollup.objects.filter(indicator=funded, year=2027).exists()


def test_value_sent_back_disappears_from_the_provisional_rollup(
    network, inca_staff, django_capture_on_commit_callbacks
):
    teams = network.indicators["M1_TEAMS"]
    write_rows(
        network,
        [
            Cell(0, teams.code, 2028, ValueStatus.APPROVED, Decimal(40)),
            Cell(1, teams.code, 2028, ValueStatus.ACCEPTED, Decimal(25)),
        ],
        {},
    )
    rollups.rollup_all()
    provisional = IndicatorRollup.objects.get(
        indicator=teams, year=2028, level="national", basis="provisional"
    )
    assert (provisional.value, provisional.poles_reporting) == (65, 2)
    value = IndicatorValue.objects.get(contract_id=network.contract_id(0, 2028), indicator=teams, year=2028)

    with django_capture_on_commit_callbacks(execute=True):
        services.indicator_value_send_back(value=value, by=inca_staff, comment="Count the teams again.")

    provisional.refresh_from_db()
    assert (provisional.value, provisional.poles_reporting) == (25, 1)
    assert not IndicatorRollup.objects.filter(
        indicator=teams, year=2028, scope=str(network.pole_ids[0])
    ).exists()
    assert _accepted_national(teams, 2028).value == 25


def _in_threads(*jobs) -> list[BaseException]:
    """Run each job in its own thread (its own database connection), all released at once."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job) -> None:
        try:
            start.wait()
            job()
        except BaseException as error:  # reported to the test thread, which fails on it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a rollup did not finish within 60 s"
    return errors


def _unlock_some(network: Network, cells: list[Cell]) -> list[Cell]:
    """Send back every accepted value of pole 0: rows the next run must drop or change."""
    changed = [
        replace(cell, status=ValueStatus.SENT_BACK)
        if cell.pole == 0 and cell.status == ValueStatus.ACCEPTED
        else cell
        for cell in cells
    ]
    IndicatorValue.objects.filter(
        contract__canceropole_id=network.pole_ids[0], status=ValueStatus.ACCEPTED
    ).update(status=ValueStatus.SENT_BACK)
    return changed


@pytest.mark.parametrize("second_run", ["full", "incremental"])
@pytest.mark.django_db(transaction=True)
def test_two_rollups_at_once_give_the_rows_of_one(second_run):
    require(connection.vendor == "postgresql", "PostgreSQL")
    network = make_network()
    cells, targets = sample_data()
    write_rows(network, cells, targets)
    rollups.rollup_all()
    cells = _unlock_some(network, cells)
    funded = network.indicators["M3_EMERGENCE_FUNDED"]
    other = {
        "full": rollups.rollup_all,
        "incremental": lambda: rollups.indicator_rollup(indicator_id=funded.pk, year=2026),
    }[second_run]

    errors = _in_threads(rollups.rollup_all, other)

    assert errors == []
    concurrent = rollup_rows()
    rollups.rollup_all()
    assert concurrent == rollup_rows()
    assert_rows_match(concurrent, expected_rollups(network, cells, targets))
