"""Intake: the dossier's code and tracking-book number, a dossier received at the
desk (form 01) with its scans, an online registration and the desk's answer to it
(received, guided once with form 02, or refused with form 03)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Agency, Procedure, ProcedureVariant, Role, User
from procedures.text import fold
from procedures.workflow import save_versioned

from .. import stats
from ..clock import calendar_for, desk_step_due
from ..deadlines import Deadline
from ..models import (
    Channel,
    Counter,
    Delivery,
    Dossier,
    DossierAttachment,
    DossierDocument,
    DossierEvent,
    EventKind,
    State,
)
from ..permissions import Action
from ..uploads import validate_scan
from .common import (
    ActionRefused,
    acting_on,
    clean_items,
    record_event,
    required,
    term_from,
    term_variant,
)


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


# ---------------------------------------------------------------- numbers


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
        row = cursor.fetchone()
        assert row is not None  # RETURNING always gives the row
        return int(row[0])


def new_dossier_code(agency: Agency, at: dt.datetime) -> str:
    """``{agency identifier}-{yyMMdd}-{NNNN}``, numbered per agency per local day."""
    day = timezone.localtime(at).strftime("%y%m%d")
    number = next_number(f"code:{agency.pk}:{day}")
    return f"{agency.identifier}-{day}-{number:04d}"


def _start_term(dossier: Dossier, variant: ProcedureVariant, at: dt.datetime) -> Deadline:
    """The desk receives the dossier at ``at``: its term starts (due date, the desk's
    step) and it takes the next number of its agency's tracking book for its field
    and year. The caller saves the dossier."""
    agency = dossier.receiving_agency
    calendar = calendar_for(at)
    deadline = term_from(at, variant, agency, calendar)
    dossier.due_at = dossier.original_due_at = deadline.due_at
    dossier.current_step_due_at = desk_step_due(agency, at, calendar)
    year = timezone.localtime(at).year
    dossier.tracking_number = next_number(f"book:{agency.pk}:{dossier.procedure.field_id}:{year}")
    return deadline


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


# ---------------------------------------------------------------- at the desk


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
    # validate_scan refused a file without a size or without a name (no extension).
    name, size = upload.name or "", upload.size or 0
    attachment = DossierAttachment(
        dossier=dossier,
        original_name=name[:255],
        content_type=content_type,
        size=size,
        uploaded_by=user,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return str(attachment.file.name)


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
    variant = term_variant(procedure, variant)
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
    deadline = _start_term(dossier, variant, received_at)
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


# ---------------------------------------------------------------- online registrations


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
    dossier = acting_on(dossier, version, user, Action.RECEIVE)
    at = at or timezone.now()
    deadline = _start_term(dossier, term_variant(dossier.procedure, dossier.variant), at)
    dossier.state = State.RECEIVED
    dossier.received_at = at
    dossier.received_by = user
    dossier.current_holder = user
    save_versioned(
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
    record_event(
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
    dossier = acting_on(dossier, version, user, Action.GUIDE)
    items = clean_items(items)
    if dossier.intake_guidance:
        raise ActionRefused(
            _("Hồ sơ này đã được hướng dẫn bổ sung một lần; không hướng dẫn lại nhiều lần.")
        )
    dossier.intake_guidance = "\n".join(f"{i['name']}: {i['reason']}" for i in items)
    save_versioned(dossier, "intake_guidance")
    record_event(
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
    dossier = acting_on(dossier, version, user, Action.REFUSE)
    reason = required(reason, _("Phải ghi rõ lý do từ chối."))
    now = at or timezone.now()
    dossier.state = State.NOT_RECEIVED
    dossier.refusal_reason = reason
    dossier.finished_at = now
    save_versioned(dossier, "state", "refusal_reason", "finished_at")
    record_event(dossier, EventKind.REFUSE, user, State.REGISTERED, at=now, note=reason)
    return dossier
