"""``python -m bench`` (``make bench``): 1,000,000 indicator values; the rollups and the API lists measured.

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
    parser.add_argument(
        "--only",
        choices=["rollups", "lists"],
        help="run one benchmark only (the lists still need one rollup run, which is done untimed)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the scratch database of an earlier run (migrated again, not reseeded)",
    )
    arguments = parser.parse_args()

    url = database.scratch_database_url()
    if arguments.reuse:
        name = url.rsplit("/", 1)[1]
        print(f"Scratch database {name}: reused, migrating…", flush=True)
    else:
        name = database.recreate(url)
        print(f"Scratch database {name}: migrating and seeding…", flush=True)
    database.setup_django(url)

    from bench import lists, rollups, seed

    reports = []
    if arguments.reuse:
        from cop_contracts.models import IndicatorValue

        values, seed_seconds = IndicatorValue.objects.count(), 0.0
    else:
        start = time.perf_counter()
        values = seed.seed(
            poles=arguments.poles, contracts=arguments.contracts, indicators=arguments.indicators
        )
        seed_seconds = time.perf_counter() - start
        print(f"Seeded {values:,} values in {seed_seconds:.1f} s; measuring…", flush=True)
    if arguments.only != "lists":
        full = rollups.measure_full()
        rows = rollups.rows_differing()
        incremental = rollups.measure_incremental()
        reports.append(
            rollups.report(
                values=values, seed_seconds=seed_seconds, full=full, rows=rows, incremental=incremental
            )
        )
    elif not arguments.reuse:
        from cop_contracts.rollups import rollup_all

        rollup_all()
    if arguments.only != "rollups":
        print(f"Serving the portal on {values:,} values; measuring the API lists…", flush=True)
        reports.append(lists.report(lists.measure(database_url=url)))
    print()
    print("\n\n".join(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
