"""The leaders' dashboard on the million-dossier province (bench/generate_province.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_million \\
        .venv/bin/python bench/bench_dashboard.py [--requests 1000] [--concurrency 1]

Through gunicorn -w 2 (DEBUG=false, PostgreSQL), signed in as the provincial leader
("lanhdaotinh": every agency) and a ward leader ("lanhdaoxa"):

* the dashboard page for the whole province over the last twelve months (full page
  and htmx body), a past quarter, a past month, the ward's twelve months;
* the lists behind two numbers (overdue now, received in a past month) and the
  per-procedure processing-time panel;

with p50/p95/p99 latency, Django and PostgreSQL CPU per request and SQL queries per
page (in-process). Then the cost of keeping the figures current: intakes per second
through ``services.receive_dossier`` with the figures' upsert, and the same with it
switched off in this process only (the comparison, not a setting of the product);
and the time ``stats.rebuild`` takes over the whole data set. The test intakes are
deleted and the day's figures put back, so the data set stays as generated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_desk as desk_bench  # noqa: E402  (the shared HTTP, CPU and table helpers)

PEOPLE = {"province": "lanhdaotinh", "ward": "lanhdaoxa"}


def page(path: str, **params: str) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def scenarios(today: dt.date, province_id: int) -> list[tuple[str, str, str, bool]]:
    last_quarter = (today.month - 1) // 3 or 4
    quarter_year = today.year if (today.month - 1) // 3 else today.year - 1
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%m/%Y")
    return [
        ("province, 12 months", page("/bang-dieu-khien/"), "province", False),
        ("province, 12 months (htmx)", page("/bang-dieu-khien/"), "province", True),
        (
            "province, last quarter",
            page(
                "/bang-dieu-khien/",
                period="quarter",
                quarter=str(last_quarter),
                year=str(quarter_year),
            ),
            "province",
            False,
        ),
        (
            "province, last month",
            page("/bang-dieu-khien/", period="month", month=last_month),
            "province",
            False,
        ),
        ("ward, 12 months", page("/bang-dieu-khien/"), "ward", False),
        (
            "list: overdue now, province",
            page("/bang-dieu-khien/ho-so/", figure="overdue"),
            "province",
            False,
        ),
        (
            "list: received last month, province",
            page("/bang-dieu-khien/ho-so/", figure="received", period="month", month=last_month),
            "province",
            False,
        ),
        (
            "panel: time per procedure, province",
            page("/bang-dieu-khien/thu-tuc/"),
            "province",
            True,
        ),
    ]


def intake_cost(n: int) -> str:
    """Intakes per second with and without the figures' upsert, alternated twice so
    that a change in the machine's load does not favour one side."""
    from desk import stats

    saved = stats.received
    lines = []
    for round_ in (1, 2):
        for label, switched_off in (("with the figures kept current", False), ("upsert off", True)):
            if switched_off:
                stats.received = lambda *args, **kwargs: None
            try:
                result = desk_bench.intake_throughput(n)
            finally:
                stats.received = saved
            lines.append(f"- round {round_}, {label}: {result.split('= ')[1].split(';')[0]})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", desk_bench.DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--requests", type=int, default=1000, help="per scenario")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--intakes", type=int, default=500)
    parser.add_argument("--rebuild", action="store_true", help="also time stats.rebuild()")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    var_dir = tempfile.mkdtemp(prefix="motcua-bench-")
    env = desk_bench.server_env(args.database_url, var_dir)
    desk_bench.django_setup(env)
    from django.utils import timezone

    from desk.models import AgencyDayStats, Dossier
    from procedures.models import User

    total = Dossier.objects.count()
    if not AgencyDayStats.objects.exists():
        raise SystemExit("no dashboard figures: run bench/generate_province.py (or rebuild_stats)")
    cookies = {who: desk_bench.session_cookie(name) for who, name in PEOPLE.items()}
    province = User.objects.get(username=PEOPLE["province"]).agency_id
    kinds = scenarios(timezone.localdate(), province)
    queries = desk_bench.queries_per_page(
        {kind: (PEOPLE[who], path, htmx) for kind, path, who, htmx in kinds}
    )

    rng = random.Random(11)
    requests = [
        (kind, path, cookies[who], htmx)
        for i in range(args.requests)
        for kind, path, who, htmx in [kinds[i % len(kinds)]]
    ]
    rng.shuffle(requests)
    port = desk_bench.free_port()
    server = desk_bench.start_gunicorn(env, port, args.workers)
    out = []
    try:
        desk_bench.wait_ready(port, cookies["province"])
        desk_bench.run(port, requests[: args.warmup], args.concurrency)
        workers, backends = desk_bench.server_pids(server.pid)
        before = desk_bench.process_cpu(workers), desk_bench.process_cpu(backends)
        results, wall = desk_bench.run(port, requests, args.concurrency)
        workers_after, backends_after = desk_bench.server_pids(server.pid)
        cpu = (
            desk_bench.cpu_used(before[0], desk_bench.process_cpu(workers_after)),
            desk_bench.cpu_used(
                before[1], desk_bench.process_cpu(sorted({*backends, *backends_after}))
            ),
        )
        out.append(desk_bench.table("Dashboard", results, wall, queries, cpu))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    out.append("")
    out.append(f"**Keeping the figures current** ({args.intakes} intakes each, in-process):")
    out.append(intake_cost(args.intakes))
    if args.rebuild:
        from desk import stats

        started = time.perf_counter()
        counts = stats.rebuild()
        out.append(
            f"- `stats.rebuild()` over all {total:,} dossiers: "
            f"{time.perf_counter() - started:.1f} s ({counts['days']:,} agency-days, "
            f"{counts['procedure_months']:,} procedure-months)"
        )
    print(desk_bench.run_header(args.workers, args.concurrency, total))
    print("\n".join(out))


if __name__ == "__main__":
    main()
