"""What every write to a dossier shares: the desk's refusals, the locked read with
its permission check, the timeline event, the required text, the listed missing
items, and the dossier's term (its due date from its receipt, pauses and apology).

The row lock and the versioned save are procedures/workflow.py's (``locked``,
``save_versioned``); the calendar and the clock's other rules are desk/clock.py's.
"""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from procedures.models import Agency, Procedure, ProcedureVariant, User
from procedures.workflow import Refused, Stale, locked

from ..clock import calendar_for
from ..deadlines import Deadline, WorkCalendar, WorkingHours, compute_due
from ..models import ApologyStatus, Dossier, DossierEvent
from ..permissions import Action, refusal


class DossierError(Refused):
    """A refused action on a dossier (procedures/workflow.py)."""


class ActionRefused(DossierError):
    pass


class StaleDossier(DossierError, Stale):
    pass


# ---------------------------------------------------------------- the term


def term_variant(procedure: Procedure, variant: ProcedureVariant | None) -> ProcedureVariant:
    """The case whose time limit runs: the one chosen, or the procedure's default."""
    variant = variant or procedure.default_variant()
    if variant is None:
        raise ActionRefused(_("Thủ tục chưa có thời hạn giải quyết; không thể tính hạn."))
    return variant


def term_from(
    received_at: dt.datetime,
    variant: ProcedureVariant,
    agency: Agency,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """The due date of a dossier received at ``received_at``, before any pause."""
    return compute_due(
        received_at,
        variant.time_value,
        variant.time_unit,
        hours=WorkingHours.for_agency(agency),
        calendar=calendar or calendar_for(received_at),
    )


def supplement_pauses(
    dossier: Dossier, *, count_open_pause: bool
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The clock's stops: each supplement request until it was supplied."""
    return [
        (s.requested_at, s.supplied_at)
        for s in dossier.supplements.all()
        if count_open_pause or s.supplied_at is not None
    ]


def deadline_for(
    dossier: Dossier,
    *,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
    count_open_pause: bool = True,
) -> Deadline:
    """The due date of ``dossier`` from its receipt, pauses and apology, explained.

    A pause still open counts until ``now``; with ``count_open_pause=False`` it is
    left out, which gives the stored ``due_at`` of a dossier waiting for a supplement
    (request_supplement does not move it; record_supplement does).
    """
    received_at = dossier.received_at
    assert received_at is not None, "a dossier's term starts when the desk receives it"
    variant = term_variant(dossier.procedure, dossier.variant)
    apology = next((a for a in dossier.apologies.all() if a.status == ApologyStatus.APPROVED), None)
    return compute_due(
        received_at,
        variant.time_value,
        variant.time_unit,
        hours=WorkingHours.for_agency(dossier.receiving_agency),
        calendar=calendar or calendar_for(received_at, now),
        pauses=supplement_pauses(dossier, count_open_pause=count_open_pause),
        extension=apology.new_due_at if apology else None,
        restart_after_pause=dossier.procedure.restart_term_after_supplement,
        now=now,
    )


def preview_deadline(
    *,
    procedure: Procedure,
    variant: ProcedureVariant | None,
    agency: Agency,
    received_at: dt.datetime,
) -> Deadline:
    """The due date an intake would get, shown to the clerk before saving."""
    return term_from(received_at, term_variant(procedure, variant), agency)


# ---------------------------------------------------------------- plumbing


def acting_on(dossier: Dossier, version: int | None, user: User, action: Action) -> Dossier:
    """Lock the row, check the version the user acted on, and refuse unless
    desk/permissions.py lets this user take ``action`` in the dossier's state."""
    fresh = locked_dossier(dossier, version)
    reason = refusal(user, fresh, action)
    if reason is not None:
        raise ActionRefused(str(reason))
    return fresh


def locked_dossier(dossier: Dossier, version: int | None) -> Dossier:
    """Lock the row and check the version the user acted on."""
    return locked(
        Dossier.objects.select_related(
            "procedure", "receiving_agency", "current_agency", "variant"
        ),
        dossier.pk,
        version,
        lambda fresh: StaleDossier(
            _(
                "Hồ sơ %(code)s vừa được người khác cập nhật. Trang đã được tải lại; "
                "vui lòng kiểm tra và thực hiện lại nếu vẫn cần."
            )
            % {"code": fresh.code}
        ),
    )


def record_event(
    dossier: Dossier, kind: str, actor: User | None, from_state: int, **fields: Any
) -> DossierEvent:
    """The timeline's row for a transition to the dossier's state as it is now."""
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        actor=actor,
        from_state=from_state,
        to_state=dossier.state,
        **fields,
    )


def required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionRefused(message)
    return text


def clean_items(items: list[dict[str, str]]) -> list[dict[str, str]]:
    """The missing items of a guidance or a supplement request, each with its reason."""
    cleaned = [
        {"name": (i.get("name") or "").strip(), "reason": (i.get("reason") or "").strip()}
        for i in items
        if (i.get("name") or "").strip() or (i.get("reason") or "").strip()
    ]
    if not cleaned:
        raise ActionRefused(_("Phải liệt kê ít nhất một nội dung cần bổ sung."))
    if any(not i["name"] or not i["reason"] for i in cleaned):
        raise ActionRefused(_("Mỗi nội dung cần bổ sung phải có tên giấy tờ và lý do."))
    return cleaned
