"""Conduct scores for a province: 3,000 officers, 5 years of inspections.

    .venv/bin/python bench/bench_conduct.py [--runs 30] [--regenerate]

Uses its own database (``DATABASE_URL``, default motcua_bench_conduct on
127.0.0.1), created and migrated if missing. The generator makes one province
with 150 units of 20 officers each (3,000 officers), and for each of the last
five years inspects every unit once or twice with every officer present (about
1,100 inspections, ~300,000 ticks), with ~3 % of items not met and ~2 % not
applicable. Ticks, findings and the frozen tallies (``ScoreTally``) are written
with bulk inserts; the tallies are counted from the ticks exactly as
``services.complete_inspection`` counts them (tests/conduct/test_scores.py checks
that the scores equal a brute-force count of the ticks). Follow-ups are made for
the last year's violations.

Measured in-process (no HTTP), each ``--runs`` times after one warm-up, p50/p95/max:

* ``agency_scores`` + ``officer_scores`` for the whole province, one year and five years;
* the scores page (``conduct:scores``, HTML, first page of officers) through
  Django's test client as the provincial leader, and its XLSX export;
* the leaders' panel partial; one officer's year summary.

Only 127.0.0.1 is contacted. Run it when ``uptime`` shows a load below 1.5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/motcua_bench_conduct"
UNITS = 150
OFFICERS_PER_UNIT = 20
YEARS = 5
TARGET_MS = 200


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MOTCUA_VAR_DIR", str(ROOT / "var" / "bench_conduct"))
    import dj_database_url
    import psycopg

    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=url["HOST"] or "127.0.0.1",
        port=url["PORT"] or 5432,
        user=url["USER"] or "postgres",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [url["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{url["NAME"]}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(seed: int = 1) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from conduct.checklist import seed_checklist
    from conduct.models import (
        Finding,
        FindingKind,
        FollowUp,
        FollowUpAction,
        Inspection,
        InspectionOfficer,
        InspectionStatus,
        ItemResult,
        Outcome,
        Scope,
        ScoreTally,
    )
    from procedures.models import Agency, AgencyLevel, User

    rng = random.Random(seed)
    template = seed_checklist()
    version = template.latest_published()
    items = list(version.items.all())
    officer_items = [i for i in items if i.scope == Scope.OFFICER]
    premises_items = [i for i in items if i.scope == Scope.PREMISES]
    password = make_password("motcua-demo")
    with transaction.atomic():
        province = Agency.objects.create(
            identifier="000.00.00.H99",
            name="Ủy ban nhân dân tỉnh Thử Nghiệm",
            level=AgencyLevel.PROVINCE,
        )
        units = Agency.objects.bulk_create(
            Agency(
                identifier=f"000.{i // 100:02d}.{i % 100:02d}.H99",
                name=f"Đơn vị {i + 1}",
                level=AgencyLevel.COMMUNE,
                parent=province,
            )
            for i in range(1, UNITS + 1)
        )
        User.objects.create(
            username="bench.leader",
            password=password,
            agency=province,
            is_leader=True,
            last_name="Lãnh đạo",
            first_name="Tỉnh",
        )
        inspector = User.objects.create(
            username="bench.inspector",
            password=password,
            agency=province,
            is_inspector=True,
            last_name="Kiểm tra",
            first_name="Cán bộ",
        )
        staff = {}
        for unit in units:
            staff[unit.pk] = User.objects.bulk_create(
                User(
                    username=f"cb{unit.pk}.{n}",
                    password=password,
                    agency=unit,
                    is_officer=n > 0,
                    is_unit_head=n == 0,
                    last_name=rng.choice(["Nguyễn Văn", "Trần Thị", "Lê Minh"]),
                    first_name=f"Cán bộ {n}",
                )
                for n in range(OFFICERS_PER_UNIT)
            )
    this_year = timezone.localdate().year
    now = timezone.now()
    for year in range(this_year - YEARS + 1, this_year + 1):
        with transaction.atomic():
            for unit in units:
                for _visit in range(rng.choice([1, 1, 2])):
                    day = dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
                    started = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
                    inspection = Inspection.objects.create(
                        agency=unit,
                        inspecting_agency=province,
                        version=version,
                        kind="unannounced",
                        inspected_on=day,
                        started_at=started,
                        lead=inspector,
                        status=InspectionStatus.COMPLETED,
                        completed_at=started + dt.timedelta(hours=2),
                    )
                    officers = staff[unit.pk]
                    InspectionOfficer.objects.bulk_create(
                        InspectionOfficer(inspection=inspection, officer=o, order=i)
                        for i, o in enumerate(officers)
                    )
                    results, tallies, findings = [], [], []
                    for officer in [*officers, None]:
                        counts = {Outcome.MET: 0, Outcome.NOT_MET: 0, Outcome.NOT_APPLICABLE: 0}
                        for item in officer_items if officer else premises_items:
                            roll = rng.random()
                            outcome = (
                                Outcome.NOT_MET
                                if roll < 0.03
                                else Outcome.NOT_APPLICABLE
                                if roll < 0.05
                                else Outcome.MET
                            )
                            counts[outcome] += 1
                            results.append(
                                ItemResult(
                                    inspection=inspection,
                                    item=item,
                                    target=f"o{officer.pk}" if officer else "p",
                                    officer=officer,
                                    outcome=outcome,
                                    updated_at=started,
                                )
                            )
                            if outcome == Outcome.NOT_MET:
                                findings.append(
                                    Finding(
                                        inspection=inspection,
                                        agency=unit,
                                        inspected_on=day,
                                        kind=FindingKind.VIOLATION,
                                        officer=officer,
                                        item=item,
                                        description=f"{item.code}. {item.text}",
                                        created_at=started,
                                    )
                                )
                        tallies.append(
                            ScoreTally(
                                inspection=inspection,
                                agency=unit,
                                officer=officer,
                                inspected_on=day,
                                met=counts[Outcome.MET],
                                not_met=counts[Outcome.NOT_MET],
                                not_applicable=counts[Outcome.NOT_APPLICABLE],
                            )
                        )
                    ItemResult.objects.bulk_create(results, batch_size=2000)
                    ScoreTally.objects.bulk_create(tallies)
                    created = Finding.objects.bulk_create(findings)
                    if year == this_year:
                        FollowUp.objects.bulk_create(
                            FollowUp(
                                finding=f,
                                agency=unit,
                                action=FollowUpAction.REMINDER,
                                owner=staff[unit.pk][0],
                                due_at=started + dt.timedelta(days=7),
                                done_at=None if started > now - dt.timedelta(days=30) else started,
                            )
                            for f in created
                        )
        print(
            f"  {year}: {Inspection.objects.filter(inspected_on__year=year).count()} inspections",
            flush=True,
        )
    # Repeats: a later violation by an officer with an earlier one within 365 days.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE conduct_finding f SET is_repeat = TRUE
            WHERE f.kind = 'violation' AND f.officer_id IS NOT NULL AND EXISTS (
              SELECT 1 FROM conduct_finding g
              WHERE g.officer_id = f.officer_id AND g.kind = 'violation'
                AND g.inspection_id <> f.inspection_id
                AND g.inspected_on BETWEEN f.inspected_on - 365 AND f.inspected_on)
            """
        )
        cursor.execute("ANALYZE")


def timed(fn, runs: int) -> dict[str, float]:
    fn()  # warm-up: connection, caches, plans
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[max(0, round(0.95 * len(samples)) - 1)],
        "max": samples[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from conduct.models import Inspection, ItemResult, ScoreTally
    from conduct.scores import agency_scores, officer_scores, officer_year, year_bounds
    from procedures.models import Agency, User

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    # Django clears the query log at each request; keep it to count the pages' queries.
    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)
    if args.regenerate:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if not Agency.objects.filter(identifier="000.00.00.H99").exists():
        print("Generating the province (a few minutes)...", flush=True)
        start = time.perf_counter()
        generate()
        print(f"Generated in {time.perf_counter() - start:.0f} s", flush=True)

    leader = User.objects.get(username="bench.leader")
    year = timezone.localdate().year
    one = year_bounds(year)
    five = (dt.date(year - YEARS + 1, 1, 1), one[1])
    officers = User.objects.filter(agency__parent__identifier="000.00.00.H99").count()
    print(
        f"Data: {officers} officers, {Inspection.objects.count()} inspections, "
        f"{ItemResult.objects.count()} ticks, {ScoreTally.objects.count()} tallies"
    )
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}"
    )

    client = Client()
    client.force_login(leader)
    someone = User.objects.filter(agency__parent__identifier="000.00.00.H99").first()
    cases = {
        "scores, one year (agencies + officers)": lambda: (
            agency_scores(None, *one),
            officer_scores(None, *one),
        ),
        "scores, five years (agencies + officers)": lambda: (
            agency_scores(None, *five),
            officer_scores(None, *five),
        ),
        "scores page (HTML, leader)": lambda: client.get(reverse("conduct:scores")),
        "scores XLSX (3,000 officers)": lambda: b"".join(
            client.get(reverse("conduct:scores"), {"format": "xlsx"}).streaming_content
        ),
        "dashboard panel (htmx partial)": lambda: client.get(
            reverse("conduct:dashboard-panel"), HTTP_HX_REQUEST="true"
        ),
        "one officer's year": lambda: officer_year(someone, year),
    }
    response = client.get(reverse("conduct:scores"))
    assert response.status_code == 200, response.status_code
    print()
    print("| case | p50 ms | p95 ms | max ms | queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, fn in cases.items():
        with CaptureQueriesContext(connection) as queries:
            fn()
        figures = timed(fn, args.runs)
        print(
            f"| {name} | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['max']:.1f} "
            f"| {len(queries)} |",
            flush=True,
        )
    print(
        f"\nTarget: province scores under {TARGET_MS} ms (load {os.getloadavg()[0]:.2f} at the end)."
    )


if __name__ == "__main__":
    main()
