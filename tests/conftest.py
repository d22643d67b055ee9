"""Personas and the agency tree shared by every test (built by tests/factories.py).

The personas make permission tests read like sentences: the commune clerk may
receive, the outsider may not. Tests run on PostgreSQL (DATABASE_URL, set by
`make test`); the suite refuses to run on anything else.
"""

import contextlib
import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import NamedTuple

import pytest
from django.conf import settings

from procedures.models import Agency, AgencyLevel, User
from tests.factories import make_agency, make_user

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config) -> None:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        raise pytest.UsageError(
            "The tests run on PostgreSQL: run `make test`, or set "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua"
        )
    # PBKDF2's deliberate slowness protects real passwords, not test personas.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _isolate_xdist_worker()


def _redis_db(url: str, offset: int) -> str:
    """The same Redis server, database number moved by ``offset``."""
    base, _, db = url.rpartition("/")
    return f"{base}/{int(db) + offset}" if db.isdigit() else url


def _isolate_xdist_worker() -> None:
    """`make test` runs the suite in several pytest-xdist processes. pytest-django
    gives each its own database (test_motcua_gw0, _gw1...); this gives each its own
    Redis databases and media folder, so one process's ``cache.clear()`` or a worker
    thread consuming the shared Celery queue never touches another's data."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or worker == "gw0":
        return
    n = int(worker[2:])
    cache = settings.CACHES["default"]
    if "redis" in cache["BACKEND"].lower():
        cache["LOCATION"] = _redis_db(cache["LOCATION"], 3 * n)
    from config.celery import app

    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        value = getattr(settings, name)
        if value.startswith("redis://"):
            setattr(settings, name, _redis_db(value, 3 * n))
    app.conf.broker_url = settings.CELERY_BROKER_URL
    app.conf.result_backend = settings.CELERY_RESULT_BACKEND
    settings.MEDIA_ROOT = settings.MEDIA_ROOT.parent / f"{settings.MEDIA_ROOT.name}-{worker}"


# ---------------------------------------------------------------- the agency tree


@pytest.fixture
def province(db) -> Agency:
    return make_agency(
        identifier="000.00.00.H56",
        name="Ủy ban nhân dân tỉnh Khánh Hòa",
        level=AgencyLevel.PROVINCE,
    )


@pytest.fixture
def department(province) -> Agency:
    return make_agency(
        identifier="000.17.00.H56", name="Sở Tư pháp", level=AgencyLevel.PROVINCE, parent=province
    )


@pytest.fixture
def commune(province) -> Agency:
    return make_agency(
        identifier="000.00.21.H56",
        name="Ủy ban nhân dân phường Nha Trang",
        level=AgencyLevel.COMMUNE,
        parent=province,
        desk_name="Trung tâm phục vụ hành chính công phường Nha Trang",
    )


@pytest.fixture
def other_commune(province) -> Agency:
    return make_agency(
        identifier="000.00.22.H56",
        name="Ủy ban nhân dân xã Cam Lâm",
        level=AgencyLevel.COMMUNE,
        parent=province,
    )


# ---------------------------------------------------------------- personas


class Persona(NamedTuple):
    agency: str  # the fixture of the agency the persona works in
    role: str | None
    username: str
    first_name: str
    last_name: str
    is_staff: bool = False


PERSONAS = {
    "clerk": Persona("commune", "clerk", "clerk", "Lan", "Trần Thị"),
    "officer": Persona("commune", "officer", "officer", "Minh", "Lê Văn"),
    "unit_head": Persona("commune", "unit_head", "unithead", "Hùng", "Phạm Văn"),
    "commune_leader": Persona("commune", "leader", "communeleader", "Hoa", "Đỗ Thị"),
    "provincial_leader": Persona("province", "leader", "leader", "Quang", "Võ Minh"),
    "inspector": Persona("province", "inspector", "inspector", "Thu", "Ngô Thị"),
    "administrator": Persona("province", "administrator", "admin", "An", "Bùi Văn", True),
    # Signed in, works in another commune, holds no role.
    "outsider": Persona("other_commune", None, "outsider", "Nam", "Hoàng Văn"),
}


def _persona_fixture(name: str, persona: Persona):
    @pytest.fixture(name=name)
    def fixture(request) -> User:
        return make_user(
            agency=request.getfixturevalue(persona.agency),
            roles=(persona.role,) if persona.role else (),
            username=persona.username,
            first_name=persona.first_name,
            last_name=persona.last_name,
            is_staff=persona.is_staff,
        )

    return fixture


# One fixture per persona, named after it: ``def test_x(clerk, outsider)``.
for _name, _persona in PERSONAS.items():
    globals()[_name] = _persona_fixture(_name, _persona)


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: Playwright's own browser downloads are impossible here."""
    executable = shutil.which("chromium")
    if executable is None:
        raise pytest.UsageError(
            "Chromium is missing: `make test` installs Debian's chromium package."
        )
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


# ---------------------------------------------------------------- data shared by a module


@contextlib.contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """Data a whole test module reads (a generated province, the demo), written once
    inside a transaction that is rolled back after the module: the tests' own
    transactions nest inside it, and the next module finds the database as the
    migrations left it (seeded survey templates, indicators...), unlike a flush."""
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Rows that data migrations seed. A transactional test (django_db(transaction=True))
# ends with a flush that empties every table, these included; the next tests expect
# them, as a fresh installation has them. Each seed function is idempotent.
SEEDING_MIGRATIONS = (
    "desk.migrations._indicators",
    "surveys.migrations._templates",
)


_blocker = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrated, but with an empty working-day calendar: the
    migration loads this year's and the next two (desk/migrations/_calendar.py), which would make a
    test's due dates depend on the day the suite runs. Each test states the
    calendar it needs (tests/desk/calendars.py, seed_calendar); the migration's own
    load is tested on fresh databases (tests/desk/test_calendar_years.py)."""
    from desk.models import CalendarDay, CalendarYear

    with django_db_blocker.unblock():
        CalendarDay.objects.all().delete()
        CalendarYear.objects.all().delete()


@pytest.fixture(scope="session", autouse=True)
def _keep_db_blocker(django_db_blocker):
    global _blocker
    _blocker = django_db_blocker


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush (its fixtures are torn down by now), put
    back what the data migrations seed."""
    yield
    marker = item.get_closest_marker("django_db")
    if _blocker is None or marker is None or not marker.kwargs.get("transaction"):
        return
    if nextitem is None:  # the last test: the test database is gone already
        return
    import importlib

    from django.apps import apps
    from django.db import connection

    with _blocker.unblock():
        for module in SEEDING_MIGRATIONS:
            importlib.import_module(module).seed(apps, None)
        # After a browser test this may be a connection of its own (Playwright's
        # event loop changes the context Django keys connections on): close it,
        # or it outlives the session and the test database cannot be dropped.
        if not connection.in_atomic_block:
            connection.close()


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own on a free port (tests/workers.py), stopped after."""
    from tests.workers import REDIS_SERVER, PrivateRedis

    if REDIS_SERVER is None:
        pytest.fail("redis-server is missing: `apt-get install redis-server`.")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_redis(redis_server, settings, monkeypatch, tmp_path) -> Iterator[None]:
    """This process's cache (database 1) and broker (database 0) on the private Redis,
    configured as config/settings.py configures them for production."""
    from config import redis as redis_config
    from config.celery import app
    from tests.workers import reset_broker_pools

    settings.CACHES = {
        **settings.CACHES,
        "default": redis_config.cache_config(
            redis_server.url.rsplit("/", 1)[0] + "/1",
            timeout=settings.REDIS_TIMEOUT,
            key_prefix="faults",
        ),
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery lets these variables override any broker given in code.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    saved = {
        name: app.conf[name]
        for name in ("broker_url", "broker_transport_options", "task_always_eager")
    }
    app.conf.broker_url = redis_server.url
    app.conf.broker_transport_options = redis_config.broker_options(settings.REDIS_TIMEOUT)
    app.conf.task_always_eager = False
    reset_broker_pools(app)
    try:
        yield
    finally:
        app.conf.update(saved)
        reset_broker_pools(app)
        redis_config.breaker.reset()
