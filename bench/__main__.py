"""``python -m bench`` (``make bench``): seed 1,000,000 indicator values and measure the rollups.

Exit status 2 when DATABASE_URL is not PostgreSQL; 0 otherwise, whether the goals are met (PASS) or
not (MISS, said on its own line).
"""

import argparse
import time

from bench import database


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--poles", type=int, default=100, help="synthetic poles (default 100)")
    parser.add_argument("--contracts", type=int, default=10, help="contracts per pole (default 10)")
    parser.add_argument("--indicators", type=int, default=200, help="synthetic indicators (default 200)")
    arguments = parser.parse_args()

    url = database.scratch_database_url()
    name = database.recreate(url)
    print(f"Scratch database {name}: migrating and seeding…", flush=True)
    database.setup_django(url)

    from bench import rollups, seed

    start = time.perf_counter()
    values = seed.seed(poles=arguments.poles, contracts=arguments.contracts, indicators=arguments.indicators)
    seed_seconds = time.perf_counter() - start
    print(f"Seeded {values:,} values in {seed_seconds:.1f} s; measuring…", flush=True)
    full = rollups.measure_full()
    rows = rollups.rows_differing()
    incremental = rollups.measure_incremental()
    print()
    print(
        rollups.report(
            values=values, seed_seconds=seed_seconds, full=full, rows=rows, incremental=incremental
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
