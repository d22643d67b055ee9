"""Desk benchmarks on the million-dossier province (bench/generate_province.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_million \\
        .venv/bin/python bench/bench_desk.py [--requests 2000] [--concurrency 2]

Through the real HTTP stack (gunicorn -w 2, DEBUG=false, PostgreSQL), signed in
with session cookies made here for two people: the demo clerk of the busiest
ward ("canbo", Phường Nha Trang, ~117,000 dossiers) and the provincial leader
("lanhdaotinh", every agency):

* work queues: every tab's first page (full page and htmx partial), a page 50
  deep reached by following "Trang sau" links, and searches (code, 12-digit
  identification number, names with and without diacritics);
* the dossier page;
* the receipt (form 01) rendered to PDF by WeasyPrint, through the same server;

each with p50/p95/p99 latency and requests per second from a bounded number of
requests sent by a few client threads (http.client). In-process, with Django's
CaptureQueriesContext: SQL queries per queue page (first, deep, search, both
people) and intake throughput (``services.receive_dossier`` N times, committed,
then deleted again so the data set stays as generated).

Only 127.0.0.1 is contacted; gunicorn is stopped at the end. The machine has 2
cores shared by the server, PostgreSQL and this client: read the figures as an
upper bound on latency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_million"
HOST = "127.0.0.1"
QUEUE = "/ho-so/"
TABS = ["mine", "unit", "due_soon", "overdue", "supplement", "ready", "registered", "all"]
PEOPLE = {"clerk": "canbo", "leader": "lanhdaotinh"}
NAMES = ["nguyen van an", "Trần Thị", "le van", "pham minh", "HUỲNH", "vo thi thu", "lam"]
NEXT_LINK = re.compile(r'rel="next" href="([^"]+)"')


# ---------------------------------------------------------------- setup (in-process Django)


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def session_cookie(username: str) -> str:
    """A signed-in session for ``username``, as the login view would create it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from procedures.models import User

    user = User.objects.get(username=username)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def search_terms(rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs: codes and ID numbers of the clerk's desk, names."""
    from desk.models import Dossier
    from procedures.models import User

    clerk = User.objects.get(username=PEOPLE["clerk"])
    sample = list(
        Dossier.objects.visible_to(clerk)
        .filter(received_at__isnull=False)
        .order_by("-received_at")
        .values_list("code", "applicant_id_number")[:20000:400]
    )
    terms = [("code", code) for code, _ in sample] + [("id number", idn) for _, idn in sample]
    terms += [("name", name) for name in NAMES]
    rng.shuffle(terms)
    return terms


def dossier_codes(username: str, n: int, *, received: bool = False) -> list[str]:
    from desk.models import Dossier
    from procedures.models import User

    user = User.objects.get(username=username)
    dossiers = Dossier.objects.visible_to(user)
    if received:  # a receipt exists only for a dossier the desk received
        dossiers = dossiers.filter(received_at__isnull=False)
    return list(dossiers.order_by("-received_at").values_list("code", flat=True)[: n * 50 : 50])


# ---------------------------------------------------------------- HTTP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(database_url: str, var_dir: str, **extra: str) -> dict[str, str]:
    """The environment of a benchmark's gunicorn: production settings on the given
    database, each worker keeping its connection for the whole run (so that the CPU
    of its PostgreSQL backend can be read from /proc before and after a scenario)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "MOTCUA_VAR_DIR": var_dir,
        "LOG_LEVEL": "WARNING",
        "DB_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def run_header(workers: int, concurrency: int, total: int) -> str:
    """The first line of a report: when, where, how loaded, what was measured."""
    return (
        f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.node()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · gunicorn -w {workers} · "
        f"{concurrency} client threads · {total:,} dossiers · "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin")) or "gunicorn"
    return subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def get(port: int, path: str, cookie: str, htmx: bool = False) -> tuple[int, str]:
    """One GET on a fresh connection (gunicorn's sync workers close after each)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Accept-Language": "vi", "Host": HOST, "Cookie": cookie}
    if htmx:
        headers["HX-Request"] = "true"
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def wait_ready(port: int, cookie: str, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            if get(port, QUEUE, cookie)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def walk(port: int, cookie: str, path: str, pages: int) -> tuple[list[str], list[float]]:
    """Follow "Trang sau" from ``path``: the URL and latency of each page."""
    urls, times = [path], []
    while True:
        start = time.perf_counter()
        status, body = get(port, urls[-1], cookie)
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{status} on {urls[-1]}")
        match = NEXT_LINK.search(body)
        if len(urls) >= pages or not match:
            return urls, times
        urls.append(unescape(match.group(1)))


def url(**params: str) -> str:
    return QUEUE + "?" + urlencode(params, quote_via=quote)


def run(port: int, requests: list[tuple[str, str, str, bool]], concurrency: int):
    """Send (kind, path, cookie, htmx) requests from ``concurrency`` threads."""
    results: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    position = iter(range(len(requests)))

    def worker() -> None:
        while True:
            with lock:
                i = next(position, None)
            if i is None:
                return
            kind, path, cookie, htmx = requests[i]
            start = time.perf_counter()
            status, _body = get(port, path, cookie, htmx)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status != 200:
                    errors.append(f"{status} {path}")
                results.setdefault(kind, []).append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return results, wall


def process_cpu(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds used so far by each of ``pids`` (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings; a process that ended in between is lost."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def server_pids(master: int) -> tuple[list[int], list[int]]:
    """gunicorn's processes, and the PostgreSQL backends of this database."""
    from django.db import connection

    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        backends = [row[0] for row in cursor.fetchall()]
    return [master, *map(int, children)], backends


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def table(
    title: str,
    results: dict[str, list[float]],
    wall: float,
    queries: dict[str, int],
    cpu: tuple[float, float],
) -> str:
    every = [v for values in results.values() for v in values]
    lines = [
        f"**{title}**: {len(every)} requests in {wall:.1f} s, {len(every) / wall:.0f} "
        f"requests/s; CPU per request: Django {cpu[0] * 1000 / len(every):.1f} ms, "
        f"PostgreSQL {cpu[1] * 1000 / len(every):.1f} ms",
        "",
        "| requests | n | p50 ms | p95 ms | p99 ms | max ms | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, values in [*sorted(results.items()), ("all of the above", every)]:
        lines.append(
            f"| {kind} | {len(values)} | {statistics.median(values):.1f} | "
            f"{percentile(values, 95):.1f} | {percentile(values, 99):.1f} | {max(values):.1f} | "
            f"{queries.get(kind, '')} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- in-process measures


def queries_per_page(paths: dict[str, tuple[str, str, bool]]) -> dict[str, int]:
    """SQL queries of one request per kind, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from procedures.models import User

    counts = {}
    clients: dict[str, Client] = {}
    for kind, (username, path, htmx) in paths.items():
        if username not in clients:
            clients[username] = Client(HTTP_HOST=HOST)
            clients[username].force_login(User.objects.get(username=username))
        with CaptureQueriesContext(connection) as captured:
            response = clients[username].get(path, headers={"HX-Request": "true"} if htmx else {})
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} for {path}")
        counts[kind] = len(captured)
    return counts


def intake_throughput(n: int) -> str:
    """``n`` intakes through the real service at the clerk's desk (no PDF), each
    its own transaction as in the view; the dossiers are deleted afterwards."""
    from desk.models import Dossier
    from desk.services import ApplicantData, ReceivedDocument, receive_dossier
    from procedures.models import ProcedureLevel, User

    clerk = User.objects.select_related("agency").get(username=PEOPLE["clerk"])
    procedure = (
        clerk.agency.procedures.filter(level=ProcedureLevel.COMMUNE)
        .exclude(variants=None)
        .prefetch_related("documents")
        .first()
    )
    if procedure is None:
        from procedures.models import Procedure

        procedure = (
            Procedure.objects.filter(level=ProcedureLevel.COMMUNE).exclude(variants=None).first()
        )
    documents = [ReceivedDocument(name=d.name, originals=1) for d in procedure.documents.all()] or [
        ReceivedDocument(name="Đơn đề nghị", originals=1)
    ]
    from desk.models import AgencyDayStats

    # The services add each intake to the dashboard's figures; the row is put back
    # as it was with the test dossiers, so the data set stays as generated.
    kept = list(AgencyDayStats.objects.filter(agency=clerk.agency).order_by("-day")[:3])
    kept_days = [row.day for row in kept]
    created = []
    start = time.perf_counter()
    for i in range(n):
        dossier = receive_dossier(
            agency=clerk.agency,
            procedure=procedure,
            variant=None,
            applicant=ApplicantData(
                name="Nguyễn Thị Thử Nghiệm",
                id_number=f"056{300000000 + i:09d}",
                phone="0912345678",
                address="Số 1 Trần Phú, phường Nha Trang",
            ),
            documents=documents,
            received_by=clerk,
        )
        created.append(dossier.pk)
    elapsed = time.perf_counter() - start
    Dossier.objects.filter(pk__in=created).delete()
    AgencyDayStats.objects.filter(agency=clerk.agency).exclude(day__in=kept_days).filter(
        day__gte=min(kept_days, default=dt.date.min)
    ).delete()
    AgencyDayStats.objects.bulk_update(kept, ["received", "received_online", "received_digitised"])
    return (
        f"**Intake** (in-process, `services.receive_dossier`, no PDF): {n} intakes in "
        f"{elapsed:.1f} s = **{n / elapsed:.0f} intakes/s** ({elapsed / n * 1000:.1f} ms each; "
        f"procedure {procedure.code}, {len(documents)} documents; the test dossiers were deleted)"
    )


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--requests", type=int, default=2000, help="per scenario")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--depth", type=int, default=50, help="pages followed for deep pages")
    parser.add_argument("--intakes", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("the benchmark runs on PostgreSQL")
    # Stopped from outside: still stop gunicorn (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    var_dir = tempfile.mkdtemp(prefix="motcua-bench-")
    env = server_env(args.database_url, var_dir)
    django_setup(env)
    from desk.models import Dossier

    total = Dossier.objects.count()
    if total < 1000:
        raise SystemExit("run bench/generate_province.py first")
    rng = random.Random(args.seed)
    cookies = {who: session_cookie(username) for who, username in PEOPLE.items()}
    terms = search_terms(rng)
    codes = dossier_codes(PEOPLE["clerk"], 200)
    received_codes = dossier_codes(PEOPLE["clerk"], 200, received=True)

    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    out: list[str] = []
    try:
        wait_ready(port, cookies["clerk"])

        # Deep pages: follow "Trang sau" links like a person would.
        deep: dict[str, str] = {}
        for who in PEOPLE:
            for view in ("all", "unit" if who == "clerk" else "overdue"):
                urls, times = walk(port, cookies[who], url(view=view), args.depth)
                deep[f"{who} {view}, page {len(urls)}"] = urls[-1]
                out.append(
                    f"- {who}, tab {view}: followed {len(urls) - 1} 'Trang sau' links to page "
                    f"{len(urls)}; walk median {statistics.median(times):.1f} ms, "
                    f"max {max(times):.1f} ms per page"
                )
            urls, _ = walk(port, cookies[who], url(view="all", q="nguyen"), args.depth)
            deep[f"{who} all, search 'nguyen', page {len(urls)}"] = urls[-1]
            out.append(f"- {who}, search 'nguyen': page {len(urls)} reached")

        scenarios = []
        # 1. First pages of every tab, full page and htmx partial, both people.
        first = []
        for i in range(args.requests):
            who = "clerk" if i % 2 == 0 else "leader"
            view = TABS[(i // 2) % len(TABS)]
            htmx = (i // 16) % 2 == 1
            first.append(
                (f"{who} {view}{' (htmx)' if htmx else ''}", url(view=view), cookies[who], htmx)
            )
        rng.shuffle(first)
        scenarios.append(("Queues, first page of each tab", first))
        # 2. Deep pages (page ~50) and first pages of the same tabs.
        deep_requests = []
        for i in range(args.requests):
            kind = list(deep)[i % len(deep)]
            who = kind.split()[0]
            deep_requests.append((kind, deep[kind], cookies[who], i % 2 == 1))
        rng.shuffle(deep_requests)
        scenarios.append(
            (f"Queues, deep pages (up to page {args.depth}, by cursor)", deep_requests)
        )
        # 3. Search.
        search = []
        for i in range(args.requests):
            who = "clerk" if i % 2 == 0 else "leader"
            kind, query = terms[i % len(terms)]
            search.append((f"{who} search {kind}", url(view="all", q=query), cookies[who], True))
        rng.shuffle(search)
        scenarios.append(("Queues, search on the 'all' tab (htmx)", search))
        # 4. The dossier page.
        detail = [
            (
                "clerk dossier page",
                f"/ho-so/{quote(codes[i % len(codes)])}/",
                cookies["clerk"],
                False,
            )
            for i in range(max(200, args.requests // 4))
        ]
        scenarios.append(("Dossier page", detail))
        # 5. The receipt (form 01) as a PDF, rendered by WeasyPrint on each request.
        receipts = [
            (
                "clerk receipt PDF",
                f"/ho-so/{quote(received_codes[i % len(received_codes)])}/giay-to/receipt.pdf",
                cookies["clerk"],
                False,
            )
            for i in range(max(100, args.requests // 8))
        ]
        scenarios.append(("Receipt PDF (form 01, with QR code)", receipts))

        # Queries per page, in-process.
        query_paths = {}
        for who, username in PEOPLE.items():
            for view in TABS:
                query_paths[f"{who} {view}"] = (username, url(view=view), False)
                query_paths[f"{who} {view} (htmx)"] = (username, url(view=view), True)
        for kind, path in deep.items():
            query_paths[kind] = (PEOPLE[kind.split()[0]], path, False)
        for who, username in PEOPLE.items():
            for kind in ("code", "id number", "name"):
                sample = next(q for k, q in terms if k == kind)
                query_paths[f"{who} search {kind}"] = (username, url(view="all", q=sample), True)
        queries = queries_per_page(query_paths)

        for title, requests in scenarios:
            run(port, requests[: args.warmup], args.concurrency)
            workers, backends = server_pids(server.pid)
            before = process_cpu(workers), process_cpu(backends)
            results, wall = run(port, requests, args.concurrency)
            workers_after, backends_after = server_pids(server.pid)
            cpu = (
                cpu_used(before[0], process_cpu(workers_after)),
                cpu_used(before[1], process_cpu(sorted({*backends, *backends_after}))),
            )
            out.append("")
            out.append(table(title, results, wall, queries, cpu))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)

    out.append("")
    out.append(intake_throughput(args.intakes))
    print(run_header(args.workers, args.concurrency, total))
    print("\n".join(out))


if __name__ == "__main__":
    main()
