"""The scratch database of a benchmark run: same server as DATABASE_URL, recreated, migrated."""

import os
import sys

import environ

DEFAULT_NAME = "canceropoles_bench"
NO_POSTGRES_EXIT = 2


def scratch_database_url() -> str:
    """DATABASE_URL with its database name replaced by the scratch one; exits 2 unless PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    config = environ.Env.db_url_config(url) if url else {}
    if config.get("ENGINE") != "django.db.backends.postgresql":
        print(
            "The benchmarks run on PostgreSQL only: set DATABASE_URL to a PostgreSQL server, e.g.\n"
            "  DATABASE_URL=postgres://root@127.0.0.1:5432/canceropoles_bench make bench\n"
            f"They create and use their own database on that server ({DEFAULT_NAME}, or BENCH_DATABASE).",
            file=sys.stderr,
        )
        sys.exit(NO_POSTGRES_EXIT)
    name = os.environ.get("BENCH_DATABASE", DEFAULT_NAME)
    base, _, _query = url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}"


def recreate(url: str) -> str:
    """Drop and create the scratch database (connected to the server's ``postgres`` database)."""
    import psycopg2
    from psycopg2 import sql

    config = environ.Env.db_url_config(url)
    name = config["NAME"]
    if name in ("postgres", "template0", "template1"):
        raise SystemExit(f"Refusing to use {name!r} as the scratch database.")
    server = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    server.close()
    return name


def setup_django(url: str) -> None:
    """Point the portal's settings at the scratch database, start Django and migrate."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # The benchmark never serves a request: a throw-away key is enough when none is configured.
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-for-anything-0123456789")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
