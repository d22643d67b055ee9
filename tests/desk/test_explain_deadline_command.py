"""manage.py explain_deadline: first line the due moment, then the explanation."""

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from desk.models import CalendarDay, CalendarDayKind, CalendarYear
from tests.desk.calendars import DAYS_OFF_2026, WORKING_DAYS_2026
from tests.factories import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_2026() -> None:
    """2026 as the Government announced it, confirmed by an administrator."""
    CalendarYear.objects.create(year=2026, confirmed_at=timezone.now())
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=day, kind=CalendarDayKind.DAY_OFF, name=n)
            for day, n in DAYS_OFF_2026.items()
        ]
        + [
            CalendarDay(date=day, kind=CalendarDayKind.WORKING_DAY, name=n)
            for day, n in WORKING_DAYS_2026.items()
        ]
    )


def explain(*args: str) -> tuple[list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("explain_deadline", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def test_five_working_days_across_tet(calendar_2026) -> None:
    lines, err = explain("--received", "2026-02-13 10:00", "--time", "5 working days")

    assert lines[0] == "2026-02-27 10:00"
    assert lines[1] == "Tiếp nhận hồ sơ lúc 10:00 Thứ Sáu 13/02/2026."
    assert "Không tính Thứ Ba 17/02/2026: Tết Nguyên đán." in lines
    assert lines[-1] == "Hạn trả kết quả: 10:00 Thứ Sáu 27/02/2026."
    assert err == ""


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("5 ngày làm việc", "2026-03-16 10:00"),
        ("8 giờ làm việc", "2026-03-10 10:00"),
        ("8 working hours", "2026-03-10 10:00"),
        ("1,5 giờ làm việc", "2026-03-09 11:30"),
        ("15 calendar days", "2026-03-24 17:00"),
        ("15 ngày", "2026-03-24 17:00"),
        ("immediate", "2026-03-09 10:00"),
        ("trả ngay", "2026-03-09 10:00"),
        ("Trả kết quả ngay", "2026-03-09 10:00"),
    ],
)
def test_terms_in_english_and_vietnamese(calendar_2026, term, expected) -> None:
    lines, _ = explain("--received", "2026-03-09 10:00", "--time", term)

    assert lines[0] == expected


def test_vietnamese_date_format_is_accepted(calendar_2026) -> None:
    lines, _ = explain("--received", "09/03/2026 17:30", "--time", "1 ngày làm việc")

    assert lines[0] == "2026-03-10 17:00"
    assert "Tiếp nhận sau giờ làm việc (17:00)" in lines[2]


def test_agency_hours_apply_by_identifier_and_by_id(calendar_2026) -> None:
    agency = make_agency(
        identifier="000.00.77.H56",
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13, 0),
        afternoon_end=dt.time(17, 0),
    )

    by_identifier, _ = explain(
        "--received", "2026-03-09 12:45", "--time", "2 giờ làm việc", "--agency", agency.identifier
    )
    by_id, _ = explain(
        "--received", "2026-03-09 12:45", "--time", "2 giờ làm việc", "--agency", str(agency.pk)
    )

    # Lunch ends at 13:00 at this agency (13:30 by default).
    assert by_identifier[0] == by_id[0] == "2026-03-09 15:00"


def test_unseeded_year_gives_a_warning_and_weekends_only() -> None:
    lines, err = explain("--received", "2026-02-13 10:00", "--time", "5 ngày làm việc")

    assert lines[0] == "2026-02-20 10:00"
    assert "lịch ngày nghỉ năm 2026 chưa được nạp" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--received", "2026-02-30 10:00", "--time", "5 ngày"), "Không đọc được thời điểm"),
        (("--received", "hôm qua", "--time", "5 ngày"), "Không đọc được thời điểm"),
        (("--received", "2026-02-13 10:00", "--time", "5 tuần"), "Đơn vị thời hạn"),
        (("--received", "2026-02-13 10:00", "--time", "-5 ngày làm việc"), "số âm"),
        (("--received", "2026-02-13 10:00", "--time", "năm ngày"), "Không hiểu thời hạn"),
        (("--received", "2026-02-13 10:00", "--time", "1,5 ngày làm việc"), "số nguyên"),
        (
            ("--received", "2026-02-13 10:00", "--time", "5 ngày", "--agency", "999.99.99.H99"),
            "Không tìm thấy cơ quan",
        ),
        (
            ("--received", "2026-02-13 10:00", "--time", "5 ngày", "--agency", "987654"),
            "Không tìm thấy cơ quan",
        ),
    ],
)
def test_bad_input_is_a_clear_command_error(args, message) -> None:
    with pytest.raises(CommandError, match=message):
        explain(*args)


def test_bad_input_exits_non_zero_from_the_shell() -> None:
    # Parsing fails before any database access, so the real manage.py can run it.
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "explain_deadline", "--received", "x", "--time", "5 ngày"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )

    assert result.returncode != 0
    assert "Không đọc được thời điểm tiếp nhận" in result.stderr
    assert result.stdout == ""
