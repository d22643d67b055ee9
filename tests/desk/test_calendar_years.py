"""A calendar that is never missing (issue #14): a fresh migrate loads this year and the
next two, the nightly task keeps three years ahead, an administrator confirms a year
against the Government's decision, and every due date over a year that is not loaded
or not confirmed says so: on the dossier page, in explain_deadline, in the admin."""

import datetime as dt
import importlib
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from desk import services, tasks
from desk.calendar_seed import (
    calendar_notice_texts,
    calendar_notices,
    ensure_years,
    seed_calendar,
    years_to_hold,
)
from desk.deadlines import DEFAULT_HOURS, WorkCalendar, compute_due
from desk.models import CalendarDay, CalendarDayKind, CalendarYear, State
from procedures.models import TimeUnit
from tests.factories import dossier_in_state, make_procedure, make_user

ROOT = Path(__file__).resolve().parents[2]
D = dt.date
TZ = timezone.get_default_timezone()
LOAD = importlib.import_module("desk.migrations._calendar").load_calendar


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def test_a_fresh_sqlite_migrate_loads_this_year_and_the_next_two(tmp_path) -> None:
    """The demo's database, as `make demo` creates it: no seed_calendar anywhere."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "MOTCUA_VAR_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    with sqlite3.connect(tmp_path / "fresh.sqlite3") as db:
        years = [row[0] for row in db.execute("SELECT year FROM desk_calendaryear ORDER BY year")]
        unconfirmed = db.execute(
            "SELECT count(*) FROM desk_calendaryear WHERE confirmed_at IS NULL"
        ).fetchone()[0]
        tet = db.execute(
            "SELECT count(*) FROM desk_calendarday WHERE name LIKE '%Tết Nguyên Đán%'"
        ).fetchone()[0]
    this_year = timezone.localdate().year
    assert years == [this_year, this_year + 1, this_year + 2]
    assert unconfirmed == 3  # loaded from the package: an administrator confirms each
    assert tet >= 3 * 4  # four or five weekdays of Tết each year


@pytest.mark.django_db
def test_the_migration_on_postgresql_keeps_existing_rows_and_adds_missing_years() -> None:
    # An existing installation: an administrator's row in this year, nothing else.
    this_year = timezone.localdate().year
    own = CalendarDay.objects.create(
        date=D(this_year, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù của tỉnh"
    )

    LOAD(apps, None)
    LOAD(apps, None)  # twice: nothing more

    assert list(CalendarYear.objects.values_list("year", flat=True)) == years_to_hold()
    own.refresh_from_db()
    assert own.name == "Nghỉ bù của tỉnh"
    # This year had a row: recorded as loaded, not re-seeded over the administrator.
    assert not CalendarDay.objects.filter(date=D(this_year, 1, 1)).exists()
    # The next two were missing: loaded, New Year's Day included.
    for year in (this_year + 1, this_year + 2):
        assert CalendarDay.objects.filter(date=D(year, 1, 1)).exists()


@pytest.mark.django_db
def test_the_nightly_task_keeps_three_years_and_leaves_confirmations_alone() -> None:
    assert settings.CELERY_BEAT_SCHEDULE["extend-calendar"]["task"] == "desk.tasks.extend_calendar"
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=TZ), tick=False):
        assert tasks.extend_calendar() > 0
        CalendarYear.objects.filter(year=2026).update(confirmed_at=timezone.now())
        assert tasks.extend_calendar() == 0  # run again: nothing
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 20, tzinfo=TZ), tick=False):
        added = ensure_years()
    assert added and {day.year for day in added} == {2029}
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2026, 2027, 2028, 2029]
    assert CalendarYear.objects.get(year=2026).confirmed


@pytest.mark.django_db
def test_a_due_date_over_an_unconfirmed_or_missing_year_says_so_after_the_due_line() -> None:
    seed_calendar([2026])  # loaded, not confirmed
    deadline = compute_due(
        at("2026-12-28 10:00"),
        5,
        TimeUnit.WORKING_DAYS,
        hours=DEFAULT_HOURS,
        calendar=WorkCalendar.from_database(D(2026, 12, 28)),
    )
    lines = deadline.explain()
    due_line = next(i for i, line in enumerate(lines) if line.startswith("Hạn trả kết quả"))
    assert lines[due_line + 1 :] == deadline.warnings
    assert len(deadline.warnings) == 2
    assert "năm 2026 chưa được xác nhận" in deadline.warnings[0]
    assert "năm 2027 chưa được nạp" in deadline.warnings[1]

    CalendarYear.objects.filter(year=2026).update(confirmed_at=timezone.now())
    within_2026 = compute_due(
        at("2026-12-01 10:00"),
        2,
        TimeUnit.WORKING_DAYS,
        hours=DEFAULT_HOURS,
        calendar=WorkCalendar.from_database(D(2026, 12, 1)),
    )
    assert within_2026.warnings == []
    assert within_2026.explain()[-1].startswith("Hạn trả kết quả")


@pytest.mark.django_db
def test_explain_deadline_prints_the_due_date_first_and_warnings_after() -> None:
    seed_calendar([2026])
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "explain_deadline",
        "--received",
        "2026-12-30 10:00",
        "--time",
        "5 ngày làm việc",
        stdout=out,
        stderr=err,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "2027-01-06 10:00"
    assert "năm 2027 chưa được nạp" in lines[-1]
    assert "seed_calendar --years 2027" in err.getvalue()
    assert "lịch năm 2026 chưa được xác nhận" in err.getvalue()


@pytest.mark.django_db
def test_the_dossier_page_shows_the_calendar_warning(client, clerk, officer, commune) -> None:
    procedure = make_procedure(name="Đăng ký khai sinh", agencies=(commune,))
    dossier = dossier_in_state(State.PROCESSING, clerk=clerk, officer=officer, procedure=procedure)
    warnings = services.deadline_for(dossier).warnings
    assert warnings  # the test database's calendar is empty: no year is loaded
    client.force_login(clerk)
    html = client.get(reverse("desk:detail", args=[dossier.code])).content.decode()
    for line in warnings:
        assert line in html


@pytest.mark.django_db
def test_the_admin_warns_sixty_days_ahead_and_confirms_with_an_audit_entry(client) -> None:
    confirmed = CalendarYear.objects.create(year=2026, confirmed_at=timezone.now())
    pending = CalendarYear.objects.create(year=2027)
    assert calendar_notices(D(2026, 10, 1)) == []  # 2027 is 92 days away
    assert calendar_notices(D(2026, 11, 10)) == [(2027, True)]  # 52 days away
    assert calendar_notices(D(2027, 12, 1)) == [(2027, True), (2028, False)]

    admin_user = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=TZ), tick=False):
        [text] = calendar_notice_texts()
        for page in ("admin:desk_calendaryear_changelist", "admin:desk_calendarday_changelist"):
            html = client.get(reverse(page)).content.decode()
            assert "năm 2027 chưa được xác nhận" in html
        response = client.post(
            reverse("admin:desk_calendaryear_changelist"),
            {"action": "confirm", "_selected_action": [pending.pk, confirmed.pk]},
        )
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.confirmed and year.confirmed_by == admin_user
    assert LogEntry.objects.filter(object_id=str(year.pk), user=admin_user).count() == 1
    # The year confirmed before keeps its confirmation, with no second entry.
    assert not LogEntry.objects.filter(object_id=str(confirmed.pk)).exists()
    assert calendar_notices(D(2026, 11, 10)) == []
    assert "2027" in text


@pytest.mark.django_db
def test_the_leaders_dashboard_warns_about_next_years_calendar(client, provincial_leader) -> None:
    CalendarYear.objects.create(year=2026, confirmed_at=timezone.now())
    CalendarYear.objects.create(year=2027)
    client.force_login(provincial_leader)
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, tzinfo=TZ), tick=False):
        quiet = client.get(reverse("desk:dashboard")).content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 10, 9, tzinfo=TZ), tick=False):
        html = client.get(reverse("desk:dashboard")).content.decode()
    assert "data-calendar-notice" not in quiet
    assert html.count("data-calendar-notice") == 1
    assert "năm 2027 chưa được xác nhận" in html
