"""Other processes for the tests that need them: a private redis-server on a free
loopback port that a test may stop, restart or freeze, and Celery workers started
as subprocesses (tests/desk/test_alerts_worker.py, tests/test_redis_faults.py).

Waiting for another process is a poll with a deadline (``wait_for``), never a
pause that stands in for time passing. Select the tests that use them with
``-m worker``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)

REDIS_SERVER = shutil.which("redis-server")
WAIT = 20.0  # seconds: the most any single wait may take before the test fails
# Starting a worker imports Django and the project: on a loaded machine (the suite runs
# in several processes) that alone has taken more than WAIT.
START_WAIT = 90.0

# Runs `celery ...` inside a time-machine travel, ticking: argv[1] (ISO) is the
# worker's time at the real instant argv[2] (epoch seconds), so workers started a
# few seconds apart share one timeline (a notification one of them creates is due
# for the other at once).
WORKER_MAIN = """
import datetime, sys, time, time_machine
moment = datetime.datetime.fromisoformat(sys.argv[1])
moment += datetime.timedelta(seconds=time.time() - float(sys.argv[2]))
time_machine.travel(moment, tick=True).start()
time.time()  # time-machine starts ticking at the first reading of the clock
from celery.__main__ import main
sys.argv = ["celery", *sys.argv[3:]]
sys.exit(main())
"""


def wait_for(check: Callable[[], object], what: str, timeout: float = WAIT) -> object:
    """Poll ``check`` until it returns something truthy (another process is working)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a free port, without persistence, that a test
    may stop and start again (the machine's Redis on 6379 is never touched)."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, "the private Redis to accept connections")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def freeze(self) -> None:
        """SIGSTOP: the port still accepts connections (the kernel does), nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a frozen server cannot exit
            self.process.terminate()
            self.process.wait(timeout=WAIT)
        self.process = None


class Worker:
    """``celery -A config worker`` in its own process (and process group), its clock
    travelled to ``clock``; SIGKILL-able like a crashed machine."""

    def __init__(
        self, name: str, clock: dt.datetime, anchor: float, env: dict[str, str], log: Path
    ) -> None:
        self.name = name
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER_MAIN,
                clock.isoformat(),
                str(anchor),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname={name}@alerts-test",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._ready, f"worker {name} to start", timeout=START_WAIT)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker {self.name} exited:\n{self.output()}")
        return b" ready." in self.log.read_bytes()

    def output(self) -> str:
        return self.log.read_bytes().decode(errors="replace")[-4000:]

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, the connections just drop."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=WAIT)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=WAIT)
        self._log_file.close()


def worker_env(broker_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker on ``broker_url`` and the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "C_FORCE_ROOT": "1",  # CI containers run as root; the workers speak JSON only
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_RESULT_BACKEND": broker_url,
        "CACHE_URL": broker_url.rsplit("/", 1)[0] + "/1",
        "MOTCUA_VAR_DIR": str(var_dir),
        "CELERY_TASK_ALWAYS_EAGER": "",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def database_url() -> str:
    """The test database, for another process."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def reset_broker_pools(app) -> None:
    """Forget the app's pooled broker connections, so the next task is sent to the
    broker now configured."""
    app._pool = None
    app.amqp._producer_pool = None
