"""State builders shared by every test: plain functions through the real services.

The catalog (agencies, staff, fields, procedures with their default variant) and
dossiers brought to a state the way the desk brings them there: received, handed
over, asked for a supplement, completed, returned... Moments are written
"YYYY-MM-DD HH:MM" in Asia/Ho_Chi_Minh (``at``); 09/03/2026 is a Monday. A builder
given no moment lets the services take the current time.

The personas and the agency tree are fixtures in tests/conftest.py, built here.
"""

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from desk.models import Dossier, State
from desk.services import (
    ApplicantData,
    ReceivedDocument,
    approve_apology,
    complete_dossier,
    hand_over,
    receive_dossier,
    record_supplement,
    refuse_registered,
    register_online,
    request_payment,
    request_supplement,
    request_withdrawal,
    return_result,
    stop_dossier,
)
from procedures.models import (
    Agency,
    AgencyLevel,
    Field,
    Procedure,
    ProcedureLevel,
    ProcedureVariant,
    RequiredDocument,
    TimeUnit,
    User,
)

PASSWORD = "Mat-khau-thu-nghiem-2026"
TZ = timezone.get_default_timezone()
_counter = itertools.count(1)


# ---------------------------------------------------------------- moments


def at(text: str) -> dt.datetime:
    """``"2026-03-09 10:00"`` as an aware moment of the project's time zone."""
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def local(moment: dt.datetime) -> str:
    """The inverse of ``at``: how a test writes the moment it expects."""
    return timezone.localtime(moment, TZ).strftime("%Y-%m-%d %H:%M")


def _after(when: str | None, **delta: float) -> dt.datetime | None:
    """``when`` moved by ``delta``; None (the services' now) when there is no ``when``."""
    return None if when is None else at(when) + dt.timedelta(**delta)


# ---------------------------------------------------------------- the catalog and its staff


def make_agency(**overrides) -> Agency:
    n = next(_counter)
    values = {
        "identifier": f"{n % 1000:03d}.99.99.H56",
        "name": f"Cơ quan thử nghiệm {n}",
        "level": AgencyLevel.COMMUNE,
    }
    values.update(overrides)
    agency = Agency(**values)
    agency.full_clean()
    agency.save()
    return agency


def make_user(*, agency: Agency | None = None, roles: tuple[str, ...] = (), **overrides) -> User:
    n = next(_counter)
    values = {"username": f"user{n}", "first_name": "Văn", "last_name": f"Nguyễn {n}"}
    values.update(overrides)
    user = User(agency=agency, **values)
    for role in roles:
        setattr(user, f"is_{role}", True)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_field(**overrides) -> Field:
    n = next(_counter)
    values = {"code": f"F{n:03d}", "name": f"Lĩnh vực {n}"}
    values.update(overrides)
    return Field.objects.create(**values)


def make_procedure(
    *,
    field: Field | None = None,
    time_value: int = 5,
    time_unit: str = TimeUnit.WORKING_DAYS,
    documents: tuple[str, ...] = ("Tờ khai theo mẫu",),
    agencies: tuple[Agency, ...] = (),
    **overrides,
) -> Procedure:
    """A procedure with its default variant (``time_value`` ``time_unit``) and its
    required documents, implemented by ``agencies``."""
    n = next(_counter)
    values = {
        "code": f"1.{n:06d}",
        "name": f"Thủ tục thử nghiệm số {n}",
        "level": ProcedureLevel.COMMUNE,
    }
    values.update(overrides)
    procedure = Procedure(field=field or make_field(), **values)
    procedure.refresh_search_fields()
    procedure.full_clean(exclude=["decision_file"])
    procedure.save()
    procedure.agencies.set(agencies)
    ProcedureVariant.objects.create(
        procedure=procedure,
        name="Trường hợp thông thường",
        time_value=time_value,
        time_unit=time_unit,
        is_default=True,
    )
    for i, name in enumerate(documents):
        RequiredDocument.objects.create(procedure=procedure, name=name, originals=1, order=i)
    return procedure


# ---------------------------------------------------------------- dossiers


def make_applicant(**overrides) -> ApplicantData:
    values = {
        "name": "Nguyễn Văn An",
        "id_number": "079201001234",
        "address": "12 Lê Lợi, phường Nha Trang, tỉnh Khánh Hòa",
        "phone": "0912345678",
        "email": "an.nguyen@example.vn",
    }
    values.update(overrides)
    return ApplicantData(**values)


def make_dossier(
    *, clerk: User, procedure: Procedure | None = None, received_at=None, applicant=None, **extra
) -> Dossier:
    """A dossier received at ``clerk``'s desk through the real intake service."""
    procedure = procedure or make_procedure(agencies=(clerk.agency,))
    return receive_dossier(
        agency=clerk.agency,
        procedure=procedure,
        variant=None,
        applicant=applicant or make_applicant(),
        documents=[ReceivedDocument(name=d.name, originals=1) for d in procedure.documents.all()]
        or [ReceivedDocument(name="Đơn đề nghị", originals=1)],
        received_by=clerk,
        received_at=received_at,
        **extra,
    )


def fresh(dossier: Dossier) -> Dossier:
    """The dossier's row as the database has it now."""
    return Dossier.objects.get(pk=dossier.pk)


def registered(
    *,
    agency: Agency,
    procedure: Procedure,
    registered_at: dt.datetime | None = None,
    documents: Sequence[ReceivedDocument] = (ReceivedDocument(name="Tờ khai", originals=1),),
    applicant: ApplicantData | None = None,
) -> Dossier:
    """Registered online (at ``registered_at``, or now), waiting for the desk."""
    return register_online(
        agency=agency,
        procedure=procedure,
        variant=None,
        applicant=applicant or make_applicant(),
        documents=list(documents),
        registered_at=registered_at,
    )


def received(clerk, procedure, when: str | None = "2026-03-09 10:00", **extra) -> Dossier:
    """Received at ``clerk``'s desk at ``when``; ``extra`` goes to ``make_dossier``."""
    return make_dossier(clerk=clerk, procedure=procedure, received_at=_after(when), **extra)


def processing(
    clerk,
    officer,
    procedure,
    when: str | None = "2026-03-09 10:00",
    handed: str | None = None,
    **extra,
) -> Dossier:
    """Received at ``when``, handed to ``officer`` in the clerk's own agency at
    ``handed`` (an hour after receipt unless given). Five working days from Monday
    09/03 10:00 are due Monday 16/03 10:00."""
    dossier = received(clerk, procedure, when, **extra)
    return hand_over(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        to_agency=clerk.agency,
        to_user=officer,
        at=at(handed) if handed else _after(when, hours=1),
    )


def processed(
    clerk,
    officer,
    procedure,
    when: str | None = "2026-03-09 10:00",
    finished: str | None = None,
    **extra,
) -> Dossier:
    """Processing, then completed by ``officer`` at ``finished`` (two days after
    receipt unless given): the result waits at the desk."""
    dossier = processing(clerk, officer, procedure, when, **extra)
    return complete(dossier, officer, at(finished) if finished else _after(when, days=2))


def complete(dossier: Dossier, officer: User, finished: dt.datetime | None) -> Dossier:
    """``officer`` completes ``dossier`` at ``finished`` (or now), result 15/GCN-UBND."""
    return complete_dossier(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        result_number="15/GCN-UBND",
        result_signer="Phạm Văn Hùng",
        at=finished,
    )


def returned(
    clerk,
    officer,
    procedure,
    when: str | None = "2026-03-09 10:00",
    returned_at: dt.datetime | None = None,
    finished: str | None = None,
    **extra,
) -> Dossier:
    """Processed, then returned at the desk at ``returned_at`` (three days after
    receipt unless given)."""
    dossier = processed(clerk, officer, procedure, when, finished, **extra)
    return return_result(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        identity_checked=True,
        delivery="desk",
        at=returned_at or _after(when, days=3),
    )


SUPPLEMENT_ITEMS = [{"name": "Giấy chứng sinh", "reason": "Bản sao chưa chứng thực"}]


def ask_and_supply(
    dossier, officer, clerk, asked: str, supplied: str, *, items=SUPPLEMENT_ITEMS, **kwargs
) -> Dossier:
    """A supplement asked for by ``officer`` at ``asked`` and brought in at ``supplied``."""
    request_supplement(
        dossier=dossier, version=None, user=officer, items=items, at=at(asked), **kwargs
    )
    return record_supplement(dossier=dossier, version=None, user=clerk, at=at(supplied))


def apologised(clerk, officer, unit_head, procedure) -> Dossier:
    """Processing since Monday 09/03, its appointment moved to 20/03 16:00 by an
    apology the unit head signed on time (12/03)."""
    dossier = processing(clerk, officer, procedure)
    approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Cần xác minh thêm",
        new_due_at=at("2026-03-20 16:00"),
        at=at("2026-03-12 09:00"),
    )
    return fresh(dossier)


def dossier_in_state(
    state: State,
    *,
    clerk: User,
    officer: User,
    procedure: Procedure | None = None,
    when: str | None = None,
) -> Dossier:
    """A dossier at ``clerk``'s desk brought to ``state`` through the real services,
    processed in the clerk's own agency and held by ``officer``.

    Received at ``when`` ("2026-03-09 10:00" for a Monday morning): registered online
    the evening before, refused at intake at 08:00, handed over an hour after
    receipt, asked for a supplement, a fee or a withdrawal the next morning at 09:00
    (stopped an hour later), completed two days and returned three days after
    receipt. Without ``when`` every step happens now.
    """
    procedure = procedure or make_procedure(agencies=(clerk.agency,))
    if state in (State.REGISTERED, State.NOT_RECEIVED):
        dossier = registered(
            agency=clerk.agency, procedure=procedure, registered_at=_after(when, hours=-13)
        )
        if state == State.NOT_RECEIVED:
            refuse_registered(
                dossier=dossier,
                version=None,
                user=clerk,
                reason="Thủ tục không thuộc thẩm quyền",
                at=_after(when, hours=-2),
            )
        return fresh(dossier)

    if state in (State.PROCESSED, State.RETURNED):
        builder = returned if state == State.RETURNED else processed
        dossier = builder(clerk, officer, procedure, when)
    elif state == State.RECEIVED:
        dossier = received(clerk, procedure, when)
    else:
        dossier = processing(clerk, officer, procedure, when)
    next_morning = _after(when, hours=23)
    if state == State.SUPPLEMENT:
        request_supplement(
            dossier=dossier,
            version=None,
            user=officer,
            items=SUPPLEMENT_ITEMS,
            contact_name="Lê Văn Minh",
            contact_phone="0258381234",
            at=next_morning,
        )
    elif state == State.AWAITING_PAYMENT:
        request_payment(
            dossier=dossier, version=None, user=officer, amount=Decimal(50000), at=next_morning
        )
    elif state in (State.WITHDRAWAL_REQUESTED, State.STOPPED):
        request_withdrawal(dossier=dossier, version=None, user=clerk, at=next_morning)
        if state == State.STOPPED:
            stop_dossier(
                dossier=dossier,
                version=None,
                user=clerk,
                reason="Công dân rút hồ sơ",
                at=_after(when, hours=24),
            )
    dossier = fresh(dossier)
    assert dossier.state == state, f"could not build a dossier in state {state.label}"
    return dossier
