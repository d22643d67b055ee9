"""After the working-day calendar changes (docs/domain.md §4): the open dossiers'
due dates are recomputed in the background (desk/tasks.py), each change said on
the dossier's timeline."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.redis import enqueue_after_commit
from procedures.workflow import save_versioned

from ..deadlines import WorkCalendar
from ..models import Dossier, DossierEvent, EventKind
from .common import ActionRefused, deadline_for
from .processing import apply_deadline


def calendar_changed(*, dates: Iterable[dt.date]) -> None:
    """The working-day calendar changed on ``dates`` (a day off added, removed or
    moved): once the edit commits, recompute the open dossiers' due dates in the
    background (desk/tasks.py). Called by the CalendarDay admin.

    If the broker cannot take the task, the calendar edit stands and the failure is
    logged: re-saving the day, or running the task by hand, catches up.
    """
    payload = sorted({day.isoformat() for day in dates})
    if payload:
        enqueue_after_commit("desk.tasks.recompute_due_dates", payload, what=f"recompute {payload}")


def recompute_open_due_dates(*, changed_dates: list[dt.date]) -> int:
    """After a calendar edit: recompute the due dates of open dossiers whose term
    spans a changed date; each changed dossier's timeline says so. Returns how many
    changed. Runs in the background (desk/tasks.py), one dossier per transaction.

    Idempotent: a second run with the same dates finds nothing to change and writes
    no event. A dossier waiting for a supplement keeps the due date it had when the
    clock stopped (its open pause is left out, not counted up to "now"); the pause is
    added when the supplement arrives (record_supplement).
    """
    if not changed_dates:
        return 0
    first = min(changed_dates)
    last = max(changed_dates)
    tz = timezone.get_default_timezone()
    window_start = dt.datetime.combine(first, dt.time.min, tz)
    candidates = (
        Dossier.objects.open()
        .filter(received_at__lte=dt.datetime.combine(last, dt.time.max, tz))
        .filter(due_at__gte=window_start)
        .values_list("pk", flat=True)
    )
    shown = sorted(set(changed_dates))
    dates_text = ", ".join(f"{day:%d/%m/%Y}" for day in shown[:5]) + ("…" if len(shown) > 5 else "")
    changed = 0
    calendar = WorkCalendar.from_database()
    for pk in candidates.iterator(chunk_size=500):
        with transaction.atomic():
            dossier = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related("procedure", "receiving_agency", "variant")
                .prefetch_related("supplements", "apologies")
                .get(pk=pk)
            )
            if not dossier.is_open or dossier.received_at is None:
                continue
            try:
                deadline = deadline_for(dossier, calendar=calendar, count_open_pause=False)
            except ActionRefused:  # the procedure lost its time limit: nothing to compute
                continue
            if deadline.due_at == dossier.due_at:
                continue
            before = dossier.due_at
            moved = apply_deadline(dossier, deadline, calendar)
            save_versioned(dossier, "due_at", "original_due_at", "current_step_due_at")
            DossierEvent.objects.create(
                dossier=dossier,
                kind=EventKind.RECOMPUTE,
                from_state=dossier.state,
                to_state=dossier.state,
                note=_(
                    "Lịch ngày nghỉ, ngày làm việc bù thay đổi (ngày %(dates)s): hạn xử lý "
                    "được tính lại từ %(before)s thành %(after)s."
                )
                % {
                    "dates": dates_text,
                    "before": f"{timezone.localtime(before, tz):%H:%M %d/%m/%Y}" if before else "—",
                    "after": f"{timezone.localtime(deadline.due_at, tz):%H:%M %d/%m/%Y}",
                },
                data={"changed_dates": [day.isoformat() for day in shown], **moved},
            )
            changed += 1
    return changed
