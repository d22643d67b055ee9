"""The working-day calendar (lịch ngày nghỉ, ngày làm việc bù) of docs/domain.md §6.

Only the exceptions are stored: weekdays are working days unless a ``day_off`` row
says otherwise, Saturdays and Sundays are off unless a ``working_day`` row says
otherwise. The deadline engine (desk/deadlines.py) reads these rows through
``WorkCalendar``; the seed comes from the ``holidays`` package (desk/calendar_seed.py)
and administrators correct it in the admin.

``CalendarYear`` says which years are loaded and which an administrator has
confirmed against the Government's decision on that year's Tết and swapped
working days (docs/domain.md §6). A due date computed over a year that is not
loaded, or not confirmed, says so in its explanation.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    # A Saturday or Sunday worked in exchange for a bridging day off; on a weekday it
    # cancels a seeded day off (the engine treats the day as worked).
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarDaySource(models.TextChoices):
    HOLIDAYS = "holidays", _("Lịch nghỉ lễ, Tết mặc định")
    ADMIN = "admin", _("Quản trị viên")


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    def between(self, first: dt.date, last: dt.date) -> "CalendarDayQuerySet":
        """Rows from ``first`` to ``last`` inclusive (a range on the unique date index)."""
        return self.filter(date__gte=first, date__lte=last)


class CalendarDay(models.Model):
    """A day off on a weekday (ngày nghỉ lễ, Tết, nghỉ bù) or a weekend day worked
    in exchange (ngày làm việc bù)."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(
        _("loại ngày"),
        max_length=12,
        choices=CalendarDayKind.choices,
        # Deleting a seeded row would bring it back at the next seed_calendar run;
        # changing its kind keeps the administrator's decision.
        help_text=_(
            "Để bỏ một ngày nghỉ đã nạp sẵn, hãy đổi thành “Ngày làm việc bù” thay vì xóa: "
            "ngày đã xóa sẽ được nạp lại."
        ),
    )
    # Shown to clerks and citizens as the reason a day is skipped, e.g. "Tết Nguyên đán".
    name = models.CharField(_("tên"), max_length=255)
    note = models.TextField(
        _("ghi chú"),
        blank=True,
        help_text=_("Ví dụ: căn cứ thông báo của Bộ Nội vụ, hoặc lý do điều chỉnh."),
    )
    source = models.CharField(
        _("nguồn"),
        max_length=10,
        choices=CalendarDaySource.choices,
        default=CalendarDaySource.ADMIN,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm việc bù")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm việc bù")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"


class CalendarYear(models.Model):
    """A year of the calendar: loaded (its days off and swapped working days are in
    CalendarDay) and, once the Government has fixed Tết and the swapped Saturdays by
    decision, confirmed by an administrator. Until then due dates over the year are
    provisional and say so."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True)
    loaded_at = models.DateTimeField(_("nạp lúc"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField(
        _("căn cứ xác nhận"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Thông báo số …/TB-BNV của Bộ Nội vụ về lịch nghỉ Tết."),
    )

    class Meta:
        verbose_name = _("năm của lịch làm việc")
        verbose_name_plural = _("các năm của lịch làm việc")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None
