"""Every write to a dossier: intake, hand-overs, the one supplement request,
payment, apology, withdrawal, result, return, correction.

Each service locks the dossier row, checks the version the user saw (two people
acting at once: one wins, the other gets ``StaleDossier`` and a refreshed view),
asks desk/permissions.py whether this user may take this action in this state,
writes, appends a timeline event and bumps the version, all in one transaction.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from config.redis import enqueue_after_commit
from procedures.models import Agency, Procedure, ProcedureVariant, Role, TimeUnit, User
from procedures.text import fold
from procedures.workflow import Refused, Stale, locked, save_versioned

from . import stats
from .clock import calendar_for
from .deadlines import Deadline, WorkCalendar, WorkingHours, compute_due
from .models import (
    ApologyLetter,
    ApologyStatus,
    Channel,
    Counter,
    Delivery,
    Dossier,
    DossierAttachment,
    DossierDocument,
    DossierEvent,
    EventKind,
    State,
    SupplementRequest,
    Timeliness,
)
from .permissions import Action, refusal
from .signals import result_returned
from .uploads import validate_scan

# docs/domain.md §5: the desk hands a dossier over the same day, or the next morning
# if it was received after this time.
HAND_OVER_CUTOFF = dt.time(15, 0)


class DossierError(Refused):
    """A refused action on a dossier (procedures/workflow.py)."""


class ActionRefused(DossierError):
    pass


class StaleDossier(DossierError, Stale):
    pass


@dataclass(frozen=True)
class ApplicantData:
    name: str
    id_number: str
    birth_date: dt.date | None = None
    address: str = ""
    phone: str = ""
    email: str = ""
    filer_name: str = ""
    filer_id_number: str = ""
    filer_phone: str = ""
    filer_address: str = ""
    power_of_attorney: str = ""


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    originals: int = 0
    certified_copies: int = 0
    copies: int = 0
    digitised: bool = False


# ---------------------------------------------------------------- numbers and clocks


def next_number(scope: str) -> int:
    """The next value of a named counter, atomically, even for concurrent callers.

    One upsert statement: the row lock it takes is held to the end of the caller's
    transaction, so two intakes at the same desk and instant get different numbers.
    """
    table = Counter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, last) VALUES (%s, 1) "
            f"ON CONFLICT (scope) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [scope],
        )
        return cursor.fetchone()[0]


def new_dossier_code(agency: Agency, at: dt.datetime) -> str:
    """``{agency identifier}-{yyMMdd}-{NNNN}``, numbered per agency per local day."""
    day = timezone.localtime(at).strftime("%y%m%d")
    number = next_number(f"code:{agency.pk}:{day}")
    return f"{agency.identifier}-{day}-{number:04d}"


def _variant(dossier: Dossier) -> ProcedureVariant:
    variant = dossier.variant or dossier.procedure.default_variant()
    if variant is None:
        raise ActionRefused(_("Thủ tục chưa có thời hạn giải quyết; không thể tính hạn."))
    return variant


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
    variant = _variant(dossier)
    pauses = [
        (s.requested_at, s.supplied_at)
        for s in dossier.supplements.all()
        if count_open_pause or s.supplied_at is not None
    ]
    apology = next((a for a in dossier.apologies.all() if a.status == ApologyStatus.APPROVED), None)
    return compute_due(
        dossier.received_at,
        variant.time_value,
        variant.time_unit,
        hours=WorkingHours.for_agency(dossier.receiving_agency),
        calendar=calendar or calendar_for(dossier.received_at, now),
        pauses=pauses,
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
    variant = variant or procedure.default_variant()
    if variant is None:
        raise ActionRefused(_("Thủ tục chưa có thời hạn giải quyết; không thể tính hạn."))
    return compute_due(
        received_at,
        variant.time_value,
        variant.time_unit,
        hours=WorkingHours.for_agency(agency),
        calendar=calendar_for(received_at),
    )


def desk_step_due(agency: Agency, received_at: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """When the desk must have handed the dossier over: closing time the same working
    day, or the end of the next working morning if received after 15:00."""
    hours = WorkingHours.for_agency(agency)
    local = timezone.localtime(received_at)
    day = local.date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
        return hours.closing(day)
    if local.time() >= HAND_OVER_CUTOFF:
        day = calendar.next_working_day(day)
        tz = timezone.get_default_timezone()
        return dt.datetime.combine(day, hours.morning_end, tz)
    return hours.closing(day)


def judge(finished_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Early, on time or late. "Early" means finished on a day before the due day."""
    if due_at is None:
        return Timeliness.ON_TIME
    if finished_at > due_at:
        return Timeliness.LATE
    if timezone.localtime(finished_at).date() < timezone.localtime(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


# ---------------------------------------------------------------- plumbing


def _locked(dossier: Dossier, version: int | None) -> Dossier:
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


def _check(user: User, dossier: Dossier, action: Action) -> None:
    reason = refusal(user, dossier, action)
    if reason is not None:
        raise ActionRefused(str(reason))


def _event(
    dossier: Dossier, kind: str, actor: User | None, from_state: int, **fields: Any
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        actor=actor,
        from_state=from_state,
        to_state=dossier.state,
        **fields,
    )


def _save(dossier: Dossier, *fields: str) -> None:
    save_versioned(dossier, *fields)


def _move_step_deadline(dossier: Dossier, before: dt.datetime | None, after: dt.datetime) -> None:
    """When the due date moves (supplement, on-time apology, calendar change), the step
    that runs to it moves too: hand_over gives a unit's step the dossier's due date, and
    the control slip judges the step against its row's ``step_due_at``. The caller saves
    ``current_step_due_at``."""
    if before is None or before == after:
        return
    if dossier.current_step_due_at == before:
        dossier.current_step_due_at = after
    dossier.events.filter(
        kind=EventKind.HAND_OVER, step_finished_at__isnull=True, step_due_at=before
    ).update(step_due_at=after)


def step_due(
    dossier: Dossier,
    index: int,
    *,
    calendar: WorkCalendar | None = None,
    now: dt.datetime | None = None,
) -> dt.datetime | None:
    """The deadline of the dossier's ``index``-th processing step (0: the first
    hand-over), from the procedure's internal steps (procedures.ProcedureStep).

    Receipt plus the working hours of steps 0..index, moved by the supplement pauses
    that ended, capped at the dossier's due date; the last step, a hand-over beyond
    the listed steps, or a term not in working days or hours runs to the due date.
    """
    due = dossier.due_at
    steps = list(dossier.procedure.internal_steps.all())
    if index >= len(steps) - 1 or dossier.received_at is None:
        return due
    variant = _variant(dossier)
    if variant.time_unit not in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS):
        return due
    hours = WorkingHours.for_agency(dossier.receiving_agency)
    per_unit = (
        Decimal(hours.day_seconds) / 3600 if variant.time_unit == TimeUnit.WORKING_DAYS else 1
    )
    term = Decimal(variant.time_value) * per_unit
    planned = sum(step.working_hours for step in steps)
    elapsed = sum(step.working_hours for step in steps[: index + 1])
    if planned > term:  # a shorter case shares its term in the same proportions
        elapsed = elapsed * term / planned
    deadline = compute_due(
        dossier.received_at,
        elapsed,
        TimeUnit.WORKING_HOURS,
        hours=hours,
        calendar=calendar or calendar_for(dossier.received_at, now),
        pauses=[
            (s.requested_at, s.supplied_at) for s in dossier.supplements.all() if s.supplied_at
        ],
        restart_after_pause=dossier.procedure.restart_term_after_supplement,
        now=now,
    )
    return min(deadline.due_at, due) if due is not None else deadline.due_at


def _refresh_step_deadline(
    dossier: Dossier, before: dt.datetime | None, calendar: WorkCalendar | None = None
) -> None:
    """After a pause ended or the calendar changed: the open step's deadline follows.
    A step of its own (an internal step) is recomputed; a step running to the due
    date moves with it. The caller saves ``current_step_due_at``."""
    step = (
        dossier.events.filter(kind=EventKind.HAND_OVER, step_finished_at__isnull=True)
        .order_by("-at", "-pk")
        .first()
    )
    index = step.data.get("step") if step is not None else None
    if step is None or index is None or step.step_due_at == before:
        _move_step_deadline(dossier, before, dossier.due_at)
        return
    new_step_due = step_due(dossier, index, calendar=calendar)
    if new_step_due != step.step_due_at:
        step.step_due_at = new_step_due
        step.save(update_fields=["step_due_at"])
    dossier.current_step_due_at = new_step_due


def _due_for_judging(dossier: Dossier, at: dt.datetime) -> dt.datetime | None:
    """The date an ending at ``at`` is judged against (docs/domain.md §5, on-time test).

    The moved date counts only if the apology was issued on time; a dossier stopped
    while waiting for a supplement had its clock stopped, so the wait so far is added.
    """
    late_apology = dossier.apologies.filter(status=ApologyStatus.APPROVED, is_late=True).first()
    if dossier.paused_at is not None:
        deadline = deadline_for(dossier, now=at)
        return deadline.original_due_at if late_apology else deadline.due_at
    if late_apology is not None:
        return late_apology.original_due_at
    return dossier.due_at


def _close_open_step(dossier: Dossier, at: dt.datetime) -> None:
    """Judge the step that ends now (the latest hand-over not yet finished)."""
    step = (
        dossier.events.filter(kind=EventKind.HAND_OVER, step_finished_at__isnull=True)
        .order_by("-at", "-pk")
        .first()
    )
    if step is not None:
        step.step_finished_at = at
        step.step_timeliness = judge(at, step.step_due_at)
        step.save(update_fields=["step_finished_at", "step_timeliness"])


def _clean_applicant(applicant: ApplicantData) -> dict[str, Any]:
    return {
        "applicant_name": " ".join(applicant.name.split()),
        "applicant_id_number": applicant.id_number.strip(),
        "applicant_birth_date": applicant.birth_date,
        "applicant_address": applicant.address.strip(),
        "applicant_phone": applicant.phone.strip().replace(" ", ""),
        "applicant_email": applicant.email.strip(),
        "filer_name": " ".join(applicant.filer_name.split()),
        "filer_id_number": applicant.filer_id_number.strip(),
        "filer_phone": applicant.filer_phone.strip().replace(" ", ""),
        "filer_address": applicant.filer_address.strip(),
        "power_of_attorney": applicant.power_of_attorney.strip(),
        "applicant_folded": fold(applicant.name)[:255],
    }


# ---------------------------------------------------------------- intake


def receive_dossier(*, scans: Sequence[UploadedFile] = (), **intake: Any) -> Dossier:
    """Receive a complete dossier at the desk with its scans (bản số hóa), in one
    transaction: the dossier and every scan, or nothing. ``intake`` are the
    arguments of ``_receive_dossier``.

    Files reach the storage before the commit, so a failed transaction deletes the
    ones already written. Each scan is checked again here (type by its first bytes,
    size), whatever the caller checked before.
    """
    written: list[str] = []
    try:
        with transaction.atomic():
            dossier = _receive_dossier(**intake)
            for upload in scans:
                written.append(_store_scan(dossier, upload, intake["received_by"]))
    except BaseException:
        storage = DossierAttachment._meta.get_field("file").storage
        for name in written:
            storage.delete(name)
        raise
    return dossier


def _store_scan(dossier: Dossier, upload: UploadedFile, user: User) -> str:
    content_type = validate_scan(upload)
    attachment = DossierAttachment(
        dossier=dossier,
        original_name=(upload.name or "")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment.file.name


def _receive_dossier(
    *,
    agency: Agency,
    procedure: Procedure,
    variant: ProcedureVariant | None,
    applicant: ApplicantData,
    documents: list[ReceivedDocument],
    received_by: User,
    channel: str = Channel.DESK,
    summary: str = "",
    sets_count: int = 1,
    delivery: str = Delivery.DESK,
    fee_amount: Decimal = Decimal(0),
    received_at: dt.datetime | None = None,
) -> Dossier:
    """Receive a complete dossier at the desk (form 01): code, appointment, timeline.

    The clerk must work at ``agency``; the variant must belong to the procedure.
    """
    if not (received_by.has_role(Role.CLERK) and received_by.agency_id == agency.pk):
        raise ActionRefused(_("Chỉ cán bộ tiếp nhận của đơn vị mới được tiếp nhận hồ sơ."))
    if variant is not None and variant.procedure_id != procedure.pk:
        raise ActionRefused(_("Trường hợp đã chọn không thuộc thủ tục này."))
    if not documents:
        raise ActionRefused(_("Chưa đánh dấu giấy tờ nào đã nhận."))
    variant = variant or procedure.default_variant()
    if variant is None:
        raise ActionRefused(_("Thủ tục chưa có thời hạn giải quyết; không thể tính hạn."))
    received_at = received_at or timezone.now()
    dossier = Dossier(
        code=new_dossier_code(agency, received_at),
        receiving_agency=agency,
        current_agency=agency,
        current_holder=received_by,
        procedure=procedure,
        variant=variant,
        channel=channel,
        state=State.RECEIVED,
        summary=summary.strip() or procedure.name[:500],
        sets_count=sets_count,
        delivery=delivery,
        fee_amount=fee_amount,
        received_at=received_at,
        received_by=received_by,
        **_clean_applicant(applicant),
    )
    dossier.full_clean(exclude=["code", "lookup_key"])
    calendar = calendar_for(received_at)
    deadline = compute_due(
        received_at,
        variant.time_value,
        variant.time_unit,
        hours=WorkingHours.for_agency(agency),
        calendar=calendar,
    )
    dossier.due_at = dossier.original_due_at = deadline.due_at
    dossier.current_step_due_at = desk_step_due(agency, received_at, calendar)
    year = timezone.localtime(received_at).year
    dossier.tracking_number = next_number(f"book:{agency.pk}:{procedure.field_id}:{year}")
    dossier.save()
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, order=i, **vars(doc)) for i, doc in enumerate(documents)
    )
    stats.received(dossier, digitised=all(doc.digitised for doc in documents))
    DossierEvent.objects.create(
        dossier=dossier,
        kind=EventKind.RECEIVE,
        actor=received_by,
        at=received_at,
        to_state=State.RECEIVED,
        to_agency=agency,
        to_user=received_by,
        step_due_at=dossier.current_step_due_at,
        data={"due_at": deadline.due_at.isoformat(), "explanation": deadline.explain()},
    )
    return dossier


@transaction.atomic
def register_online(
    *,
    agency: Agency,
    procedure: Procedure,
    variant: ProcedureVariant | None,
    applicant: ApplicantData,
    documents: list[ReceivedDocument],
    registered_at: dt.datetime | None = None,
    summary: str = "",
) -> Dossier:
    """An online registration (state 1) waiting for the desk to check and receive it."""
    registered_at = registered_at or timezone.now()
    dossier = Dossier(
        code=new_dossier_code(agency, registered_at),
        receiving_agency=agency,
        current_agency=agency,
        procedure=procedure,
        variant=variant or procedure.default_variant(),
        channel=Channel.ONLINE,
        delivery=Delivery.ONLINE,
        state=State.REGISTERED,
        summary=summary.strip() or procedure.name[:500],
        **_clean_applicant(applicant),
    )
    dossier.full_clean(exclude=["code", "lookup_key"])
    dossier.save()
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, order=i, **{**vars(doc), "digitised": True})
        for i, doc in enumerate(documents)
    )
    DossierEvent.objects.create(
        dossier=dossier, kind=EventKind.REGISTER, at=registered_at, to_state=State.REGISTERED
    )
    return dossier


@transaction.atomic
def receive_registered(
    *, dossier: Dossier, version: int | None, user: User, at: dt.datetime | None = None
) -> Dossier:
    """The desk checks an online registration and receives it (1 -> 2)."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.RECEIVE)
    at = at or timezone.now()
    calendar = calendar_for(at)
    variant = _variant(dossier)
    deadline = compute_due(
        at,
        variant.time_value,
        variant.time_unit,
        hours=WorkingHours.for_agency(dossier.receiving_agency),
        calendar=calendar,
    )
    dossier.state = State.RECEIVED
    dossier.received_at = at
    dossier.received_by = user
    dossier.current_holder = user
    dossier.due_at = dossier.original_due_at = deadline.due_at
    dossier.current_step_due_at = desk_step_due(dossier.receiving_agency, at, calendar)
    year = timezone.localtime(at).year
    dossier.tracking_number = next_number(
        f"book:{dossier.receiving_agency_id}:{dossier.procedure.field_id}:{year}"
    )
    _save(
        dossier,
        "state",
        "received_at",
        "received_by",
        "current_holder",
        "due_at",
        "original_due_at",
        "current_step_due_at",
        "tracking_number",
    )
    _event(
        dossier,
        EventKind.RECEIVE,
        user,
        State.REGISTERED,
        at=at,
        to_agency=dossier.receiving_agency,
        to_user=user,
        step_due_at=dossier.current_step_due_at,
        data={"due_at": deadline.due_at.isoformat(), "explanation": deadline.explain()},
    )
    stats.received(dossier, digitised=not dossier.documents.filter(digitised=False).exists())
    return dossier


@transaction.atomic
def guide_registered(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    items: list[dict[str, str]],
    at: dt.datetime | None = None,
) -> Dossier:
    """Written guidance to complete an incomplete registration (form 02 at intake), once,
    listing every missing item with its reason. The dossier stays registered."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.GUIDE)
    items = _clean_items(items)
    if dossier.intake_guidance:
        raise ActionRefused(
            _("Hồ sơ này đã được hướng dẫn bổ sung một lần; không hướng dẫn lại nhiều lần.")
        )
    dossier.intake_guidance = "\n".join(f"{i['name']}: {i['reason']}" for i in items)
    _save(dossier, "intake_guidance")
    _event(
        dossier,
        EventKind.GUIDE,
        user,
        dossier.state,
        at=at or timezone.now(),
        data={"items": items},
    )
    return dossier


@transaction.atomic
def refuse_registered(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse at intake (1 -> 3, form 03). Final."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.REFUSE)
    reason = _required(reason, _("Phải ghi rõ lý do từ chối."))
    now = at or timezone.now()
    dossier.state = State.NOT_RECEIVED
    dossier.refusal_reason = reason
    dossier.finished_at = now
    _save(dossier, "state", "refusal_reason", "finished_at")
    _event(dossier, EventKind.REFUSE, user, State.REGISTERED, at=now, note=reason)
    return dossier


# ---------------------------------------------------------------- processing


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionRefused(message)
    return text


def _clean_items(items: list[dict[str, str]]) -> list[dict[str, str]]:
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


def hand_over_targets(dossier: Dossier) -> list[Agency]:
    """Units a dossier may be handed to: the desk's and the holder's subtrees and the
    agencies that implement the procedure."""
    ids = Agency.objects.subtree_ids(dossier.receiving_agency_id) | Agency.objects.subtree_ids(
        dossier.current_agency_id
    )
    ids |= set(dossier.procedure.agencies.values_list("pk", flat=True))
    return list(Agency.objects.filter(pk__in=ids, is_active=True).order_by("name"))


@transaction.atomic
def hand_over(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    to_agency: Agency,
    to_user: User | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Pass the dossier to the next unit or officer (2 -> 4, 4 -> 4): a control-slip row."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.HAND_OVER)
    if to_agency.pk not in {a.pk for a in hand_over_targets(dossier)}:
        raise ActionRefused(_("Không thể chuyển hồ sơ đến đơn vị này."))
    if to_user is not None and (
        to_user.agency_id != to_agency.pk
        or not (to_user.has_role(Role.OFFICER) or to_user.has_role(Role.UNIT_HEAD))
    ):
        raise ActionRefused(_("Người nhận phải là cán bộ xử lý hoặc lãnh đạo của đơn vị nhận."))
    at = at or timezone.now()
    from_state = dossier.state
    _close_open_step_or_desk(dossier, at)
    from_agency, from_user = dossier.current_agency, dossier.current_holder
    dossier.state = State.PROCESSING
    dossier.current_agency = to_agency
    dossier.current_holder = to_user
    # The n-th hand-over starts the procedure's n-th internal step (if it has steps).
    index = dossier.events.filter(kind=EventKind.HAND_OVER).count()
    dossier.current_step_due_at = step_due(dossier, index, now=at)
    _save(dossier, "state", "current_agency", "current_holder", "current_step_due_at")
    _event(
        dossier,
        EventKind.HAND_OVER,
        user,
        from_state,
        at=at,
        from_agency=from_agency,
        to_agency=to_agency,
        from_user=from_user,
        to_user=to_user,
        step_due_at=dossier.current_step_due_at,
        note=note.strip(),
        data={"step": index},
    )
    return dossier


def _close_open_step_or_desk(dossier: Dossier, at: dt.datetime) -> None:
    """End the current step: the desk's receipt step or the latest hand-over."""
    receipt = dossier.events.filter(kind=EventKind.RECEIVE, step_finished_at__isnull=True).first()
    if receipt is not None:
        receipt.step_finished_at = at
        receipt.step_timeliness = judge(at, receipt.step_due_at)
        receipt.save(update_fields=["step_finished_at", "step_timeliness"])
    _close_open_step(dossier, at)


@transaction.atomic
def request_supplement(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    items: list[dict[str, str]],
    contact_name: str = "",
    contact_phone: str = "",
    override_reason: str = "",
    at: dt.datetime | None = None,
) -> SupplementRequest:
    """Ask once, in writing, for everything missing (4 -> 5, form 02); the clock stops.

    A second request from the same processing body is refused unless an override
    reason is given: then it is recorded, audited and counted as late.
    """
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.REQUEST_SUPPLEMENT)
    items = _clean_items(items)
    earlier = dossier.supplements.filter(agency=dossier.current_agency).exists()
    override_reason = (override_reason or "").strip()
    if earlier and not override_reason:
        raise ActionRefused(
            _(
                "Đơn vị đã yêu cầu bổ sung hồ sơ này một lần. Theo quy định chỉ được yêu cầu "
                "bổ sung một lần; nếu buộc phải yêu cầu lại, ghi rõ lý do ngoại lệ (sẽ bị tính "
                "là trễ hạn trong đánh giá)."
            )
        )
    at = at or timezone.now()
    supplement = SupplementRequest.objects.create(
        dossier=dossier,
        agency=dossier.current_agency,
        requested_by=user,
        requested_at=at,
        items=items,
        contact_name=contact_name.strip() or str(user),
        contact_phone=contact_phone.strip() or user.phone,
        is_override=earlier,
        override_reason=override_reason if earlier else "",
    )
    dossier.state = State.SUPPLEMENT
    dossier.paused_at = at
    dossier.supplement_count = F("supplement_count") + 1
    _save(dossier, "state", "paused_at", "supplement_count")
    dossier.refresh_from_db(fields=["supplement_count"])
    if dossier.supplement_count == 2:
        stats.second_supplement(dossier)
    _event(
        dossier,
        EventKind.REQUEST_SUPPLEMENT,
        user,
        State.PROCESSING,
        at=at,
        note=override_reason if earlier else "",
        data={"items": items, "supplement_id": supplement.pk, "override": earlier},
    )
    return supplement


@transaction.atomic
def record_supplement(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant supplied what was asked (5 -> 4): the clock resumes and the due
    date moves by the paused working time (or the term restarts, per procedure)."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.SUPPLY)
    at = at or timezone.now()
    supplement = (
        dossier.supplements.filter(supplied_at__isnull=True).order_by("-requested_at").first()
    )
    if supplement is None:  # state 5 without an open request: data repaired by hand
        raise ActionRefused(_("Không tìm thấy yêu cầu bổ sung đang chờ."))
    supplement.supplied_at = at
    supplement.save(update_fields=["supplied_at"])
    before = dossier.due_at
    deadline = deadline_for(dossier, now=at)
    dossier.state = State.PROCESSING
    dossier.paused_at = None
    dossier.due_at = deadline.due_at
    if not dossier.extended:
        dossier.original_due_at = deadline.original_due_at
    _refresh_step_deadline(dossier, before)
    _save(dossier, "state", "paused_at", "due_at", "original_due_at", "current_step_due_at")
    _event(
        dossier,
        EventKind.SUPPLY,
        user,
        State.SUPPLEMENT,
        at=at,
        note=note.strip(),
        data={
            "due_before": before.isoformat() if before else None,
            "due_after": deadline.due_at.isoformat(),
            "explanation": deadline.explain(),
        },
    )
    return dossier


@transaction.atomic
def request_payment(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    amount: Decimal,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Notify the applicant of a fee or tax to pay (4 -> 6)."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.REQUEST_PAYMENT)
    if amount is None or amount < 0:
        raise ActionRefused(_("Số tiền phải là số không âm."))
    dossier.state = State.AWAITING_PAYMENT
    dossier.fee_amount = amount
    _save(dossier, "state", "fee_amount")
    _event(
        dossier,
        EventKind.REQUEST_PAYMENT,
        user,
        State.PROCESSING,
        at=at or timezone.now(),
        note=note.strip(),
        data={"amount": str(amount)},
    )
    return dossier


@transaction.atomic
def confirm_payment(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant paid (6 -> 4)."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.CONFIRM_PAYMENT)
    at = at or timezone.now()
    dossier.state = State.PROCESSING
    dossier.fee_paid_at = at
    _save(dossier, "state", "fee_paid_at")
    _event(
        dossier, EventKind.CONFIRM_PAYMENT, user, State.AWAITING_PAYMENT, at=at, note=note.strip()
    )
    return dossier


# ---------------------------------------------------------------- apology


def apology_deadline(dossier: Dossier, calendar: WorkCalendar | None = None) -> dt.datetime | None:
    """The latest moment an apology is on time: one working day before the due date."""
    if dossier.due_at is None:
        return None
    calendar = calendar or calendar_for(dossier.due_at)
    hours = WorkingHours.for_agency(dossier.current_agency)
    local = timezone.localtime(dossier.due_at)
    day = local.date()
    for _attempt in range(366):
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            break
    return min(
        dt.datetime.combine(day, local.time(), timezone.get_default_timezone()),
        hours.closing(day),
    )


DRAFTABLE_STATES = (State.RECEIVED, State.PROCESSING, State.AWAITING_PAYMENT)


@transaction.atomic
def draft_apology(
    *, dossier: Dossier, user: User | None = None, at: dt.datetime | None = None
) -> ApologyLetter:
    """Prepare form 04 for the unit head (or return the draft that already exists).

    The clock scan drafts without a user; a person drafting must be an officer or the
    head of the unit holding the dossier. Only a dossier whose clock runs (received,
    in processing, awaiting payment) can need an apology.
    """
    dossier = _locked(dossier, None)
    if dossier.state not in DRAFTABLE_STATES:
        raise ActionRefused(
            _("Không thể soạn văn bản xin lỗi khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {"state": State(dossier.state).label}
        )
    if user is not None and not (
        user.agency_id == dossier.current_agency_id
        and (user.has_role(Role.OFFICER) or user.has_role(Role.UNIT_HEAD))
    ):
        raise ActionRefused(
            _("Chỉ cán bộ xử lý hoặc lãnh đạo đơn vị đang giữ hồ sơ được soạn văn bản xin lỗi.")
        )
    existing = dossier.apologies.filter(status=ApologyStatus.DRAFT).first()
    if existing is not None:
        return existing
    if dossier.apologies.filter(status=ApologyStatus.APPROVED).exists():
        raise ActionRefused(_("Hồ sơ đã được gia hạn một lần; không gia hạn lần thứ hai."))
    return ApologyLetter.objects.create(
        dossier=dossier,
        agency=dossier.current_agency,
        original_due_at=dossier.due_at,
        drafted_by=user,
        drafted_at=at or timezone.now(),
    )


@transaction.atomic
def approve_apology(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    new_due_at: dt.datetime,
    at: dt.datetime | None = None,
) -> ApologyLetter:
    """The unit head signs the apology: the appointment moves once; the original is kept.

    Issued later than one working day before the due date it is still allowed (the
    citizen must be told) but flagged late.
    """
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.APOLOGISE)
    reason = _required(reason, _("Phải ghi rõ lý do chậm trễ."))
    if dossier.apologies.filter(status=ApologyStatus.APPROVED).exists():
        raise ActionRefused(_("Hồ sơ đã được gia hạn một lần; không gia hạn lần thứ hai."))
    at = at or timezone.now()
    if new_due_at is None or dossier.due_at is None or new_due_at <= dossier.due_at:
        raise ActionRefused(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
    # An appointment is to the minute (the engine drops seconds: a stray one would make
    # every calendar recompute see a "change").
    new_due_at = new_due_at.replace(second=0, microsecond=0)
    calendar = calendar_for(at, new_due_at)
    if not calendar.is_working_day(timezone.localtime(new_due_at).date()):
        raise ActionRefused(_("Ngày hẹn mới phải là ngày làm việc."))
    letter = dossier.apologies.filter(status=ApologyStatus.DRAFT).first() or ApologyLetter(
        dossier=dossier, agency=dossier.current_agency, original_due_at=dossier.due_at
    )
    letter.reason = reason
    letter.new_due_at = new_due_at
    letter.status = ApologyStatus.APPROVED
    letter.signed_by = user
    letter.signed_at = at
    letter.original_due_at = dossier.due_at
    limit = apology_deadline(dossier, calendar)
    letter.is_late = limit is not None and at > limit
    letter.save()
    if not letter.is_late:  # a late apology does not excuse the step either
        _move_step_deadline(dossier, dossier.due_at, new_due_at)
    dossier.due_at = new_due_at
    dossier.extended = True
    _save(dossier, "due_at", "current_step_due_at", "extended")
    stats.apology_signed(dossier, letter)
    letter_id = letter.pk

    # Store form 04 and email the applicant after commit (desk/alerts.py). Broker
    # down: the PDF still renders on demand from the page, and the outbox sweep
    # (desk.tasks.deliver_pending) finishes the letter.
    enqueue_after_commit("desk.tasks.finalize_apology", letter_id, what=f"apology {letter_id}")
    _event(
        dossier,
        EventKind.APOLOGISE,
        user,
        dossier.state,
        at=at,
        note=reason,
        data={
            "original_due_at": letter.original_due_at.isoformat(),
            "new_due_at": new_due_at.isoformat(),
            "late": letter.is_late,
            "apology_id": letter.pk,
        },
    )
    return letter


# ---------------------------------------------------------------- endings


@transaction.atomic
def request_withdrawal(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    channel_note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant asks to withdraw before any result exists (-> 7)."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.REQUEST_WITHDRAWAL)
    if dossier.result_number:
        raise ActionRefused(_("Hồ sơ đã có kết quả; không thể rút."))
    from_state = dossier.state
    dossier.state = State.WITHDRAWAL_REQUESTED
    _save(dossier, "state")
    _event(
        dossier,
        EventKind.REQUEST_WITHDRAWAL,
        user,
        from_state,
        at=at or timezone.now(),
        note=channel_note.strip(),
    )
    return dossier


@transaction.atomic
def stop_dossier(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """Stop processing (5/7 -> 8, form 05): after a withdrawal, or when the applicant
    never supplied what was asked."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.STOP)
    reason = _required(reason, _("Phải ghi rõ lý do dừng xử lý."))
    now = at or timezone.now()
    from_state = dossier.state
    _close_open_step(dossier, now)
    # An online registration withdrawn before the desk received it never had a term:
    # it is not judged (and not counted in on-time rates).
    dossier.timeliness = (
        judge(now, _due_for_judging(dossier, now)) if dossier.received_at is not None else ""
    )
    dossier.state = State.STOPPED
    dossier.paused_at = None
    dossier.finished_at = now
    _save(dossier, "state", "paused_at", "finished_at", "timeliness")
    _event(
        dossier,
        EventKind.STOP,
        user,
        from_state,
        at=now,
        note=reason,
        data={"state_at_stop": from_state},
    )
    stats.finished(dossier)
    return dossier


@transaction.atomic
def complete_dossier(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    result_number: str,
    result_signer: str,
    result_summary: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """The result is signed (4 -> 9); early completion is visible in the timeline."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.COMPLETE)
    result_number = _required(result_number, _("Phải nhập số, ký hiệu của kết quả."))
    result_signer = _required(result_signer, _("Phải nhập người ký kết quả."))
    at = at or timezone.now()
    _close_open_step(dossier, at)
    dossier.state = State.PROCESSED
    dossier.result_number = result_number
    dossier.result_signer = result_signer
    dossier.result_summary = result_summary.strip()
    dossier.finished_at = at
    dossier.timeliness = judge(at, _due_for_judging(dossier, at))
    dossier.current_agency = dossier.receiving_agency  # the result goes back to the desk
    dossier.current_holder = None
    _save(
        dossier,
        "state",
        "result_number",
        "result_signer",
        "result_summary",
        "finished_at",
        "timeliness",
        "current_agency",
        "current_holder",
    )
    _event(
        dossier,
        EventKind.COMPLETE,
        user,
        State.PROCESSING,
        at=at,
        to_agency=dossier.receiving_agency,
        data={"timeliness": dossier.timeliness},
    )
    stats.finished(dossier)
    return dossier


@transaction.atomic
def return_result(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    identity_checked: bool,
    delivery: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the result over (9 -> 10) after checking identity and power of attorney."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.RETURN)
    if not identity_checked:
        raise ActionRefused(
            _(
                "Phải kiểm tra giấy tờ tùy thân (và giấy ủy quyền nếu nhận thay) trước khi trả kết quả."
            )
        )
    if delivery not in Delivery.values:
        raise ActionRefused(_("Hình thức trả kết quả không hợp lệ."))
    at = at or timezone.now()
    dossier.state = State.RETURNED
    dossier.returned_at = at
    dossier.delivery = delivery
    _save(dossier, "state", "returned_at", "delivery")
    _event(
        dossier,
        EventKind.RETURN,
        user,
        State.PROCESSED,
        at=at,
        note=note.strip(),
        data={"delivery": delivery},
    )
    # Apps that build on the desk (surveys: the rating invitation) hear of it after commit.
    dossier_id = dossier.pk
    transaction.on_commit(lambda: result_returned.send(sender=Dossier, dossier_id=dossier_id))
    return dossier


@transaction.atomic
def correct_returned(
    *,
    dossier: Dossier,
    version: int | None,
    user: User,
    reason: str,
    at: dt.datetime | None = None,
) -> Dossier:
    """An administrator moves a returned dossier back to processed (10 -> 9), audited."""
    dossier = _locked(dossier, version)
    _check(user, dossier, Action.CORRECT)
    reason = _required(reason, _("Phải ghi rõ lý do điều chỉnh."))
    dossier.state = State.PROCESSED
    dossier.returned_at = None
    _save(dossier, "state", "returned_at")
    _event(dossier, EventKind.CORRECT, user, State.RETURNED, at=at or timezone.now(), note=reason)
    return dossier


# ---------------------------------------------------------------- calendar changes


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
            dossier.due_at = deadline.due_at
            fields = ["due_at", "current_step_due_at"]
            if not dossier.extended:
                dossier.original_due_at = deadline.original_due_at
                fields.append("original_due_at")
            _refresh_step_deadline(dossier, before, calendar)
            _save(dossier, *fields)
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
                data={
                    "changed_dates": [day.isoformat() for day in shown],
                    "due_before": before.isoformat() if before else None,
                    "due_after": deadline.due_at.isoformat(),
                    "explanation": deadline.explain(),
                },
            )
            changed += 1
    return changed
