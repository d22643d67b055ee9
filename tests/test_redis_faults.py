"""The site with Redis stopped and with Redis hung (issue #12, item 13).

The cache and the Celery broker of this process are pointed at a private
redis-server (tests/workers.py), with the timeouts and the breaker of
config/redis.py. The pages below are visited as the personas of tests/conftest.py
with that server up, stopped, and frozen with SIGSTOP (the port still accepts
connections, nothing answers: a hung Redis, the worse case). Every page must
answer without a server error, and within a few seconds: a request bounded only by
the operating system's TCP timeouts would hang here, so the bound is a hang
detector with a wide margin, not a benchmark.

Then Redis comes back (restarted empty, or thawed with whatever reached it
before it froze) and a real Celery worker process takes the queue: the exports
and catalog imports requested during the outage finish once the job sweep
(desk.tasks.sweep_jobs) has queued them again.

The page list here is one page of each kind that touches Redis or the broker,
with the writes that queue jobs: the public home, catalog, procedure page, lookup
(its throttle and page cache) and feedback form; the staff queue, dossier page,
intake form and a hand-over (the lookup cache's forget after commit); the
dashboard (its catalog cache), an export request and its progress page; the
catalog import page and an upload (a job queued after commit). Every page of the
URL sweep (tests/sweep/pages.py) is visited the same way, with Redis stopped and
frozen, by tests/sweep/test_sweep.py on the demo data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from config import redis as redis_config
from desk.models import Dossier, ExportJob, ExportStatus
from procedures.models import ImportJob, ImportJobStatus
from tests.factories import make_dossier, make_procedure
from tests.procedures.catalog_files import good_row, xlsx_bytes
from tests.workers import Worker, wait_for, worker_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Seconds a page may take while Redis is away. A page takes a few milliseconds
# with Redis up; with it hung, at most a cache timeout and two publish timeouts of
# REDIS_TIMEOUT (0.5 s) each. Well below this; a hang (no timeout) is far above.
HANG = 5.0
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Visit:
    persona: str
    method: str
    url: str
    status: int
    seconds: float


@pytest.fixture
def people(clerk, officer, unit_head, commune_leader, provincial_leader, administrator):
    return {
        "anonymous": None,
        "clerk": clerk,
        "officer": officer,
        "unit_head": unit_head,
        "commune_leader": commune_leader,
        "provincial_leader": provincial_leader,
        "administrator": administrator,
    }


@pytest.fixture
def procedure(commune):
    return make_procedure(
        code="1.001193",
        name="Đăng ký khai sinh",
        agencies=(commune,),
        documents=("Tờ khai", "Giấy chứng sinh"),
    )


def visit_all(people: dict, procedure, round_: int) -> list[Visit]:
    """Every page of the list once, each persona with its own client (a fresh
    dossier to hand over in each round)."""
    clerk, officer = people["clerk"], people["officer"]
    dossier = make_dossier(clerk=clerk, procedure=procedure)
    leader = people["provincial_leader"]
    workbook = xlsx_bytes([good_row(f"1.90{round_:04d}")])
    pages = [
        ("anonymous", "get", reverse("home"), None),
        ("anonymous", "get", reverse("procedures:catalog"), None),
        ("anonymous", "get", reverse("procedures:detail", args=[procedure.code]), None),
        ("anonymous", "get", reverse("surveys:lookup"), None),
        (
            "anonymous",
            "get",
            f"{reverse('surveys:lookup')}?ma={dossier.code}&khoa={dossier.lookup_key}",
            None,
        ),
        ("anonymous", "get", reverse("surveys:feedback-submit"), None),
        ("clerk", "get", reverse("desk:queue"), None),
        ("clerk", "get", reverse("desk:detail", args=[dossier.code]), None),
        ("clerk", "get", reverse("desk:intake"), None),
        (
            "clerk",
            "post",
            reverse("desk:action", args=[dossier.code, "hand_over"]),
            {"version": dossier.version, "to_agency": clerk.agency_id, "to_user": officer.pk},
        ),
        ("officer", "get", reverse("desk:queue"), None),
        ("unit_head", "get", reverse("desk:queue"), None),
        ("commune_leader", "get", reverse("desk:dashboard"), None),
        ("provincial_leader", "get", reverse("desk:dashboard"), None),
        (
            "provincial_leader",
            "post",
            reverse("desk:dashboard-list"),
            {"figure": "received", "period": "12m", "agency": leader.agency_id},
        ),
        ("administrator", "get", reverse("procedures:import"), None),
        (
            "administrator",
            "post",
            reverse("procedures:import"),
            {"file": SimpleUploadedFile("danh-muc.xlsx", workbook, content_type=XLSX)},
        ),
    ]
    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    visits = []
    for persona, method, url, data in pages:
        started = time.monotonic()
        response = (
            getattr(clients[persona], method)(url, data) if data else clients[persona].get(url)
        )
        visits.append(Visit(persona, method, url, response.status_code, time.monotonic() - started))
    # The progress page of the export just requested.
    job = ExportJob.objects.latest("pk")
    url = reverse("desk:export", args=[job.pk])
    started = time.monotonic()
    response = clients["provincial_leader"].get(url)
    visits.append(
        Visit("provincial_leader", "get", url, response.status_code, time.monotonic() - started)
    )
    # The hand-over happened (the page did not fail after its commit).
    assert Dossier.objects.get(pk=dossier.pk).current_holder_id == officer.pk
    return visits


def assert_all_answered(visits: list[Visit], when: str) -> None:
    failures = [v for v in visits if v.status >= 500 or v.seconds >= HANG]
    table = "\n".join(
        f"  {v.status} {v.seconds:5.2f}s {v.persona} {v.method} {v.url}" for v in visits
    )
    assert not failures, f"with Redis {when}:\n{table}"


def private_keys(redis_server, db: int) -> int:
    client = redis.Redis(port=redis_server.port, db=db, socket_timeout=2)
    try:
        return client.dbsize()
    finally:
        client.close()


def finish_the_jobs(redis_server, settings, tmp_path) -> None:
    """A worker on the private Redis, then beat's job sweep (due at once here): every
    export and import requested above finishes, each exactly once."""
    from django.utils import timezone

    from desk.tasks import sweep_jobs

    env = worker_env(redis_server.url, tmp_path / "var", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    worker = Worker("faults", timezone.now(), time.time(), env, tmp_path / "worker.log")
    try:
        settings.JOBS_REQUEUE_AFTER = 0
        swept = sweep_jobs()
        assert swept["exports"] or swept["imports"], "the outage left no job waiting"

        def finished() -> bool:
            return not (
                ExportJob.objects.exclude(status=ExportStatus.DONE).exists()
                or ImportJob.objects.exclude(status=ImportJobStatus.DONE).exists()
            )

        try:
            wait_for(finished, "the jobs requested during the outage to finish", timeout=60)
        except AssertionError as error:
            jobs = list(ExportJob.objects.values_list("pk", "status", "error")) + list(
                ImportJob.objects.values_list("pk", "status", "error")
            )
            raise AssertionError(f"{error}\njobs: {jobs}\n{worker.output()}") from None
        # Nothing is left for a later sweep.
        assert sweep_jobs() == {"exports": [], "imports": []}
    finally:
        worker.stop()
    # Each job ran once: a second message for it (the sweep's, or the original one
    # that reached a frozen Redis before the sweep's) found it claimed.
    log = worker.log.read_text(errors="replace")
    done = {
        task: sum(
            1
            for line in log.splitlines()
            if f".tasks.{task}[" in line and "succeeded" in line and line.endswith("'done'")
        )
        for task in ("export_dossier_list", "run_import_job")
    }
    assert done == {"export_dossier_list": 2, "run_import_job": 2}, log[-4000:]


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_every_page_answers_while_redis_is_away_and_its_jobs_finish_after(
    fault, redis_server, private_redis, people, procedure, settings, tmp_path
):
    # Up: the pages use the private Redis (cache keys in database 1, the export's
    # and the import's messages waiting in database 0: no worker yet).
    assert_all_answered(visit_all(people, procedure, 1), "up")
    assert private_keys(redis_server, 1) > 0
    assert private_keys(redis_server, 0) > 0

    if fault == "stopped":
        redis_server.stop()
    else:
        redis_server.freeze()
    visits = visit_all(people, procedure, 2)
    if fault == "stopped":
        redis_server.start()  # empty: the messages sent before are lost too
    else:
        redis_server.thaw()
    redis_config.breaker.reset()
    assert_all_answered(visits, fault)
    assert ExportJob.objects.filter(status=ExportStatus.PENDING).count() == 2

    finish_the_jobs(redis_server, settings, tmp_path)
