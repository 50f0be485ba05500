"""Indicator rollups on 1,000,000 values: the portal's code path against the bare SQL of the same work.

Measured, after one warm-up of each:

- full rollup through the portal: ``cop_contracts.rollups.rollup_all()``;
- bare SQL: one hand-written ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE`` per level (pole,
  national), both bases at once, into a scratch table with the same unique key;
- their ratio (goal ≤ 1.5×);
- incremental rollup: ``indicator_rollup(indicator_id, year)`` after one value changed (goal ≤ 50 ms).

Each full measurement is the median of ``REPEAT`` runs (portal and bare SQL alternate, so that both
see the same cache state); the incremental one is the median of ``INCREMENTAL_REPEAT`` changes.
"""

import statistics
import time
from collections.abc import Callable

from django.db import connection, transaction

from bench.bare_sql import BARE_NATIONAL_LEVEL, BARE_POLE_LEVEL, SCRATCH_TABLE, SCRATCH_TABLE_DDL
from cop_contracts import rollups
from cop_contracts.models import IndicatorRollup, IndicatorValue

REPEAT = 3
INCREMENTAL_REPEAT = 9
FULL_RATIO_GOAL = 1.5
INCREMENTAL_GOAL_MS = 50.0
# Rows of one table that the other lacks or computes differently (computed_at and ids aside).
ROWS_DIFFERING = f"""
SELECT count(*) FROM (
  (SELECT indicator_id, year, level, scope, canceropole_id, basis, value, numerator, denominator, target,
          poles_reporting FROM {IndicatorRollup._meta.db_table}
   EXCEPT
   SELECT indicator_id, year, level, scope, canceropole_id, basis, value, numerator, denominator, target,
          poles_reporting FROM {SCRATCH_TABLE})
  UNION ALL
  (SELECT indicator_id, year, level, scope, canceropole_id, basis, value, numerator, denominator, target,
          poles_reporting FROM {SCRATCH_TABLE}
   EXCEPT
   SELECT indicator_id, year, level, scope, canceropole_id, basis, value, numerator, denominator, target,
          poles_reporting FROM {IndicatorRollup._meta.db_table})
) AS differing
"""


def bare_sql_rollup() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BARE_POLE_LEVEL)
        cursor.execute(BARE_NATIONAL_LEVEL)


def timed(job: Callable[[], None]) -> float:
    """Seconds ``job`` took."""
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def measure_full() -> dict[str, list[float]]:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
        cursor.execute(SCRATCH_TABLE_DDL)
    # Warm-up: the first run of each inserts every row, later ones update them (the steady state).
    rollups.rollup_all()
    bare_sql_rollup()
    times: dict[str, list[float]] = {"portal": [], "bare": []}
    for _ in range(REPEAT):
        times["portal"].append(timed(rollups.rollup_all))
        times["bare"].append(timed(bare_sql_rollup))
    return times


def rows_differing() -> tuple[int, int]:
    """(rollup rows of the portal, rows differing between the portal's table and the bare SQL's)."""
    with connection.cursor() as cursor:
        cursor.execute(ROWS_DIFFERING)
        differing = cursor.fetchone()[0]
    return IndicatorRollup.objects.count(), differing


def measure_incremental() -> list[float]:
    """Change one value (a different one each time), then time the rollup of its (indicator, year)."""
    accepted = IndicatorValue.objects.filter(status="accepted").order_by("pk")
    total = accepted.count()
    step = max(total // (INCREMENTAL_REPEAT + 1), 1)
    changed = [
        accepted.values("pk", "indicator_id", "year")[index * step] for index in range(INCREMENTAL_REPEAT + 1)
    ]
    times = []
    for index, value in enumerate(changed):
        IndicatorValue.objects.filter(pk=value["pk"]).update(value=index + 1, numerator=index + 1)
        elapsed = timed(
            lambda v=value: rollups.indicator_rollup(indicator_id=v["indicator_id"], year=v["year"])
        )
        if index:  # the first one warms up
            times.append(elapsed)
    return times


def report(*, values: int, seed_seconds: float, full: dict, rows: tuple[int, int], incremental: list) -> str:
    portal, bare = statistics.median(full["portal"]), statistics.median(full["bare"])
    ratio = portal / bare
    best_ratio = min(full["portal"]) / min(full["bare"])
    incremental_ms = statistics.median(incremental) * 1000
    verdict = {True: "PASS", False: "MISS"}
    rollup_rows, differing = rows
    lines = [
        f"Indicator rollups on {values:,} indicator values (seeded in {seed_seconds:.1f} s), "
        f"{rollup_rows:,} rollup rows; portal and bare SQL rows differing: {differing}",
        "",
        f"{'measure':<42} {'median':>10}  {'runs':<30} {'goal':<12} result",
        f"{'full rollup, portal (rollup_all)':<42} {portal:>9.2f}s  {_runs(full['portal'], 's'):<30}",
        f"{'full rollup, bare SQL (2 upserts)':<42} {bare:>9.2f}s  {_runs(full['bare'], 's'):<30}",
        f"{'ratio portal / bare SQL':<42} {ratio:>9.2f}×  {'':<30} {'≤ 1.5×':<12} "
        f"{verdict[ratio <= FULL_RATIO_GOAL]}",
        f"{'  (ratio of the fastest runs, for noise)':<42} {best_ratio:>9.2f}×",
        f"{'incremental rollup (indicator_rollup)':<42} {incremental_ms:>8.1f}ms  "
        f"{_runs([t * 1000 for t in incremental], 'ms'):<30} {'≤ 50 ms':<12} "
        f"{verdict[incremental_ms <= INCREMENTAL_GOAL_MS]}",
    ]
    if differing:
        lines.append(f"MISS: the portal's rollup rows differ from the bare SQL's ({differing} rows).")
    for goal_met, what in (
        (ratio <= FULL_RATIO_GOAL, f"full rollup is {ratio:.2f}× the bare SQL (goal ≤ {FULL_RATIO_GOAL}×)"),
        (
            incremental_ms <= INCREMENTAL_GOAL_MS,
            f"incremental rollup takes {incremental_ms:.1f} ms (goal ≤ 50 ms)",
        ),
    ):
        if not goal_met:
            lines.append(f"MISS: {what}.")
    return "\n".join(lines)


def _runs(seconds: list[float], unit: str) -> str:
    return ", ".join(f"{value:.2f}" if unit == "s" else f"{value:.1f}" for value in seconds)
