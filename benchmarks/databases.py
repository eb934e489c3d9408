"""The PostgreSQL database a benchmark fills and measures, created when it is missing."""

import dj_database_url
import psycopg2


def create_database(url: str) -> None:
    """Create the database `url` names on its server unless it exists (nothing else is touched)."""
    settings = dj_database_url.parse(url)
    if "postgresql" not in settings["ENGINE"]:
        raise SystemExit(f"The benchmarks run on PostgreSQL: give a postgres:// address, not {url}")
    admin = psycopg2.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    admin.close()
