"""Indicator rollups: aggregate indicator values by pole and nationally, in SQL.

One ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE`` per level (pole, national), each computing
both bases at once: *accepted* (published figures, accepted values only) and *provisional* (submitted,
approved and accepted values). Then rows the run did not write (their values were sent back or
unlocked) are deleted: in the run's scope, every row not stamped with the run's own ``computed_at``.
A run is idempotent: it recomputes from the values, whatever ran before.

Runs are serialised by a PostgreSQL transaction-level advisory lock, so two at once give the same rows
as one after the other (SQLite serialises writers by itself).

Aggregation rules, per indicator:
- ``sum`` and ``latest``: Σ value (a stock such as the number of teams adds up across poles too);
- ``max``: the largest value;
- ``ratio``: Σ numerator / Σ denominator (× 100 for a percentage), never a mean of ratios;
- target: aggregated the same way over the reporting poles' targets; none at national level for a ratio.
"""

from django.db import connection, transaction
from django.utils import timezone

from cop_contracts.models import (
    CopContract,
    IndicatorDefinition,
    IndicatorRollup,
    IndicatorValue,
    RollupLevel,
    Target,
    ValueStatus,
)

ROLLUP_LOCK_KEY = 7_246_001  # arbitrary constant: "the rollup lock" for pg_advisory_xact_lock


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "rollup": quote(IndicatorRollup._meta.db_table),
        "value": quote(IndicatorValue._meta.db_table),
        "contract": quote(CopContract._meta.db_table),
        "definition": quote(IndicatorDefinition._meta.db_table),
        "target": quote(Target._meta.db_table),
    }


VALUE_EXPRESSION = """
    CASE
      WHEN d.aggregation = 'ratio' THEN
        CASE WHEN SUM(v.denominator) > 0 THEN
          ROUND(SUM(v.numerator) * 1.0 * (CASE WHEN d.unit = 'percent' THEN 100 ELSE 1 END)
                / SUM(v.denominator), 4)
        END
      WHEN d.aggregation = 'max' THEN MAX(v.value)
      ELSE SUM(v.value)
    END"""

TARGET_EXPRESSION = {
    RollupLevel.POLE: """
    CASE
      WHEN d.aggregation IN ('max', 'ratio') THEN MAX(t.value)
      ELSE SUM(t.value)
    END""",
    RollupLevel.NATIONAL: """
    CASE
      WHEN d.aggregation = 'ratio' THEN NULL
      WHEN d.aggregation = 'max' THEN MAX(t.value)
      ELSE SUM(t.value)
    END""",
}

SCOPE_EXPRESSION = {
    RollupLevel.POLE: ("CAST(c.canceropole_id AS VARCHAR(20))", "c.canceropole_id", ", c.canceropole_id"),
    RollupLevel.NATIONAL: ("'national'", "NULL", ""),
}


def rollup_statement(level: str, where: str) -> str:
    """The upsert of one level, for the values matching ``where`` (SQL on the alias ``v``)."""
    scope, pole, group_by_pole = SCOPE_EXPRESSION[level]
    return f"""
INSERT INTO {{rollup}} (indicator_id, year, level, scope, canceropole_id, basis, value, numerator,
                      denominator, target, poles_reporting, computed_at, updated_at)
SELECT v.indicator_id, v.year, '{level}', {scope}, {pole}, b.basis, {VALUE_EXPRESSION},
       SUM(v.numerator), SUM(v.denominator), {TARGET_EXPRESSION[level]},
       COUNT(DISTINCT c.canceropole_id), %(now)s, %(now)s
FROM {{value}} v
JOIN {{contract}} c ON c.id = v.contract_id
JOIN {{definition}} d ON d.id = v.indicator_id
JOIN (SELECT 'accepted' AS basis UNION ALL SELECT 'provisional' AS basis) b
  ON v.status = '{ValueStatus.ACCEPTED}'
  OR (b.basis = 'provisional' AND v.status IN ('{ValueStatus.SUBMITTED}', '{ValueStatus.APPROVED}'))
LEFT JOIN {{target}} t
  ON t.contract_id = v.contract_id AND t.indicator_id = v.indicator_id AND t.year = v.year
WHERE {where}
GROUP BY v.indicator_id, v.year, b.basis, d.aggregation, d.unit{group_by_pole}
ON CONFLICT (indicator_id, year, level, scope, basis) DO UPDATE SET
  canceropole_id = excluded.canceropole_id, value = excluded.value, numerator = excluded.numerator,
  denominator = excluded.denominator, target = excluded.target,
  poles_reporting = excluded.poles_reporting, computed_at = excluded.computed_at,
  updated_at = CASE WHEN {{rollup}}.value IS DISTINCT FROM excluded.value
                      OR {{rollup}}.numerator IS DISTINCT FROM excluded.numerator
                      OR {{rollup}}.denominator IS DISTINCT FROM excluded.denominator
                      OR {{rollup}}.target IS DISTINCT FROM excluded.target
                      OR {{rollup}}.poles_reporting IS DISTINCT FROM excluded.poles_reporting
                    THEN excluded.updated_at ELSE {{rollup}}.updated_at END
"""


def _lock(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK_KEY])


def _run(where: str, params: dict, stale_where: str) -> None:
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        # Every row this run writes carries exactly this stamp, so any other stamp in the run's scope
        # marks a row it did not write: stale. Comparing for inequality rather than "older than" keeps
        # the delete exact when an earlier run came from a worker whose clock is ahead of this one's.
        now = timezone.now()
        for level in (RollupLevel.POLE, RollupLevel.NATIONAL):
            cursor.execute(rollup_statement(level, where).format(**tables), {**params, "now": now})
        cursor.execute(
            f"DELETE FROM {tables['rollup']} WHERE computed_at <> %(now)s AND {stale_where}",
            {**params, "now": now},
        )


def indicator_rollup(*, indicator_id: int, year: int) -> None:
    """Recompute every rollup of one (indicator, year): what a value's change of status affects."""
    _run(
        "v.indicator_id = %(indicator_id)s AND v.year = %(year)s",
        {"indicator_id": indicator_id, "year": year},
        "indicator_id = %(indicator_id)s AND year = %(year)s",
    )


def rollup_all() -> None:
    """Recompute every rollup (nightly, and after bulk changes)."""
    _run("1 = 1", {}, "1 = 1")
