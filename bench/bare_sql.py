"""The bare SQL of a full rollup, written by hand for the benchmark (not taken from cop_contracts.rollups).

One ``INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE`` per level, both bases at once, into a scratch
table with the rollup table's columns and unique key: what a person would type to compute the same rows.
"""

SCRATCH_TABLE = "bench_indicator_rollup"

SCRATCH_TABLE_DDL = f"""
CREATE TABLE {SCRATCH_TABLE} (
  id bigserial PRIMARY KEY,
  indicator_id bigint NOT NULL,
  year smallint NOT NULL,
  level varchar(10) NOT NULL,
  scope varchar(20) NOT NULL,
  canceropole_id bigint,
  basis varchar(12) NOT NULL,
  value numeric(24, 4),
  numerator numeric(24, 4),
  denominator numeric(24, 4),
  target numeric(24, 4),
  poles_reporting integer NOT NULL,
  computed_at timestamptz NOT NULL,
  CONSTRAINT {SCRATCH_TABLE}_key UNIQUE (indicator_id, year, level, scope, basis)
)
"""

# The bare SQL, written for this benchmark: what a person would type to compute the same rows.
BARE_POLE_LEVEL = f"""
INSERT INTO {SCRATCH_TABLE} AS r (indicator_id, year, level, scope, canceropole_id, basis, value, numerator,
                                  denominator, target, poles_reporting, computed_at)
SELECT v.indicator_id, v.year, 'pole', c.canceropole_id::text, c.canceropole_id, b.basis,
       CASE d.aggregation
         WHEN 'ratio' THEN round(sum(v.numerator) * CASE d.unit WHEN 'percent' THEN 100 ELSE 1 END
                                 / nullif(sum(v.denominator), 0), 4)
         WHEN 'max' THEN max(v.value)
         ELSE sum(v.value)
       END,
       sum(v.numerator), sum(v.denominator),
       CASE WHEN d.aggregation IN ('max', 'ratio') THEN max(t.value) ELSE sum(t.value) END,
       1, now()
FROM cop_contracts_indicatorvalue v
JOIN cop_contracts_copcontract c ON c.id = v.contract_id
JOIN cop_contracts_indicatordefinition d ON d.id = v.indicator_id
CROSS JOIN (VALUES ('accepted'), ('provisional')) AS b (basis)
LEFT JOIN cop_contracts_target t
  ON t.contract_id = v.contract_id AND t.indicator_id = v.indicator_id AND t.year = v.year
WHERE v.status = 'accepted' OR (b.basis = 'provisional' AND v.status IN ('submitted', 'approved'))
GROUP BY v.indicator_id, v.year, c.canceropole_id, b.basis, d.aggregation, d.unit
ON CONFLICT (indicator_id, year, level, scope, basis) DO UPDATE SET
  canceropole_id = excluded.canceropole_id, value = excluded.value, numerator = excluded.numerator,
  denominator = excluded.denominator, target = excluded.target, poles_reporting = excluded.poles_reporting,
  computed_at = excluded.computed_at
"""

BARE_NATIONAL_LEVEL = f"""
INSERT INTO {SCRATCH_TABLE} AS r (indicator_id, year, level, scope, canceropole_id, basis, value, numerator,
                                  denominator, target, poles_reporting, computed_at)
SELECT v.indicator_id, v.year, 'national', 'national', NULL, b.basis,
       CASE d.aggregation
         WHEN 'ratio' THEN round(sum(v.numerator) * CASE d.unit WHEN 'percent' THEN 100 ELSE 1 END
                                 / nullif(sum(v.denominator), 0), 4)
         WHEN 'max' THEN max(v.value)
         ELSE sum(v.value)
       END,
       sum(v.numerator), sum(v.denominator),
       CASE d.aggregation WHEN 'ratio' THEN NULL WHEN 'max' THEN max(t.value) ELSE sum(t.value) END,
       count(DISTINCT c.canceropole_id), now()
FROM cop_contracts_indicatorvalue v
JOIN cop_contracts_copcontract c ON c.id = v.contract_id
JOIN cop_contracts_indicatordefinition d ON d.id = v.indicator_id
CROSS JOIN (VALUES ('accepted'), ('provisional')) AS b (basis)
LEFT JOIN cop_contracts_target t
  ON t.contract_id = v.contract_id AND t.indicator_id = v.indicator_id AND t.year = v.year
WHERE v.status = 'accepted' OR (b.basis = 'provisional' AND v.status IN ('submitted', 'approved'))
GROUP BY v.indicator_id, v.year, b.basis, d.aggregation, d.unit
ON CONFLICT (indicator_id, year, level, scope, basis) DO UPDATE SET
  canceropole_id = excluded.canceropole_id, value = excluded.value, numerator = excluded.numerator,
  denominator = excluded.denominator, target = excluded.target, poles_reporting = excluded.poles_reporting,
  computed_at = excluded.computed_at
"""
