"""Catalog search through the real HTTP stack: gunicorn, Django, PostgreSQL.

    .venv/bin/python bench/bench_search.py [--requests 3000] [--concurrency 2]

Creates (if missing) and migrates the database ``motcua_bench``, loads 2,000
procedures (bench/catalog_data.py, through procedures.services.save_procedure,
so a second run writes nothing), starts gunicorn with two workers on a free
loopback port, sends a fixed number of requests from a few client threads and
prints, per kind of request, requests per second, p50/p95/p99 latency and the
CPU time the server spent per request (gunicorn workers and their PostgreSQL
backends, read from /proc). It stops gunicorn itself. Only 127.0.0.1 is ever
contacted.

The machine has 2 cores shared by the server, this client and anything else
running: latency grows with the load average (printed), while CPU time per
request hardly does, so it is the figure to compare between runs.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_desk import free_port, percentile, server_env, start_gunicorn  # noqa: E402  (shared helpers)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench"
HOST = "127.0.0.1"

# What citizens type: with and without diacritics, upper case, codes, one word.
QUERIES = [
    "đăng ký khai sinh",
    "dang ky khai sinh",
    "ĐĂNG KÝ KẾT HÔN",
    "giay phep xay dung",
    "chứng thực",
    "ho kinh doanh",
    "cap lai",
    "giấy chứng nhận quyền sử dụng đất",
    "tro cap",
    "1.00",
]
# As-you-type prefixes: short ones match most of the catalog (the worst case).
TYPING = ["d", "da", "dan", "dang", "dang k", "dang ky", "dang ky k", "dang ky kh"]
FILTERS = [
    {"level": "province"},
    {"field": "HT"},
    {"online": "full"},
    {"agency": "000.00.21.H56"},
    {"field": "DD", "online": "partial"},
]


def request_mix(n: int, codes: list[str], seed: int = 7) -> list[tuple[str, str, bool]]:
    """``n`` (kind, path, htmx) tuples in a fixed pseudo-random order."""
    rng = random.Random(seed)
    kinds = [
        ("search page", 3),
        ("search htmx", 4),
        ("typing htmx", 3),
        ("filters htmx", 2),
        ("filters page", 1),
        ("catalog page", 1),
        ("detail page", 1),
    ]
    population = [kind for kind, weight in kinds for _ in range(weight)]
    out = []
    for _ in range(n):
        kind = rng.choice(population)
        params: dict[str, str] = {}
        if kind.startswith("search"):
            params["q"] = rng.choice(QUERIES)
        elif kind.startswith("typing"):
            params["q"] = rng.choice(TYPING)
        elif kind.startswith("filters"):
            params = {"q": rng.choice(QUERIES[:6]), **rng.choice(FILTERS)}
        elif kind == "detail page":
            out.append((kind, f"/thu-tuc/{rng.choice(codes)}/", False))
            continue
        elif rng.random() < 0.5:
            params["page"] = str(rng.randint(1, 40))
        path = "/thu-tuc/" + ("?" + urlencode(params, quote_via=quote) if params else "")
        out.append((kind, path, kind.endswith("htmx")))
    return out


# ---------------------------------------------------------------- setup


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def load_catalog(env: dict[str, str], n: int) -> None:
    """Migrate and load ``n`` procedures in a child process with the bench environment."""
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    code = f"""
import django, time
django.setup()
from bench.catalog_data import ensure_agencies, generate_procedures
from procedures.models import Procedure
from procedures.services import save_procedure
ensure_agencies()
start = time.perf_counter()
outcomes = {{}}
for content in generate_procedures({n}):
    result = save_procedure(content=content, source="bench")
    outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
print(f"catalog: {{dict(outcomes)}} in {{time.perf_counter() - start:.1f}} s;",
      f"{{Procedure.objects.public().count()}} public of {{Procedure.objects.count()}}")
"""
    subprocess.run([python, "-c", code], cwd=ROOT, env=env, check=True)
    # Fresh statistics and no dead rows (other benchmarks share the database), as
    # autovacuum would leave a catalog that changes a few times a month.
    import psycopg

    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        for table in [
            "procedures_procedure",
            "procedures_procedure_agencies",
            "procedures_procedurevariant",
            "procedures_field",
            "procedures_agency",
        ]:
            conn.execute(f"VACUUM ANALYZE {table}")


def get(port: int, path: str, htmx: bool = False) -> tuple[int, int]:
    """One GET on a fresh connection (gunicorn's sync workers close after each)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Accept-Language": "vi", "Host": HOST}
    if htmx:
        headers["HX-Request"] = "true"
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, len(body)
    finally:
        conn.close()


def wait_ready(port: int, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if get(port, "/thu-tuc/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 30 s")


# ---------------------------------------------------------------- measuring

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pids: list[int]) -> float:
    """User + system CPU time of ``pids`` so far, in milliseconds (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * TICK_MS


def gunicorn_workers(master: int) -> list[int]:
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == master:
                workers.append(int(entry.name))
    return workers


def postgres_backends(database_url: str) -> list[int]:
    """The server processes serving the bench database (the workers' persistent connections)."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    return [pid for (pid,) in rows]


def run(port: int, mix: list[tuple[str, str, bool]], concurrency: int) -> tuple[list[float], float]:
    """Send every request of ``mix`` from ``concurrency`` threads; latencies in ms, wall time."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    position = iter(range(len(mix)))

    def worker() -> None:
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                return
            _kind, path, htmx = mix[i]
            start = time.perf_counter()
            status, _size = get(port, path, htmx)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status != 200:
                    errors.append(f"{status} {path}")
                latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return latencies, wall


def row(kind: str, values: list[float], wall: float, django_ms: float, pg_ms: float) -> str:
    n = len(values)
    return (
        f"| {kind} | {n} | {n / wall:.0f} | {statistics.median(values):.1f} | "
        f"{percentile(values, 95):.1f} | {percentile(values, 99):.1f} | {max(values):.1f} | "
        f"{django_ms / n:.1f} | {pg_ms / n:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the benchmark runs on PostgreSQL")

    var_dir = tempfile.mkdtemp(prefix="motcua-bench-")
    env = server_env(args.database_url, var_dir)
    ensure_database(args.database_url)
    load_catalog(env, args.procedures)

    from bench.catalog_data import generate_procedures

    codes = [p["code"] for p in generate_procedures(args.procedures) if p["status"] != "abolished"]
    mix = request_mix(args.requests, codes)
    kinds = sorted({kind for kind, _path, _htmx in mix})
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    lines = []
    every: list[float] = []
    total_wall = total_django = total_pg = 0.0
    try:
        wait_ready(port)
        run(port, request_mix(args.warmup, codes, seed=1), args.concurrency)
        workers = gunicorn_workers(server.pid)
        backends = postgres_backends(args.database_url)
        load_before = os.getloadavg()[0]
        # One kind at a time, so that the server's CPU time can be split by kind.
        for kind in kinds:
            batch = [item for item in mix if item[0] == kind]
            django_before, pg_before = cpu_ms(workers), cpu_ms(backends)
            latencies, wall = run(port, batch, args.concurrency)
            django_ms = cpu_ms(workers) - django_before
            pg_ms = cpu_ms(backends) - pg_before
            lines.append(row(kind, latencies, wall, django_ms, pg_ms))
            every += latencies
            total_wall += wall
            total_django += django_ms
            total_pg += pg_ms
        load_after = os.getloadavg()[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)

    print(
        f"{time.strftime('%Y-%m-%d')} · {platform.node()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · gunicorn -w {args.workers} · "
        f"{args.procedures} procedures · {args.concurrency} client threads · "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(
        f"{len(every)} requests in {total_wall:.1f} s: {len(every) / total_wall:.0f} requests/s\n"
    )
    print(
        "| requests | n | req/s | p50 ms | p95 ms | p99 ms | max ms "
        "| Django CPU ms/req | PostgreSQL CPU ms/req |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(lines))
    print(row("all", every, total_wall, total_django, total_pg))


if __name__ == "__main__":
    main()
