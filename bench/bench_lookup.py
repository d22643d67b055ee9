"""The public lookup (/tra-cuu/?ma=CODE&khoa=KEY) on the million-dossier province,
through gunicorn, against a bare Django view that renders a small template on the
same server settings, measured in the same run.

    .venv/bin/python bench/bench_lookup.py [--requests 3000] [--rounds 3]

Two kinds of lookup: a first visit (each request a dossier not looked up before in
the run, so its page is read from the database and rendered, then kept in Redis)
and a repeat visit (dossiers already looked up once: the page comes from Redis,
surveys/lookup_cache.py). The Redis database of the run is emptied at the start.

Targets (issue #5): lookup p99 under 30 ms, and at least 70% of the bare view's
requests per second.

The data set is bench/generate_province.py's ``motcua_bench_million``, which this
benchmark never writes to: ``--prepare`` (run once, or whenever it is missing)
copies it to ``motcua_bench_citizens`` with CREATE DATABASE ... TEMPLATE (a file
copy, needs no other session on the source) and migrates the copy so that it has
the surveys tables. Lookups go to random dossiers in every state (96% are
returned, as in a real year's data), each with its right key, with the real
per-client throttle on Redis (its limits raised so that one client address can
send thousands of requests; the counting still runs on every request).

gunicorn -w 2 (sync workers), DEBUG=false, PostgreSQL, Redis cache; the client is
a few threads of http.client on the same 2-core machine (bench/bench_desk.py's
helpers), so compare the two rows of one run, not absolute figures across runs.
Only 127.0.0.1 is contacted; gunicorn is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_desk import (  # noqa: E402  (after the path)
    cpu_used,
    django_setup,
    free_port,
    get,
    percentile,
    process_cpu,
    run,
    server_env,
    server_pids,
    start_gunicorn,
)

SOURCE = "motcua_bench_million"
TARGET = "motcua_bench_citizens"
SERVER = "postgres://postgres@127.0.0.1:5432"


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{SERVER}/{database}", "-Atc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def prepare() -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{TARGET}'")
    if not exists:
        print(f"copying {SOURCE} to {TARGET} ...", flush=True)
        psql(f'CREATE DATABASE "{TARGET}" TEMPLATE "{SOURCE}"')
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{TARGET}"}
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "surveys", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def sample(n: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(code, key, state) of ``n`` dossiers at random ids over the whole table, so
    that every state appears in its real share (no full scan)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM desk_dossier")
        low, high = cursor.fetchone()
        ids = [rng.randint(low, high) for _ in range(n)]
        cursor.execute("SELECT code, lookup_key, state FROM desk_dossier WHERE id = ANY(%s)", [ids])
        return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help=f"copy {SOURCE} and migrate")
    parser.add_argument("--requests", type=int, default=3000, help="per kind and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if args.prepare:
        prepare()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    env = server_env(
        f"{SERVER}/{TARGET}",
        tempfile.mkdtemp(prefix="motcua-bench-lookup-"),
        CACHE_URL=args.cache_url,
        CACHE_KEY_PREFIX="bench-lookup",
        LOOKUP_RATE=str(10**9),
        LOOKUP_FAILURES=str(10**9),
        DJANGO_SETTINGS_MODULE="bench.lookup_site",
    )
    django_setup(env)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass('surveys_rating') IS NOT NULL, count(*) FROM desk_dossier"
        )
        ready, total = cursor.fetchone()
    if not ready:
        raise SystemExit(f"run with --prepare first ({TARGET} lacks the surveys tables)")
    rng = random.Random(args.seed)
    first_visits = args.warmup + args.rounds * args.requests
    pool = sample(int(first_visits * 1.1) + 2000, rng)
    rng.shuffle(pool)
    fresh = iter(pool[2000:])  # each looked up once, in the first-visit rounds
    dossiers = pool[:2000]  # looked up once in the warm-up, then again and again
    states: dict[int, int] = {}
    for _code, _key, state in pool:
        states[state] = states.get(state, 0) + 1
    import redis

    redis.Redis.from_url(args.cache_url).flushdb()

    def url(code: str, key: str) -> str:
        return f"/tra-cuu/?ma={code}&khoa={key}"

    def firsts(n: int) -> list[tuple[str, str, str, bool]]:
        picks = [next(fresh) for _ in range(n)]
        return [("lookup-first", url(c, k), "", False) for c, k, _s in picks]

    def repeats(n: int) -> list[tuple[str, str, str, bool]]:
        picks = [rng.choice(dossiers) for _ in range(n)]
        return [("lookup-repeat", url(c, k), "", False) for c, k, _s in picks]

    def bares(n: int) -> list[tuple[str, str, str, bool]]:
        return [("bare", "/bench/bare/", "", False)] * n

    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(port, "/bench/bare/", "")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s")
            time.sleep(0.3)
        status, body = get(port, firsts(1)[0][1], "")
        if status != 200 or "data-state" not in body:
            raise SystemExit(f"the lookup answered {status}")
        warm = [("lookup-first", url(c, k), "", False) for c, k, _s in dossiers]
        run(port, bares(args.warmup) + firsts(args.warmup - 1) + warm, args.concurrency)

        kinds = {"bare": bares, "lookup-first": firsts, "lookup-repeat": repeats}
        latencies: dict[str, list[float]] = {kind: [] for kind in kinds}
        walls: dict[str, float] = dict.fromkeys(kinds, 0.0)
        cpu: dict[str, list[float]] = {kind: [0.0, 0.0] for kind in kinds}
        pids, backends = server_pids(server.pid)
        for _round in range(args.rounds):
            for kind, make in kinds.items():
                before = process_cpu(pids), process_cpu(backends)
                results, wall = run(port, make(args.requests), args.concurrency)
                after = process_cpu(pids), process_cpu(backends)
                latencies[kind] += results[kind]
                walls[kind] += wall
                cpu[kind][0] += cpu_used(before[0], after[0])
                cpu[kind][1] += cpu_used(before[1], after[1])
                pids, backends = server_pids(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    rps = {kind: len(latencies[kind]) / walls[kind] for kind in latencies}
    load = os.getloadavg()
    lines = [
        f"Dossiers: {total:,}; sampled {len(pool)} in states "
        + ", ".join(f"{s}: {n}" for s, n in sorted(states.items())),
        f"{args.rounds} rounds of {args.requests} requests per kind, {args.concurrency} client "
        f"threads, gunicorn -w {args.workers}; load average before the end: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "",
        "| page | n | requests/s | p50 ms | p95 ms | p99 ms | max ms | Django CPU ms/req | PostgreSQL CPU ms/req |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in kinds:
        values = latencies[kind]
        lines.append(
            f"| {kind} | {len(values)} | {rps[kind]:.0f} | {statistics.median(values):.1f} | "
            f"{percentile(values, 95):.1f} | {percentile(values, 99):.1f} | {max(values):.1f} | "
            f"{cpu[kind][0] * 1000 / len(values):.2f} | {cpu[kind][1] * 1000 / len(values):.2f} |"
        )
    lines.append("")
    for kind in ("lookup-first", "lookup-repeat"):
        ratio = rps[kind] / rps["bare"]
        p99 = percentile(latencies[kind], 99)
        lines.append(
            f"{kind}: p99 {p99:.1f} ms (target < 30 ms: {'met' if p99 < 30 else 'NOT met'}); "
            f"requests/s = {ratio:.1%} of the bare view's "
            f"(target ≥ 70%: {'met' if ratio >= 0.7 else 'NOT met'})."
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
