"""Catalog import: a 2,000-row workbook through procedures.catalog_io.import_catalog.

    .venv/bin/python bench/bench_import.py [--rows 2000]

Creates (if missing) and migrates the database ``motcua_bench`` (or the one in
DATABASE_URL), writes a workbook of generated procedures (bench/catalog_data.py)
in the import layout, then times: reading and checking the file alone (dry run
on an empty catalog), the first import (every row created), a re-import of the
same file (every row unchanged), a re-import with one row in ten changed, and
the export of the catalog. Target: the first import under 10 s.

The benchmark's procedures get codes starting with 8 or 9 so that they never
collide with the catalog bench_search.py keeps in the same database; they are
deleted before and after the run.
"""

import argparse
import contextlib
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"


def _ensure_database(url: str) -> None:
    """CREATE DATABASE if it does not exist (PostgreSQL only)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        return
    params = {
        "host": config.get("HOST") or "127.0.0.1",
        "port": config.get("PORT") or 5432,
        "user": config.get("USER") or "postgres",
        "dbname": "postgres",
        "autocommit": True,
    }
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    with psycopg.connect(**params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            # Another benchmark may create it meanwhile.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def setup_django() -> None:
    """Django on ``motcua_bench`` (or DATABASE_URL), created and migrated if needed."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", str(ROOT / "var" / "bench"))
    _ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (from /proc)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server runs elsewhere
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed(label: str, func, results: list[tuple[str, float, float, float, str]]):
    """Wall-clock time, and the CPU time of this process and of its PostgreSQL
    backend: on a busy machine the CPU times show what the import itself costs,
    without the wait for a core (their sum is about the wall time on an idle one)."""
    start, cpu, db_cpu = time.perf_counter(), time.process_time(), _backend_cpu()
    value = func()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    db_cpu = _backend_cpu() - db_cpu
    results.append((label, elapsed, cpu, db_cpu, str(value)))
    print(
        f"{label:<40} {elapsed:6.2f} s wall {cpu:6.2f} s CPU {db_cpu:5.2f} s PostgreSQL   {value}",
        flush=True,
    )
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from bench.catalog_data import ensure_agencies, generate_procedures
    from procedures.catalog_io import export_catalog, import_catalog, write_xlsx
    from procedures.models import Procedure

    ensure_agencies()
    contents = generate_procedures(args.rows)
    for content in contents:
        # 1.xxxxxx -> 8.xxxxxx, 2.xxxxxx -> 9.xxxxxx: clear of bench_search.py's catalog.
        content["code"] = f"{int(content['code'][0]) + 7}{content['code'][1:]}"
    mine = Procedure.objects.filter(code__regex=r"^[89]\.")
    mine.delete()

    workbook = io.BytesIO()
    write_xlsx(contents, workbook)
    data = workbook.getvalue()
    changed = [dict(c) for c in contents]
    for content in changed[::10]:
        content["name"] += " (sửa đổi)"
    changed_book = io.BytesIO()
    write_xlsx(changed, changed_book)

    def run(payload: bytes, **options):
        return import_catalog(
            io.BytesIO(payload), filename="bench.xlsx", source="bench", **options
        ).summary()

    print(
        f"Catalog import bench: {args.rows} rows, {len(data) / 1024:.0f} KB workbook, "
        f"{connection.vendor} {connection.settings_dict['NAME']}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print(f"Load average before: {os.getloadavg()[0]:.2f}")
    results: list[tuple[str, float, float, float, str]] = []
    try:
        _timed(
            "dry run on an empty catalog (read + check)", lambda: run(data, dry_run=True), results
        )
        _timed("first import (all created)", lambda: run(data), results)
        _timed("re-import, same file (all unchanged)", lambda: run(data), results)
        _timed(
            "re-import, 1 row in 10 changed",
            lambda: run(changed_book.getvalue()),
            results,
        )
        _timed(
            "export of the whole catalog to XLSX",
            lambda: f"{export_catalog(io.BytesIO())} procedures",
            results,
        )
    finally:
        mine.delete()
    print(f"Load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
