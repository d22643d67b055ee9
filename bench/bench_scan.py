"""The clock scan (desk/alerts/ ``scan_clocks``) over a million open dossiers.

    .venv/bin/python bench/bench_scan.py                  # builds motcua_bench_scan once, then times
    .venv/bin/python bench/bench_scan.py --reset --explain

Issue #4: the scan's cost must grow with the dossiers crossing a threshold, not with
the open ones. Two one-minute scans (the beat period) over the same million open
dossiers, on Tuesday 10 March 2026 (a working day, away from any opening time):

* ``crossing``: (10:29, 10:30], through which ``--crossing`` dossiers (1,000) cross a
  threshold, a quarter each: due (overdue), one working day before due (due soon),
  two working days before due (apology drafted: form 04 written, one per dossier),
  and a step deadline ending before the dossier's (step due soon). Target < 2 s.
* ``none``: (09:59, 10:00], through which nothing crosses. Target < 0.2 s.

Each run is one ``scan_clocks(now=...)`` inside a transaction rolled back afterwards,
so every run sees the same data (and the Celery enqueue after commit never fires).
Printed: min / median / max wall time over ``--repeat`` runs, the queries, and what
the scan found. ``--explain`` adds EXPLAIN (ANALYZE, BUFFERS) of every SELECT of
one run of each case.

The data: the demo province (procedures.demo.load: 32 agencies, the catalog), one
officer and one unit head per agency with an email, the calendar seeded; then the
open dossiers in one INSERT ... SELECT generate_series (about a minute), with due
times spread over the 30 days before and 60 days after the scan, states 2/4/5/6/7
(5, a paused dossier, has ``paused_at``), a tenth with a step deadline a day before
the dossier's. Background dossiers never fall inside the two scans' threshold
bands, so the crossing set is exactly ``--crossing``. A database that already has
the right number of dossiers is reused; ``--reset`` rebuilds it. It uses its own
database (DATABASE_URL, default ``motcua_bench_scan``), never motcua_bench_million.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/motcua_bench_scan")
os.environ.setdefault("MOTCUA_VAR_DIR", str(ROOT / "var" / "bench-scan"))
os.environ.setdefault("LOG_LEVEL", "WARNING")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if name == "motcua_bench_million":
        raise SystemExit("motcua_bench_million belongs to the desk benchmarks: use another name")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            say(f"created database {name}")


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="open dossiers")
    parser.add_argument("--crossing", type=int, default=1000, help="crossing in one scan")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reset", action="store_true", help="rebuild the dossiers")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the queries")
    args = parser.parse_args()
    if args.crossing % 4 or args.crossing > args.dossiers:
        raise SystemExit("--crossing must be a multiple of 4 and at most --dossiers")

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from desk import alerts
    from desk.calendar_seed import seed_calendar
    from desk.clock import DUE_SOON_WORKING_DAYS
    from desk.deadlines import WorkCalendar, WorkingHours, add_working_time
    from desk.models import Dossier, ScanMark
    from procedures import demo
    from procedures.models import Agency, Procedure, User

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("the benchmark fills PostgreSQL with SQL: set DATABASE_URL")
    say(f"database {settings.DATABASES['default']['NAME']}: migrate")
    call_command("migrate", verbosity=0)
    seed_calendar(range(2025, 2028))

    class Out:
        def write(self, text: str) -> None:
            pass

    demo.load(Out())

    tz = timezone.get_default_timezone()
    hours = WorkingHours()
    calendar = WorkCalendar.from_database()
    lead_soon = DUE_SOON_WORKING_DAYS * hours.day_seconds // 3600  # desk/clock.py
    lead_draft = getattr(settings, "ALERT_APOLOGY_DRAFT_HOURS", 16)
    scans = {
        "none": dt.datetime(2026, 3, 10, 10, 0, tzinfo=tz),
        "crossing": dt.datetime(2026, 3, 10, 10, 30, tzinfo=tz),
    }
    period = dt.timedelta(minutes=1)

    def band(now: dt.datetime, lead: int) -> tuple[dt.datetime, dt.datetime]:
        """The due times crossing ``lead`` working hours before due in (now - 1', now]."""
        if not lead:
            return now - period, now
        return (
            add_working_time(now - period, lead, hours=hours, calendar=calendar),
            add_working_time(now, lead, hours=hours, calendar=calendar),
        )

    # Staff: an officer (the holder) and a unit head per agency, with addresses.
    agencies = list(Agency.objects.exclude(parent=None).order_by("pk"))
    holders = []
    for agency in agencies:
        for role in ("officer", "unit_head"):
            user, _ = User.objects.get_or_create(
                username=f"bench.{role}.{agency.pk}",
                defaults={
                    "agency": agency,
                    f"is_{role}": True,
                    "first_name": "Văn",
                    "last_name": f"Nguyễn {agency.pk}",
                    "email": f"{role}.{agency.pk}@bench.example.vn",
                },
            )
            if role == "officer":
                holders.append(user.pk)
    procedure = Procedure.objects.order_by("pk").first()

    bands = {
        "overdue": band(scans["crossing"], 0),
        "due_soon": band(scans["crossing"], lead_soon),
        "draft": band(scans["crossing"], lead_draft),
    }
    # Both scans' bands, widened: background due times (and step deadlines) keep out.
    avoid = []
    for now in scans.values():
        for lead in (0, lead_soon, lead_draft):
            lo, hi = band(now, lead)
            avoid.append((lo - dt.timedelta(minutes=5), hi + dt.timedelta(minutes=5)))

    if args.reset or Dossier.objects.count() != args.dossiers:
        fill(args, connection, agencies, holders, procedure.pk, scans["none"], bands, avoid)
    else:
        say(f"reusing the {args.dossiers:,} dossiers already there (--reset to rebuild)")

    open_count = Dossier.objects.open().count()
    say(f"{open_count:,} open dossiers")

    def one_scan(now: dt.datetime, *, explain: bool = False):
        statements: list[str] = []

        def record(execute, sql, params, many, context):
            statements.append(context["cursor"].mogrify(sql, params) if params else sql)
            return execute(sql, params, many, context)

        try:
            with transaction.atomic():
                ScanMark.objects.update_or_create(
                    name=alerts.CLOCK_SCAN, defaults={"scanned_until": now - period}
                )
                with connection.execute_wrapper(record):
                    started = time.perf_counter()
                    result = alerts.scan_clocks(now=now)
                    elapsed = time.perf_counter() - started
                if explain:
                    explain_queries(connection, statements)
                raise Rollback
        except Rollback:
            pass
        return elapsed, result, len(statements)

    rows = []
    for name in ("none", "crossing"):
        now = scans[name]
        one_scan(now)  # warm-up: caches, the calendar, the plans
        times, result, query_count = [], None, 0
        for _ in range(args.repeat):
            elapsed, result, query_count = one_scan(now)
            times.append(elapsed)
        target = 0.2 if name == "none" else 2.0
        rows.append(
            (
                name,
                f"{timezone.localtime(now - period):%H:%M}-{timezone.localtime(now):%H:%M}",
                result.alerts,
                result.drafts,
                result.notifications,
                query_count,
                min(times),
                statistics.median(times),
                max(times),
                target,
            )
        )
        if args.explain:
            print(f"\n## EXPLAIN ANALYZE, scan '{name}'\n")
            one_scan(now, explain=True)

    load = os.getloadavg()
    print(
        f"\n{open_count:,} open dossiers; {args.repeat} runs each after a warm-up; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"PostgreSQL {connection.cursor().connection.info.server_version}\n"
    )
    print(
        "| scan | window | alerts | drafts | notifications | queries | min s | median s "
        "| max s | target s |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        name, window, n_alerts, drafts, notes, queries, lo, med, hi, target = row
        print(
            f"| {name} | {window} | {n_alerts} | {drafts} | {notes} | {queries} "
            f"| {lo:.3f} | {med:.3f} | {hi:.3f} | {target} |"
        )


def fill(args, connection, agencies, holders, procedure_id, base, bands, avoid) -> None:
    """The open dossiers in one INSERT ... SELECT (ids 1..crossing cross the scan)."""
    from django.db import transaction

    say(f"filling {args.dossiers:,} open dossiers")
    started = time.perf_counter()
    quarter = args.crossing // 4
    params = {
        "n": args.dossiers,
        "crossing": args.crossing,
        "quarter": quarter,
        "agencies": [a.pk for a in agencies],
        "holders": holders,
        "procedure": procedure_id,
        "base": base,
        "over_lo": bands["overdue"][0],
        "over_hi": bands["overdue"][1],
        "soon_lo": bands["due_soon"][0],
        "soon_hi": bands["due_soon"][1],
        "draft_lo": bands["draft"][0],
        "draft_hi": bands["draft"][1],
    }
    # A crossing dossier's moment: inside its band, strictly after its start.
    inside = "{lo} + ((({hi}) - ({lo})) * ((g - 1) %% %(quarter)s + 1) / %(quarter)s)"
    due = (
        "CASE WHEN g > %(crossing)s THEN %(base)s + (random() * 90 - 30) * interval '1 day' "
        "WHEN g %% 4 = 0 THEN " + inside.format(lo="%(over_lo)s", hi="%(over_hi)s") + " "
        "WHEN g %% 4 = 1 THEN " + inside.format(lo="%(soon_lo)s", hi="%(soon_hi)s") + " "
        "WHEN g %% 4 = 2 THEN " + inside.format(lo="%(draft_lo)s", hi="%(draft_hi)s") + " "
        "ELSE " + inside.format(lo="%(soon_lo)s", hi="%(soon_hi)s") + " + interval '3 days' END"
    )
    step = (
        "CASE WHEN g <= %(crossing)s AND g %% 4 = 3 THEN due - interval '3 days' "
        "WHEN g > %(crossing)s AND g %% 10 = 0 THEN due - interval '1 day' ELSE due END"
    )
    state = (
        "CASE WHEN g <= %(crossing)s THEN 4 WHEN g %% 20 = 0 THEN 5 WHEN g %% 20 = 1 THEN 2 "
        "WHEN g %% 50 = 2 THEN 6 WHEN g %% 100 = 3 THEN 7 ELSE 4 END"
    )
    sql = f"""
        INSERT INTO desk_dossier (
            code, lookup_key, current_step_due_at, channel, state, summary, sets_count,
            applicant_name, applicant_id_number, applicant_address, applicant_phone,
            applicant_email, filer_name, filer_id_number, filer_phone, filer_address,
            power_of_attorney, applicant_folded, received_at, due_at, original_due_at,
            paused_at, timeliness, supplement_count, extended, refusal_reason,
            intake_guidance, result_number, result_signer, result_summary, delivery,
            fee_amount, version, created_at, updated_at, current_agency_id,
            current_holder_id, procedure_id, received_by_id, receiving_agency_id
        )
        SELECT 'BENCH-' || lpad(g::text, 8, '0'), upper(substr(md5(g::text), 1, 16)),
            {step}, 'desk', st, '', 1,
            'Nguyễn Văn ' || g, lpad((79200000000 + g)::text, 12, '0'), '', '', '', '', '',
            '', '', '', 'nguyen van ' || g, due - interval '7 days', due, due,
            CASE WHEN st = 5 THEN due - interval '5 days' END, '', 0, false, '', '', '', '',
            '', 'desk', 0, 1, now(), now(),
            (%(agencies)s::bigint[])[1 + g %% cardinality(%(agencies)s::bigint[])],
            (%(holders)s::bigint[])[1 + g %% cardinality(%(holders)s::bigint[])],
            %(procedure)s, NULL,
            (%(agencies)s::bigint[])[1 + g %% cardinality(%(agencies)s::bigint[])]
        FROM (
            SELECT g, {due} AS due, {state} AS st FROM generate_series(1, %(n)s) AS g
        ) AS rows
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE desk_alert, desk_notification, desk_notification_alerts, "
            "desk_deliveryattempt, desk_apologyletter, desk_dossier RESTART IDENTITY CASCADE"
        )
        cursor.execute(sql, params)
        # Keep the background out of both scans' bands (the crossing ids are 1..crossing).
        lows = [lo for lo, _hi in avoid]
        highs = [hi for _lo, hi in avoid]
        cursor.execute(
            """
            UPDATE desk_dossier SET due_at = due_at + interval '1 hour',
                original_due_at = original_due_at + interval '1 hour',
                current_step_due_at = current_step_due_at + interval '1 hour'
            WHERE id > %s AND EXISTS (
                SELECT 1 FROM unnest(%s::timestamptz[], %s::timestamptz[]) AS b(lo, hi)
                WHERE (due_at >= b.lo AND due_at < b.hi)
                   OR (current_step_due_at >= b.lo AND current_step_due_at < b.hi)
            )
            """,
            [args.crossing, lows, highs],
        )
        say(f"moved {cursor.rowcount:,} background dossiers out of the scans' bands")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE desk_dossier")
    say(f"filled in {time.perf_counter() - started:.0f} s")


def explain_queries(connection, captured: list[str]) -> None:
    """EXPLAIN ANALYZE each kind of SELECT the scan ran (inside the same transaction)."""
    seen: set[str] = set()
    with connection.cursor() as cursor:
        for sql in captured:
            if not sql.lstrip().upper().startswith("SELECT") or "FOR UPDATE" in sql.upper():
                continue
            shape = sql[:120]  # the same query for another dossier or person: shown once
            if shape in seen:
                continue
            seen.add(shape)
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
            print(f"- {sql[:160]}{'...' if len(sql) > 160 else ''}")
            for line in plan:
                if "Execution Time" in line or "Scan" in line or "Buffers" in line[:20]:
                    print(f"    {line.strip()}")


if __name__ == "__main__":
    main()
