"""A large synthetic network, written in SQL (generate_series): poles, contracts, indicators, values, targets.

Shape: ``poles`` poles × ``contracts`` contracts each × ``indicators`` indicators × 5 years (2023-2027),
one value and one target per (contract, indicator, year): 100 × 10 × 200 × 5 = 1,000,000 values by
default. A pole's contracts all cover 2023-2027 (they start in successive years, the unique key of a
contract): each pole-level rollup row then aggregates ``contracts`` values, as a national one
aggregates the poles', which keeps the rollup tables at a realistic fraction of the values. Indicators cycle
through the four aggregations (sum, latest, max, ratio; ratios alternate percent and plain ratio).
Statuses follow a fixed spread: 60 % accepted, 15 % approved, 10 % submitted, 10 % draft, 5 % sent back.
Figures come from a deterministic hash of (contract, indicator, year), so two runs seed the same data.
"""

from django.db import connection

from canceropoles.models import Canceropole, Mission
from cop_contracts.models import CopContract, IndicatorDefinition, IndicatorValue, Target

YEARS = (2023, 2027)
POLE_CODE_PREFIX = "BENCH"
INDICATOR_CODE_PREFIX = "BENCH_"


def _tables() -> dict[str, str]:
    return {
        "pole": Canceropole._meta.db_table,
        "mission": Mission._meta.db_table,
        "contract": CopContract._meta.db_table,
        "definition": IndicatorDefinition._meta.db_table,
        "value": IndicatorValue._meta.db_table,
        "target": Target._meta.db_table,
    }


SEED_STATEMENTS = [
    """
    INSERT INTO {pole} (code, name, short_name, seat_city, website, legal_form, created_at, updated_at)
    SELECT '{pole_prefix}' || lpad(n::text, 5, '0'), 'Cancéropôle de mesure ' || n, 'Mesure ' || n,
           'Benchville', 'https://bench-' || n || '.example.org', '', now(), now()
    FROM generate_series(1, %(poles)s) AS n
    """,
    """
    INSERT INTO {contract} (canceropole_id, first_year, last_year, status, signed_on, created_at, updated_at)
    SELECT p.id, %(first_year)s - k, %(last_year)s, 'signed', NULL, now(), now()
    FROM {pole} p CROSS JOIN generate_series(0, %(contracts)s - 1) AS k
    WHERE p.code LIKE '{pole_prefix}%%'
    """,
    """
    INSERT INTO {definition} (code, name_fr, name_en, description, unit, mission_id, direction, aggregation,
                              source, computation, official, is_active, created_at, updated_at)
    SELECT '{indicator_prefix}' || lpad(n::text, 4, '0'), 'Indicateur de mesure ' || n,
           'Benchmark indicator ' || n, '',
           CASE WHEN n %% 4 <> 0 THEN 'count' WHEN n %% 8 = 0 THEN 'ratio' ELSE 'percent' END,
           (SELECT id FROM {mission} WHERE number = n %% 4 + 1),
           'increase',
           (ARRAY['ratio', 'sum', 'latest', 'max'])[n %% 4 + 1],
           'manual', '', false, true, now(), now()
    FROM generate_series(1, %(indicators)s) AS n
    """,
    """
    INSERT INTO {value} (contract_id, indicator_id, year, value, numerator, denominator, source, comment,
                         status, created_at, updated_at)
    SELECT cell.contract_id, cell.indicator_id, cell.year,
           CASE WHEN cell.ratio
                THEN round((cell.h %% 50) * cell.scale / (cell.h %% 97 + 1), 4)
                ELSE (cell.h %% 1000)::numeric END,
           CASE WHEN cell.ratio THEN (cell.h %% 50)::numeric END,
           CASE WHEN cell.ratio THEN (cell.h %% 97 + 1)::numeric END,
           'manual', '',
           CASE WHEN cell.h %% 20 < 12 THEN 'accepted'
                WHEN cell.h %% 20 < 15 THEN 'approved'
                WHEN cell.h %% 20 < 17 THEN 'submitted'
                WHEN cell.h %% 20 < 19 THEN 'draft'
                ELSE 'sent_back' END,
           now(), now()
    FROM (
      SELECT c.id AS contract_id, d.id AS indicator_id, y AS year, d.aggregation = 'ratio' AS ratio,
             CASE WHEN d.unit = 'percent' THEN 100 ELSE 1 END AS scale,
             abs(hashint8(c.id * 1000003 + d.id * 10007 + y)::bigint) AS h
      FROM {contract} c
      JOIN {pole} p ON p.id = c.canceropole_id AND p.code LIKE '{pole_prefix}%%'
      CROSS JOIN {definition} d
      CROSS JOIN generate_series(%(first_year)s, %(last_year)s) AS y
      WHERE d.code LIKE '{indicator_prefix}%%'
    ) AS cell
    """,
    """
    INSERT INTO {target} (contract_id, indicator_id, year, value, baseline, created_at, updated_at)
    SELECT contract_id, indicator_id, year, (abs(hashint8(id)::bigint) %% 900 + 100)::numeric, NULL,
           now(), now()
    FROM {value}
    """,
]


def seed(*, poles: int, contracts: int, indicators: int) -> int:
    """Write the synthetic network; return the number of indicator values."""
    names = {**_tables(), "pole_prefix": POLE_CODE_PREFIX, "indicator_prefix": INDICATOR_CODE_PREFIX}
    params = {
        "poles": poles,
        "contracts": contracts,
        "indicators": indicators,
        "first_year": YEARS[0],
        "last_year": YEARS[1],
    }
    with connection.cursor() as cursor:
        for statement in SEED_STATEMENTS:
            cursor.execute(statement.format(**names), params)
        for table in ("pole", "contract", "definition", "value", "target"):
            cursor.execute(f"VACUUM ANALYZE {names[table]}")
        cursor.execute(f"SELECT count(*) FROM {names['value']}")
        return cursor.fetchone()[0]
