"""The alert path through real processes: Celery workers started as subprocesses on a
private Redis, PostgreSQL (the pytest test database), and an SMTP server in the test.

What these prove (issue #4): a dossier crossing its threshold reaches the people
concerned as a notification and an email; the scan sent twice, two workers scanning
at once, a worker killed in the middle of a scan or of an email, and Redis stopped
and restarted during a scan neither lose an alert nor send one twice.

The clock: a worker is a separate process, so it is started inside a time-machine
travel (``WORKER_MAIN``) to a fixed moment in working time, ticking from there.
The tests therefore behave the same at 3 a.m. on a Sunday as on a Monday morning,
and "eleven minutes later" is a worker started eleven minutes later on its clock,
not a sleep. Waiting for another process to finish something is a poll with a
deadline (``wait_for``), never a pause that stands in for time passing.

Each test gets its own redis-server on a free port (never the machine's 6379), so
a stopped Redis or a message left unacknowledged by a killed worker stays in that
test (the ``redis_server`` fixture of tests/conftest.py; the server and the worker
processes are in tests/workers.py). Select them with ``-m worker``.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import logging
import socket
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from desk.models import (
    Alert,
    AlertKind,
    ApologyLetter,
    DeliveryAttempt,
    EmailStatus,
    Notification,
    ScanMark,
)
from desk.services import hand_over
from tests.factories import make_dossier
from tests.workers import (
    WAIT,
    PrivateRedis,
    Worker,
    database_url,
    reset_broker_pools,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
TZ = timezone.get_default_timezone()


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


# ---------------------------------------------------------------- an SMTP server


class SmtpSink:
    """A small SMTP server: records every message it accepts.

    ``hold()`` makes it keep the end of the next message's DATA unanswered (the
    client is then in the middle of sending) until ``release()``; a message whose
    client went away before the answer was never accepted, as with any SMTP server,
    and is dropped.
    """

    def __init__(self) -> None:
        self.accepted: list[email.message.EmailMessage] = []
        self.dropped = 0
        self._lock = threading.Lock()
        self._holding = False
        self.held = threading.Event()  # a message is waiting for its answer
        self._released = threading.Event()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink._session(self.request, self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._released.set()
        self.server.shutdown()
        self.server.server_close()

    def hold(self) -> None:
        self._holding = True
        self.held.clear()
        self._released.clear()

    def release(self) -> None:
        self._holding = False
        self._released.set()

    def to(self, address: str) -> list[email.message.EmailMessage]:
        with self._lock:
            return [m for m in self.accepted if address in str(m["To"])]

    def _session(self, sock: socket.socket, rfile, wfile) -> None:
        def reply(line: str) -> None:
            wfile.write(line.encode() + b"\r\n")
            wfile.flush()

        reply("220 sink ESMTP")
        while True:
            line = rfile.readline()
            if not line:
                return
            verb = line.split(b" ", 1)[0].strip().upper()
            if verb == b"EHLO":
                reply("250-sink")
                reply("250-8BITMIME")
                reply("250 SMTPUTF8")
            elif verb == b"DATA":
                reply("354 end with <CRLF>.<CRLF>")
                lines = []
                while True:
                    data_line = rfile.readline()
                    if not data_line:
                        return
                    if data_line in (b".\r\n", b".\n"):
                        break
                    lines.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                if self._holding:
                    self.held.set()
                    self._released.wait(timeout=WAIT * 2)
                    if self._peer_gone(sock):
                        with self._lock:
                            self.dropped += 1
                        return
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                with self._lock:
                    self.accepted.append(message)
                reply("250 accepted")
            elif verb == b"QUIT":
                reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                reply("250 OK")

    @staticmethod
    def _peer_gone(sock: socket.socket) -> bool:
        sock.setblocking(False)
        try:
            return sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            return False
        except OSError:
            return True
        finally:
            sock.setblocking(True)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


# ---------------------------------------------------------------- workers


class Cluster:
    """Workers on the private Redis, and a client that sends tasks by name as beat does."""

    def __init__(self, redis: PrivateRedis, smtp: SmtpSink, tmp_path: Path) -> None:
        self.redis = redis
        self.tmp_path = tmp_path
        self.workers: list[Worker] = []
        self.anchor = time.time()  # a worker's clock argument is its time at this instant
        self.database_url = database_url()
        self.env = worker_env(
            redis.url,
            tmp_path / "var",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
            SITE_URL="https://motcua.example.vn",
        )
        # Not the current app: shared tasks sent by later tests (the desk's own
        # app, on the suite's broker) must not go to this test's private Redis.
        self.client = Celery(
            "alerts-test", broker=redis.url, backend=redis.url, set_as_current=False
        )
        self.client.conf.broker_connection_retry_on_startup = False

    def start_worker(self, clock: dt.datetime) -> Worker:
        """A worker whose clock read ``clock`` when the test began (it ticks on)."""
        name = f"w{len(self.workers) + 1}"
        worker = Worker(name, clock, self.anchor, self.env, self.tmp_path / f"{name}.log")
        self.workers.append(worker)
        return worker

    def send(self, task: str, *args):
        # The desk's tasks ignore their results; the test asks the worker to keep them.
        return self.client.send_task(f"desk.tasks.{task}", args=args, ignore_result=False)

    def run(self, task: str, *args):
        """Send a task and wait for its result."""
        try:
            return self.send(task, *args).get(timeout=WAIT)
        except Exception as error:
            logs = "\n".join(f"--- {w.name}\n{w.output()}" for w in self.workers)
            raise AssertionError(f"{task} failed: {error!r}\n{logs}") from error

    def wait(self, check: Callable[[], object], what: str) -> object:
        """``wait_for``, with the workers' logs and the outbox in the failure."""
        try:
            return wait_for(check, what)
        except AssertionError as error:
            logs = "\n".join(f"--- {w.name}\n{w.output()}" for w in self.workers)
            outbox = list(
                Notification.objects.values_list(
                    "pk", "email_status", "deliver_after", "email_claimed_at"
                )
            )
            raise AssertionError(f"{error}\noutbox: {outbox}\n{logs}") from None

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.client.close()


@pytest.fixture
def cluster(redis_server, smtp, tmp_path, monkeypatch) -> Iterator[Cluster]:
    # Celery lets these variables override any broker given in code: the client must
    # talk to the private Redis, not to the one the test run was configured with.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    group = Cluster(redis_server, smtp, tmp_path)
    yield group
    group.close()


# ---------------------------------------------------------------- PostgreSQL from outside


class RowLock:
    """Another session holding a row lock, as a clerk's write would: workers that
    need the row wait on it, which lets a test catch them in the middle of a task."""

    def __init__(self, database_url: str) -> None:
        self.conn = psycopg.connect(database_url, autocommit=False)

    def hold(self, sql: str, params: tuple) -> None:
        self.conn.execute(sql, params)

    def release(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()


def blocked_queries(database_url: str) -> list[tuple[str, bool]]:
    """The sessions of the test database blocked on a lock right now: their statement
    and whether their transaction has already inserted alerts (it holds the row-write
    lock on the alert table)."""
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT a.query, EXISTS (SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = "
            "l.relation WHERE l.pid = a.pid AND c.relname = 'desk_alert' "
            "AND l.mode = 'RowExclusiveLock') "
            "FROM pg_stat_activity a WHERE a.datname = %s AND a.wait_event_type = 'Lock'",
            (name,),
        ).fetchall()
    return [(row[0], row[1]) for row in rows]


def waiting_on_locks(database_url: str) -> int:
    return len(blocked_queries(database_url))


# ---------------------------------------------------------------- the data

# Received Monday 2 March 2026 at 09:00 with 5 working days: due Monday 9 March 09:00.
DUE = at(2026, 3, 9, 9, 0)
# One working day (8 h) before the due time: Friday 6 March 09:00.
DUE_SOON = at(2026, 3, 6, 9, 0)


@pytest.fixture
def staff(clerk, officer, unit_head):
    for user, address in ((clerk, "canbo"), (officer, "xuly"), (unit_head, "truongdonvi")):
        user.email = f"{address}@phuong.example.vn"
        user.save(update_fields=["email"])
    return {"clerk": clerk, "officer": officer, "unit_head": unit_head}


@pytest.fixture
def dossier(staff, commune):
    """In processing at the commune, held by the officer, due Monday 9 March 09:00."""
    received = make_dossier(clerk=staff["clerk"], received_at=at(2026, 3, 2, 9, 0))
    handed = hand_over(
        dossier=received,
        version=received.version,
        user=staff["clerk"],
        to_agency=commune,
        to_user=staff["officer"],
        at=at(2026, 3, 2, 10, 0),
    )
    assert handed.due_at == DUE
    return handed


def scanned_until(moment: dt.datetime) -> None:
    """Where the previous scan stopped (the scan covers (mark, now])."""
    ScanMark.objects.update_or_create(name="clock", defaults={"scanned_until": moment})


def all_emails_sent() -> bool:
    notes = Notification.objects.exclude(email_status=EmailStatus.SKIPPED)
    return notes.exists() and not notes.exclude(email_status=EmailStatus.SENT).exists()


def assert_overdue_told_once(dossier, staff, smtp: SmtpSink) -> None:
    """One alert, one notification and one email each for the holder and the unit head."""
    assert Alert.objects.filter(dossier=dossier, kind=AlertKind.OVERDUE).count() == 1
    notes = Notification.objects.filter(kind=AlertKind.OVERDUE)
    assert sorted(notes.values_list("recipient", flat=True)) == sorted(
        [staff["officer"].pk, staff["unit_head"].pk]
    )
    for who in ("officer", "unit_head"):
        received = smtp.to(staff[who].email)
        assert len(received) == 1, f"{who} received {len(received)} emails"
        assert dossier.code in received[0].get_content()
    assert len(smtp.accepted) == 2
    assert DeliveryAttempt.objects.filter(status=EmailStatus.SENT).count() == 2


# ---------------------------------------------------------------- the tests


def test_a_dossier_crossing_its_due_time_reaches_holder_and_head_by_email(
    cluster, smtp, dossier, staff
):
    scanned_until(at(2026, 3, 9, 8, 55))
    cluster.start_worker(clock=at(2026, 3, 9, 9, 1))

    result = cluster.run("scan_clocks")

    assert result["alerts"] == 1
    assert result["notifications"] == 2
    # The worker queued the emails after its commit and sent them itself.
    cluster.wait(all_emails_sent, "the worker to send the emails")
    assert_overdue_told_once(dossier, staff, smtp)
    message = smtp.to(staff["officer"].email)[0]
    assert message["Subject"] == "[Một Cửa] 1 hồ sơ đã quá hạn, chưa có văn bản xin lỗi"
    assert message["Message-ID"].startswith("<notification-")
    assert f"https://motcua.example.vn/ho-so/{dossier.code}/" in message.get_content()
    # The clerk does not hold it any more: nothing for her.
    assert not Notification.objects.filter(recipient=staff["clerk"]).exists()


def test_the_same_scan_twice_notifies_once(cluster, smtp, dossier, staff):
    scanned_until(at(2026, 3, 9, 8, 55))
    cluster.start_worker(clock=at(2026, 3, 9, 9, 1))

    first = cluster.run("scan_clocks")
    second = cluster.run("scan_clocks")  # a duplicate delivery, or beat a minute later
    assert (first["alerts"], second["alerts"]) == (1, 0)
    cluster.wait(all_emails_sent, "the emails")

    # The same window once more (as if the mark had not been saved): the alerts exist,
    # so nothing is recorded, notified or sent again.
    scanned_until(at(2026, 3, 9, 8, 55))
    third = cluster.run("scan_clocks")
    assert third == {"alerts": 0, "notifications": 0, "drafts": 0}
    # A duplicated email task and the sweep find every email sent.
    for note in Notification.objects.all():
        assert cluster.run("deliver_notification", note.pk) == "not-claimed"
    assert cluster.run("deliver_pending") == 0
    assert_overdue_told_once(dossier, staff, smtp)


def test_two_workers_scanning_at_once_notify_once(cluster, smtp, dossier, staff):
    scanned_until(at(2026, 3, 9, 8, 55))
    cluster.start_worker(clock=at(2026, 3, 9, 9, 1))
    cluster.start_worker(clock=at(2026, 3, 9, 9, 1))
    lock = RowLock(cluster.database_url)
    try:
        # Both workers are let go at the same instant: each takes one scan and waits
        # on the scan mark row, which this session holds.
        lock.hold("SELECT 1 FROM desk_scanmark WHERE name = 'clock' FOR UPDATE", ())
        pending = [cluster.send("scan_clocks"), cluster.send("scan_clocks")]
        wait_for(lambda: waiting_on_locks(cluster.database_url) >= 2, "both scans to wait")
    finally:
        lock.release()
        lock.close()
    results = [p.get(timeout=WAIT) for p in pending]

    assert sorted(r["alerts"] for r in results) == [0, 1]
    cluster.wait(all_emails_sent, "the emails")
    assert_overdue_told_once(dossier, staff, smtp)


def test_a_worker_killed_in_the_middle_of_a_scan_loses_nothing(cluster, smtp, dossier, staff):
    """Killed after recording the due-soon alert, while drafting the apology: its
    transaction dies with it, and the next scan does the whole work once.

    The previous scan ran on Thursday before the draft threshold (two working days
    before the due time), this one a day later: it crosses both that and due-soon."""
    scanned_until(at(2026, 3, 5, 8, 55))
    doomed = cluster.start_worker(clock=at(2026, 3, 6, 9, 1))
    lock = RowLock(cluster.database_url)
    try:
        # A clerk's write holds the dossier: the alert rows can be inserted (they only
        # share-lock it), drafting form 04 (FOR UPDATE) must wait.
        lock.hold("SELECT 1 FROM desk_dossier WHERE id = %s FOR NO KEY UPDATE", (dossier.pk,))
        cluster.send("scan_clocks")
        blocked = wait_for(lambda: blocked_queries(cluster.database_url), "the scan to block")
        # It waits to lock the dossier for the draft, its alert rows already inserted.
        query, inserted_alerts = blocked[0]
        assert query.startswith('SELECT "desk_dossier"') and inserted_alerts, blocked
        doomed.kill()
    finally:
        lock.release()
        lock.close()
    assert not Alert.objects.exists()
    assert ScanMark.objects.get(name="clock").scanned_until == at(2026, 3, 5, 8, 55)

    # Beat's next scan, on another worker a minute later, covers the same window.
    cluster.start_worker(clock=at(2026, 3, 6, 9, 2))
    result = cluster.run("scan_clocks")
    assert (result["alerts"], result["drafts"]) == (2, 1)
    cluster.wait(all_emails_sent, "the emails")

    assert Alert.objects.filter(kind=AlertKind.DUE_SOON).count() == 1
    assert Alert.objects.filter(kind=AlertKind.APOLOGY_DRAFT).count() == 1
    assert ApologyLetter.objects.filter(dossier=dossier, status="draft").count() == 1
    head = staff["unit_head"].email
    officer = staff["officer"].email
    assert len(smtp.to(officer)) == 1  # due soon
    assert sorted(m["Subject"] for m in smtp.to(head)) == [
        "[Một Cửa] 1 hồ sơ sắp đến hạn trả kết quả",
        "[Một Cửa] 1 văn bản xin lỗi chờ ký",
    ]


def test_a_worker_killed_while_sending_an_email_sends_it_once_later(cluster, smtp, dossier, staff):
    scanned_until(at(2026, 3, 9, 8, 55))
    doomed = cluster.start_worker(clock=at(2026, 3, 9, 9, 1))
    smtp.hold()  # the first email's DATA stays unanswered
    cluster.run("scan_clocks")
    smtp.held.wait(timeout=WAIT)
    assert smtp.held.is_set(), doomed.output()
    doomed.kill()  # the connection drops before the server said "accepted"
    smtp.release()
    stuck = Notification.objects.get(email_status=EmailStatus.SENDING)
    wait_for(lambda: smtp.dropped == 1, "the sink to drop the unfinished message")
    assert smtp.accepted == []

    # Eleven minutes later (past the claim timeout) a new worker takes the queue
    # (the other email) and beat's outbox sweep takes over the stuck claim.
    cluster.start_worker(clock=at(2026, 3, 9, 9, 12))
    wait_for(lambda: len(smtp.accepted) == 1, "the queued email")
    assert cluster.run("deliver_pending") == 1
    assert cluster.run("deliver_pending") == 0

    stuck.refresh_from_db()
    assert stuck.email_status == EmailStatus.SENT
    assert stuck.email_attempts == 2
    assert_overdue_told_once(dossier, staff, smtp)


def test_redis_stopped_and_restarted_during_a_scan_loses_and_doubles_nothing(
    cluster, smtp, dossier, staff, redis_server
):
    scanned_until(at(2026, 3, 9, 8, 55))
    worker = cluster.start_worker(clock=at(2026, 3, 9, 9, 1))
    lock = RowLock(cluster.database_url)
    try:
        lock.hold("SELECT 1 FROM desk_scanmark WHERE name = 'clock' FOR UPDATE", ())
        cluster.send("scan_clocks")
        wait_for(lambda: waiting_on_locks(cluster.database_url) >= 1, "the scan to start")
        redis_server.stop()  # Redis goes away in the middle of the scan
    finally:
        lock.release()
        lock.close()

    # The scan commits to PostgreSQL; queueing the emails fails, so they wait there.
    wait_for(lambda: Notification.objects.count() == 2, "the scan to commit")
    wait_for(
        lambda: b"the sweep will take it" in worker.log.read_bytes(),
        "the worker to give up queueing",
    )
    assert smtp.accepted == []
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}

    redis_server.start()  # empty: whatever was queued in it is gone
    # Beat's next ticks once the worker has reconnected: the scan finds nothing new,
    # the outbox sweep sends what waited.
    assert cluster.run("scan_clocks")["alerts"] == 0
    assert cluster.run("deliver_pending") == 2
    assert cluster.run("deliver_pending") == 0
    assert_overdue_told_once(dossier, staff, smtp)


@pytest.fixture(autouse=True)
def clean_broker_pools():
    """A test here points the test process at a private Redis it then stops; later
    tests must not inherit a pooled connection to it."""
    yield
    from config.celery import app

    reset_broker_pools(app)


def test_an_apology_signed_while_the_broker_is_down_is_finished_by_the_sweep(
    cluster, smtp, dossier, staff, redis_server, caplog
):
    """Signing queues the finishing task after commit; with the broker down that
    fails. The outbox sweep finishes the letter later: the clerk is told, the
    applicant emailed, the PDF stored, each once."""
    from config.celery import app
    from desk.services import approve_apology

    caplog.set_level(logging.WARNING, logger="config.redis")  # enqueue() logs the refusal
    redis_server.stop()
    saved = app.conf.broker_url
    app.conf.broker_url = redis_server.url  # this process (the web server) uses the dead Redis
    reset_broker_pools(app)
    try:
        letter = approve_apology(
            dossier=dossier,
            version=dossier.version,
            user=staff["unit_head"],
            reason="Cần xác minh thêm thông tin với cơ quan liên quan",
            new_due_at=at(2026, 3, 16, 9, 0),
            at=at(2026, 3, 6, 9, 0),
        )
    finally:
        app.conf.broker_url = saved
        reset_broker_pools(app)
    assert f"could not enqueue apology {letter.pk}" in caplog.text
    assert not Notification.objects.exists()

    redis_server.start()
    cluster.start_worker(clock=at(2026, 3, 6, 9, 5))  # beat's sweep a few minutes later
    assert cluster.run("deliver_pending") >= 1
    cluster.wait(all_emails_sent, "the emails")
    assert cluster.run("deliver_pending") == 0

    letter.refresh_from_db()
    assert letter.pdf.name.endswith("-xin-loi.pdf")
    clerk_note = Notification.objects.get(recipient=staff["clerk"])
    assert clerk_note.kind == AlertKind.APOLOGY_ISSUED
    assert "16/03/2026" in clerk_note.title
    assert [m["Subject"] for m in smtp.to(staff["clerk"].email)] == [
        f"[Một Cửa] {clerk_note.title}"
    ]
    to_applicant = smtp.to("an.nguyen@example.vn")
    assert len(to_applicant) == 1
    assert "Cần xác minh thêm thông tin" in to_applicant[0].get_content()
    assert len(smtp.accepted) == 2
