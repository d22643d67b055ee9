"""Print a due date and its explanation, as the deadline engine computes it.

    manage.py explain_deadline --received "2026-02-13 10:00" --time "5 working days"

The first line is the due moment as ``YYYY-MM-DD HH:MM``, in every case; the
explanation follows, and warnings about the calendar (a year not loaded or not
confirmed) come after it.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from desk.deadlines import DEFAULT_HOURS, WorkCalendar, WorkingHours, compute_due
from procedures.models import Agency, TimeUnit
from procedures.text import fold

# Folded (no diacritics, lower case) unit words -> unit.
UNITS = {
    "working day": TimeUnit.WORKING_DAYS,
    "working days": TimeUnit.WORKING_DAYS,
    "ngay lam viec": TimeUnit.WORKING_DAYS,
    "working hour": TimeUnit.WORKING_HOURS,
    "working hours": TimeUnit.WORKING_HOURS,
    "gio lam viec": TimeUnit.WORKING_HOURS,
    "calendar day": TimeUnit.CALENDAR_DAYS,
    "calendar days": TimeUnit.CALENDAR_DAYS,
    "day": TimeUnit.CALENDAR_DAYS,
    "days": TimeUnit.CALENDAR_DAYS,
    "ngay": TimeUnit.CALENDAR_DAYS,
}
IMMEDIATE = {"immediate", "immediately", "tra ngay", "tra ket qua ngay"}
_TERM = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s+(\S.*)$")
_RECEIVED_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


def parse_term(text: str) -> tuple[Decimal, str]:
    """("5 ngày làm việc") -> (5, "working_days"); raises CommandError on bad input."""
    if fold(text) in IMMEDIATE:
        return Decimal(0), TimeUnit.IMMEDIATE
    match = _TERM.match(text)
    if not match:
        raise CommandError(
            f"Không hiểu thời hạn {text!r}: ví dụ “5 ngày làm việc”, “8 giờ làm việc”, "
            "“15 ngày”, “trả ngay”, “5 working days”."
        )
    try:
        value = Decimal(match[1].replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern admits numbers only
        raise CommandError(f"Số không hợp lệ: {match[1]!r}.") from error
    if value < 0:
        raise CommandError("Thời hạn không được là số âm.")
    unit = UNITS.get(fold(match[2]))
    if unit is None:
        raise CommandError(
            f"Đơn vị thời hạn không hợp lệ: {match[2]!r} (dùng ngày làm việc, giờ làm việc, "
            "ngày, trả ngay)."
        )
    if unit != TimeUnit.WORKING_HOURS and value % 1:
        raise CommandError("Thời hạn tính theo ngày phải là số nguyên.")
    return value, unit


def parse_received(text: str) -> dt.datetime:
    """ "2026-02-13 10:00" or "13/02/2026 10:00", local time unless an offset is given."""
    value = None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        for fmt in _RECEIVED_FORMATS:
            try:
                value = dt.datetime.strptime(text.strip(), fmt)
                break
            except ValueError:
                continue
    if value is None:
        raise CommandError(
            f"Không đọc được thời điểm tiếp nhận {text!r}: dùng dạng “2026-02-13 10:00”."
        )
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def find_agency(value: str) -> Agency:
    agency = (
        Agency.objects.filter(pk=int(value)).first()
        if value.isdigit()
        else Agency.objects.filter(identifier=value).first()
    )
    if agency is None:
        raise CommandError(f"Không tìm thấy cơ quan {value!r} (mã định danh hoặc id).")
    return agency


class Command(BaseCommand):
    help = "Compute a due date with the working-day calendar and explain it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--received", required=True, help='e.g. "2026-02-13 10:00"')
        parser.add_argument(
            "--time", required=True, help='e.g. "5 working days", "8 giờ làm việc", "trả ngay"'
        )
        parser.add_argument("--agency", help="identifier (000.00.21.H56) or id; its hours apply")

    def handle(self, *args, received: str, time: str, agency: str | None, **options) -> None:
        received_at = parse_received(received)
        value, unit = parse_term(time)
        hours = WorkingHours.for_agency(find_agency(agency)) if agency else DEFAULT_HOURS
        calendar = WorkCalendar.from_database(timezone.localtime(received_at).date())
        try:
            deadline = compute_due(received_at, value, unit, hours=hours, calendar=calendar)
        except ValueError as error:
            raise CommandError(str(error)) from error
        # The due moment first, in every case; the explanation ends with the calendar's
        # warnings (a year not loaded or not confirmed), repeated on stderr with the fix.
        self.stdout.write(f"{timezone.localtime(deadline.due_at):%Y-%m-%d %H:%M}")
        for line in deadline.explain():
            self.stdout.write(line)
        span = range(timezone.localtime(received_at).year, deadline.due_at.year + 1)
        for year in span:
            if year in calendar.unseeded_years:
                self.stderr.write(
                    f"Cảnh báo: lịch ngày nghỉ năm {year} chưa được nạp (manage.py "
                    f"seed_calendar --years {year}); năm này chỉ tính Thứ Bảy, Chủ nhật là "
                    "ngày nghỉ."
                )
            elif year in calendar.unconfirmed_years:
                self.stderr.write(
                    f"Lưu ý: lịch năm {year} chưa được xác nhận (Quản trị > Các năm của lịch "
                    "làm việc); hạn có thể thay đổi khi lịch được xác nhận."
                )
