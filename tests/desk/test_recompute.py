"""A calendar change recomputes the due dates of open dossiers, in the background.

desk/tasks.py's ``recompute_due_dates`` is called directly here (it is a plain
function with a Celery wrapper); the last test sends it through a real worker on
Redis, started by the admin saving a CalendarDay.
"""

import datetime as dt
import io
import time
import uuid

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from desk.models import CalendarDay, CalendarDayKind, Dossier, DossierEvent, EventKind, State
from desk.services import (
    approve_apology,
    calendar_changed,
    request_supplement,
)
from desk.tasks import recompute_due_dates
from tests.factories import at, local, make_procedure, make_user, processed, processing, returned

TZ = timezone.get_default_timezone()
ITEMS = [{"name": "Bản sao giấy khai sinh", "reason": "Bản nộp bị mờ"}]


@pytest.fixture
def procedure(commune):
    return make_procedure(agencies=(commune,), time_value=5)


def add_day_off(day: str, name: str = "Nghỉ lễ bổ sung") -> CalendarDay:
    return CalendarDay.objects.create(
        date=dt.date.fromisoformat(day), kind=CalendarDayKind.DAY_OFF, name=name
    )


def recompute_events(dossier: Dossier):
    return list(dossier.events.filter(kind=EventKind.RECOMPUTE).order_by("pk"))


# ---------------------------------------------------------------- the service and task


@pytest.mark.django_db
def test_a_new_holiday_in_the_term_moves_the_due_date_later_and_says_so(
    clerk, officer, procedure
) -> None:
    dossier = processing(clerk, officer, procedure)
    add_day_off("2026-03-11", "Ngày nghỉ theo quyết định của tỉnh")

    changed = recompute_due_dates(["2026-03-11"])

    dossier.refresh_from_db()
    assert changed == 1
    assert local(dossier.due_at) == "2026-03-17 10:00"
    assert dossier.original_due_at == dossier.due_at
    # The officer's step runs to the due date: its deadline moves too.
    assert dossier.current_step_due_at == dossier.due_at
    assert dossier.events.get(kind=EventKind.HAND_OVER).step_due_at == dossier.due_at
    (event,) = recompute_events(dossier)
    assert "11/03/2026" in event.note
    assert "10:00 16/03/2026" in event.note and "10:00 17/03/2026" in event.note
    assert (event.from_state, event.to_state) == (State.PROCESSING, State.PROCESSING)
    assert event.data["changed_dates"] == ["2026-03-11"]
    assert any("Ngày nghỉ theo quyết định của tỉnh" in line for line in event.data["explanation"])


@pytest.mark.django_db
def test_removing_the_holiday_moves_it_back(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    day_off = add_day_off("2026-03-11")
    recompute_due_dates(["2026-03-11"])

    day_off.delete()
    recompute_due_dates(["2026-03-11"])

    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-03-16 10:00"
    assert len(recompute_events(dossier)) == 2


@pytest.mark.django_db
def test_a_holiday_outside_the_term_changes_nothing(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    before = dossier.due_at
    add_day_off("2026-03-17")  # the day after the due date

    assert recompute_due_dates(["2026-03-17"]) == 0

    dossier.refresh_from_db()
    assert dossier.due_at == before
    assert recompute_events(dossier) == []


@pytest.mark.django_db
def test_finished_dossiers_are_left_alone(clerk, officer, procedure) -> None:
    processed(clerk, officer, procedure, finished="2026-03-10 09:00")
    returned(
        clerk, officer, procedure, finished="2026-03-10 09:00", returned_at=at("2026-03-10 10:00")
    )
    before = {d.pk: (d.due_at, d.version) for d in Dossier.objects.all()}
    add_day_off("2026-03-11")

    assert recompute_due_dates(["2026-03-11"]) == 0

    assert {d.pk: (d.due_at, d.version) for d in Dossier.objects.all()} == before
    assert not DossierEvent.objects.filter(kind=EventKind.RECOMPUTE).exists()


@pytest.mark.django_db
def test_an_extended_dossier_keeps_its_apology_date(clerk, officer, unit_head, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Cần xác minh thêm",
        new_due_at=at("2026-03-20 16:00"),
        at=at("2026-03-11 09:00"),
    )
    add_day_off("2026-03-12")

    recompute_due_dates(["2026-03-12"])

    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-03-20 16:00"
    assert local(dossier.original_due_at) == "2026-03-16 10:00"
    assert dossier.extended
    assert recompute_events(dossier) == []


@pytest.mark.django_db
def test_running_it_twice_writes_no_second_event(clerk, officer, procedure) -> None:
    moved = processing(clerk, officer, procedure)
    add_day_off("2026-03-11")

    assert recompute_due_dates(["2026-03-11"]) == 1
    version = Dossier.objects.get(pk=moved.pk).version
    assert recompute_due_dates(["2026-03-11"]) == 0

    assert len(recompute_events(moved)) == 1
    assert Dossier.objects.get(pk=moved.pk).version == version


@pytest.mark.django_db
def test_a_dossier_waiting_for_a_supplement_is_recomputed_once(clerk, officer, procedure) -> None:
    # The clock stands still while waiting: the due date must not depend on when the
    # task happens to run (the open pause is not counted up to "now").
    dossier = processing(clerk, officer, procedure)
    request_supplement(
        dossier=dossier, version=None, user=officer, items=ITEMS, at=at("2026-03-10 09:00")
    )
    add_day_off("2026-03-12")

    with time_machine.travel(at("2026-03-13 09:00"), tick=False):
        assert recompute_due_dates(["2026-03-12"]) == 1
    with time_machine.travel(at("2026-03-20 09:00"), tick=False):
        assert recompute_due_dates(["2026-03-12"]) == 0

    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT
    assert local(dossier.due_at) == "2026-03-17 10:00"
    assert len(recompute_events(dossier)) == 1


@pytest.mark.django_db
def test_calendar_changed_enqueues_after_commit(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_changed(dates=[])
    assert callbacks == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        calendar_changed(dates=[dt.date(2026, 3, 11), dt.date(2026, 3, 11)])
    assert len(callbacks) == 1


# ---------------------------------------------------------------- the admin hook


@pytest.fixture
def superuser(province):
    return make_user(agency=province, username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def eager_celery():
    """Tasks run in-process when sent: the admin's on-commit hook without a broker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.mark.django_db
def test_admin_edit_and_bulk_delete_recompute(
    client, superuser, clerk, officer, procedure, eager_celery, django_capture_on_commit_callbacks
) -> None:
    dossier = processing(clerk, officer, procedure)
    day_off = add_day_off("2026-03-20")  # after the due date: no effect yet
    client.force_login(superuser)

    # Moving the day off into the term changes both dates: due moves later.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:desk_calendarday_change", args=[day_off.pk]),
            {"date": "2026-03-11", "kind": CalendarDayKind.DAY_OFF, "name": "Nghỉ", "note": ""},
        )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-03-17 10:00"

    # A new note moves nothing and queues nothing.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("admin:desk_calendarday_change", args=[day_off.pk]),
            {"date": "2026-03-11", "kind": CalendarDayKind.DAY_OFF, "name": "Nghỉ", "note": "QĐ"},
        )
    assert callbacks == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:desk_calendarday_changelist"),
            {"action": "delete_selected", "_selected_action": [day_off.pk], "post": "yes"},
        )
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-03-16 10:00"
    assert len(recompute_events(dossier)) == 2


@pytest.mark.django_db
def test_admin_delete_recomputes(
    client, superuser, clerk, officer, procedure, eager_celery, django_capture_on_commit_callbacks
) -> None:
    dossier = processing(clerk, officer, procedure)
    day_off = add_day_off("2026-03-11")
    recompute_due_dates(["2026-03-11"])
    client.force_login(superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:desk_calendarday_delete", args=[day_off.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-03-16 10:00"


# ---------------------------------------------------------------- end to end, real worker


@pytest.fixture
def worker_on_own_queue():
    """A real Celery worker (a thread of this process) on the Redis broker of
    CELERY_BROKER_URL, consuming a queue of its own so that other test runs sharing
    the broker neither take its task nor hand it theirs."""
    queue = f"test-recompute-{uuid.uuid4().hex[:12]}"
    old_routes = app.conf.task_routes
    app.conf.task_routes = {"desk.tasks.recompute_due_dates": {"queue": queue}}
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield
    finally:
        app.conf.task_routes = old_routes
        app.amqp.flush_routes()
        app.amqp.router = app.amqp.Router()
        app.amqp.queues._consume_from = None  # undo the worker's queue selection
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_saving_a_day_off_in_the_admin_moves_due_dates_through_a_real_worker(
    client, superuser, clerk, officer, procedure, worker_on_own_queue
) -> None:
    assert app.conf.broker_url.startswith("redis://")
    dossier = processing(clerk, officer, procedure)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:desk_calendarday_add"),
        {
            "date": "2026-03-11",
            "kind": CalendarDayKind.DAY_OFF,
            "name": "Nghỉ đột xuất",
            "note": "",
        },
    )
    assert response.status_code == 302

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        dossier.refresh_from_db()
        if local(dossier.due_at) != "2026-03-16 10:00":
            break
        time.sleep(0.05)
    assert local(dossier.due_at) == "2026-03-17 10:00"
    assert len(recompute_events(dossier)) == 1


@pytest.mark.django_db
def test_seeding_the_calendar_recomputes_open_dossiers(
    clerk, officer, procedure, eager_celery, django_capture_on_commit_callbacks
) -> None:
    # Wednesday 26/08 + five working days on a calendar with only weekends: Wed 02/09.
    dossier = processing(clerk, officer, procedure, "2026-08-26 10:00")
    assert local(dossier.due_at) == "2026-09-02 10:00"
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_calendar", "--years", "2026", stdout=out)

    # Now Monday 31/08 (a bridge day, in exchange for Saturday 22/08) and National
    # Day 01-02/09 are off: Thu 27, Fri 28, Thu 03, Fri 04, Mon 07.
    dossier.refresh_from_db()
    assert local(dossier.due_at) == "2026-09-07 10:00"
    event = dossier.events.get(kind=EventKind.RECOMPUTE)
    assert local(dt.datetime.fromisoformat(event.data["due_before"])) == "2026-09-02 10:00"
    assert "tính lại" in out.getvalue()
