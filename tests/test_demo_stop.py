"""`make demo` stops cleanly: Ctrl+C (SIGINT to the terminal's foreground process group)
or SIGTERM to make stops the web server, the Celery worker and beat, with no traceback,
and leaves nothing running; a second start works.

It runs `make demo-serve`, the same recipe line as `make demo` without the data load
(tests/test_demo.py loads the demo data), on SQLite in a temporary MOTCUA_VAR_DIR and
a free port, in a session of its own as a terminal would start it.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the tests point at PostgreSQL, Redis or SMTP; the demo uses none of them.
NOT_FOR_THE_DEMO = {
    "DATABASE_URL",
    "CACHE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "EMAIL_HOST",
    "EMAIL_FILE_DIR",
    "SITE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
}

pytestmark = pytest.mark.demo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_in_session(session: int) -> list[str]:
    """The processes still running in the session (zombies are not running)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # "pid (comm) state ppid pgrp session ..."; comm may hold spaces.
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(f"{entry.name} {command}")
    return found


def django_importing(session: int) -> bool:
    """Whether the session's ``manage.py run_demo`` has loaded SQLite's driver, which
    Django's set-up imports before run_demo installs its own handler."""
    for line in processes_in_session(session):
        pid, command = line.split(" ", 1)
        if "manage.py run_demo" not in command:
            continue
        try:
            if "_sqlite3" in Path(f"/proc/{pid}/maps").read_text():
                return True
        except OSError:
            continue
    return False


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("demo-var")
    environment = {k: v for k, v in os.environ.items() if k not in NOT_FOR_THE_DEMO}
    environment["MOTCUA_VAR_DIR"] = str(var_dir)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=300,
    )
    return environment, var_dir


def start_demo(environment: dict, var_dir: Path, name: str):
    port = free_port()
    log = (var_dir / f"{name}.log").open("w+")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "demo-serve", f"DEMO_PORT={port}"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a terminal's job: its own session and process group
    )
    deadline = time.monotonic() + 180  # a guard against a hang, not an assertion
    while "Ready: " not in Path(log.name).read_text():
        assert make.poll() is None, Path(log.name).read_text()
        assert time.monotonic() < deadline, Path(log.name).read_text()
        time.sleep(0.3)
    return make, log, port


def stop_and_check(make: subprocess.Popen, log, send) -> str:
    session = make.pid
    running = processes_in_session(session)
    assert any("runserver" in p for p in running), running
    assert any(" worker " in p for p in running), running
    assert any(" beat " in p for p in running), running
    send()
    try:
        returncode = make.wait(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(session, signal.SIGKILL)
        raise
    output = Path(log.name).read_text()
    log.close()
    assert processes_in_session(session) == [], output
    for sign in ("Traceback", "RecursionError", "Segmentation", "make: ***", "Error"):
        assert sign not in output, output
    return output, returncode


def test_ctrl_c_then_sigterm_stop_everything_and_the_demo_starts_again(demo_env):
    environment, var_dir = demo_env

    make, log, port = start_demo(environment, var_dir, "first")
    # Ctrl+C: the terminal signals every process of its foreground group.
    output, returncode = stop_and_check(make, log, lambda: os.killpg(make.pid, signal.SIGINT))
    assert f"Một Cửa runs at http://127.0.0.1:{port}" in output
    # The recipe exited without an error; make then dies of the signal it was sent,
    # or exits 0 when its child was gone before it handled the signal.
    assert returncode in (0, -signal.SIGINT)

    # It starts again on the same folders, and SIGTERM to make alone stops it as well.
    make, log, port = start_demo(environment, var_dir, "second")
    output, returncode = stop_and_check(make, log, lambda: make.send_signal(signal.SIGTERM))
    assert returncode in (0, -signal.SIGTERM)


def test_ctrl_c_while_the_demo_starts_stops_it_without_a_traceback(demo_env):
    """Ctrl+C before run_demo has its own handler (Django still importing): Python's
    KeyboardInterrupt must not print a traceback, and nothing may be left running."""
    environment, var_dir = demo_env
    log = (var_dir / "early.log").open("w+")
    make = subprocess.Popen(
        ["make", "--no-print-directory", "demo-serve", f"DEMO_PORT={free_port()}"],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60  # a guard against a hang, not an assertion
    # Signalled once Django is importing (its database driver is loaded), not while
    # the interpreter itself still starts: CPython's own start-up has no handler a
    # program could install ("Fatal Python error: init_import_site"), and a person's
    # Ctrl+C comes after the command has been typed and has begun.
    while not django_importing(make.pid):
        assert make.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(make.pid, signal.SIGINT)
    try:
        returncode = make.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGKILL)
        raise
    output = Path(log.name).read_text()
    log.close()
    assert processes_in_session(make.pid) == [], output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output, output
    assert returncode in (0, -signal.SIGINT)
