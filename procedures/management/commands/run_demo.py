"""`manage.py run_demo`, as `make demo` runs it: the web server, a Celery worker and
Celery beat, supervised so that Ctrl+C or SIGTERM stops all three, once.

The three run in a process group of their own, so a terminal's Ctrl+C (SIGINT to the
foreground group) reaches only this supervisor (and make), which sends each child one
SIGTERM (runserver stops, the worker and beat shut down warm), waits up to
``--stop-timeout`` seconds, SIGKILLs what is left of the group and exits 0. A second
Ctrl+C while waiting kills at once. Each child is also told to die with its parent
(PR_SET_PDEATHSIG), so a SIGKILLed supervisor leaves nothing running. If one child
exits by itself (the port is taken, say), the others are stopped and the command fails.

tests/test_demo_stop.py runs it through `make demo-serve`, as `make demo` does.
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from procedures.demo import DEMO_PASSWORD, DEMO_USERS

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass  # not Linux: the supervisor's own stop still applies


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class Command(BaseCommand):
    help = "Run the demo's web server, Celery worker and beat until Ctrl+C or SIGTERM."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--stop-timeout", type=float, default=10.0)

    def handle(self, *args, port: int, stop_timeout: float, **options) -> None:
        stopping: list[int] = []

        def on_signal(signum, frame) -> None:
            stopping.append(signum)

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        python = sys.executable
        celery = str(Path(python).with_name("celery"))
        var_dir = Path(settings.VAR_DIR)
        commands = {
            "web": [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            # The solo pool: one process (no pool children to orphan), a task at a time,
            # which is all the demo needs.
            "worker": [celery, "-A", "config", "worker", "--loglevel=WARNING", "--pool=solo"],
            "beat": [
                celery,
                *("-A", "config", "beat", "--loglevel=WARNING"),
                *("--schedule", str(var_dir / "celerybeat-schedule")),
            ],
        }
        environment = dict(os.environ)
        # Links in the demo's emails point at this server.
        environment.setdefault("SITE_URL", f"http://127.0.0.1:{port}")
        # Emails go to files, not into this terminal (unless SMTP is configured).
        email_dir = environment.setdefault("EMAIL_FILE_DIR", str(var_dir / "emails"))
        # The worker writes this file when it is ready (config/celery.py).
        ready_file = var_dir / "celery-worker.ready"
        ready_file.unlink(missing_ok=True)
        environment["CELERY_READY_FILE"] = str(ready_file)
        self.stdout.write("")
        self.stdout.write(f"Một Cửa runs at http://127.0.0.1:{port}  (Ctrl+C stops it)")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, _first, _last, role_label, agency_identifier, _roles in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {role_label} ({agency_identifier})")
        if not environment.get("EMAIL_HOST"):
            self.stdout.write(f"Emails sent are written to files in {email_dir}/")
        self.stdout.flush()
        children: dict[str, subprocess.Popen] = {}
        group = 0
        try:
            for name, command in commands.items():
                children[name] = subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    process_group=group,  # 0: the first child leads a new group
                    preexec_fn=_die_with_parent,
                )
                group = group or children[name].pid
            failed = self._wait_for_signal_or_exit(children, stopping, port, ready_file)
        finally:
            self._stop(children, group, stop_timeout, stopping)
        if failed:
            raise CommandError(f"The {failed} process stopped by itself; the demo is stopped.")

    def _wait_for_signal_or_exit(self, children, stopping, port, ready_file) -> str | None:
        ready = False
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    return name
            if not ready and ready_file.exists() and _answers(port):
                ready = True
                self.stdout.write(f"Ready: http://127.0.0.1:{port}/")
                self.stdout.flush()
            time.sleep(0.2)
        return None

    def _stop(self, children, group: int, timeout: float, stopping: list[int]) -> None:
        if not children:
            return
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # once: a worker's warm shutdown
        signals_seen = len(stopping)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(stopping) <= signals_seen:
            if all(child.poll() is not None for child in children.values()):
                break
            time.sleep(0.1)
        left = [name for name, child in children.items() if child.poll() is None]
        if left:
            self.stderr.write(f"Stopping at once: {', '.join(left)}")
        with contextlib.suppress(ProcessLookupError):  # the group is gone: all stopped
            os.killpg(group, signal.SIGKILL)  # stragglers and anything they started
        for child in children.values():
            child.wait()
