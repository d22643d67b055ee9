"""Dossiers in every state, made through the desk's real services."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from desk.models import Dossier, State
from desk.services import (
    ReceivedDocument,
    approve_apology,
    complete_dossier,
    hand_over,
    refuse_registered,
    register_online,
    request_payment,
    request_supplement,
    request_withdrawal,
    return_result,
    stop_dossier,
)
from tests.conftest import make_applicant, make_dossier

TZ = timezone.get_default_timezone()


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def received(clerk, procedure, when="2026-03-09 10:00", **extra) -> Dossier:
    return make_dossier(clerk=clerk, procedure=procedure, received_at=at(when), **extra)


def processing(clerk, officer, procedure, when="2026-03-09 10:00", **extra) -> Dossier:
    dossier = received(clerk, procedure, when, **extra)
    return hand_over(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        to_agency=clerk.agency,
        to_user=officer,
        at=at(when) + dt.timedelta(hours=1),
    )


def processed(clerk, officer, procedure, when="2026-03-09 10:00", **extra) -> Dossier:
    dossier = processing(clerk, officer, procedure, when, **extra)
    return complete_dossier(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        result_number="15/GCN-UBND",
        result_signer="Phạm Văn Hùng",
        at=at(when) + dt.timedelta(days=2),
    )


def returned(clerk, officer, procedure, when="2026-03-09 10:00", returned_at=None, **extra):
    dossier = processed(clerk, officer, procedure, when, **extra)
    return return_result(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        identity_checked=True,
        delivery="desk",
        at=returned_at or at(when) + dt.timedelta(days=3),
    )


def in_state(state: int, *, clerk, officer, unit_head, procedure) -> Dossier:
    """A dossier in ``state``, received on Monday 9 March 2026 at 10:00."""
    when = "2026-03-09 10:00"
    if state == State.REGISTERED:
        return register_online(
            agency=clerk.agency,
            procedure=procedure,
            variant=None,
            applicant=make_applicant(),
            documents=[ReceivedDocument(name="Tờ khai", originals=1)],
            registered_at=at("2026-03-08 21:00"),
        )
    if state == State.NOT_RECEIVED:
        dossier = in_state(
            State.REGISTERED, clerk=clerk, officer=officer, unit_head=unit_head, procedure=procedure
        )
        return refuse_registered(
            dossier=dossier,
            version=dossier.version,
            user=clerk,
            reason="Thủ tục không thuộc thẩm quyền",
            at=at("2026-03-09 08:00"),
        )
    if state == State.RECEIVED:
        return received(clerk, procedure, when)
    if state == State.PROCESSING:
        return processing(clerk, officer, procedure, when)
    if state == State.SUPPLEMENT:
        dossier = processing(clerk, officer, procedure, when)
        request_supplement(
            dossier=dossier,
            version=dossier.version,
            user=officer,
            items=[{"name": "Giấy chứng sinh", "reason": "Bản sao chưa chứng thực"}],
            contact_name="Lê Văn Minh",
            contact_phone="0258381234",
            at=at("2026-03-10 09:00"),
        )
        return fresh(dossier)
    if state == State.AWAITING_PAYMENT:
        dossier = processing(clerk, officer, procedure, when)
        return request_payment(
            dossier=dossier,
            version=dossier.version,
            user=officer,
            amount=Decimal(50000),
            at=at("2026-03-10 09:00"),
        )
    if state == State.WITHDRAWAL_REQUESTED:
        dossier = processing(clerk, officer, procedure, when)
        return request_withdrawal(
            dossier=dossier, version=dossier.version, user=clerk, at=at("2026-03-10 09:00")
        )
    if state == State.STOPPED:
        dossier = in_state(
            State.WITHDRAWAL_REQUESTED,
            clerk=clerk,
            officer=officer,
            unit_head=unit_head,
            procedure=procedure,
        )
        return stop_dossier(
            dossier=dossier,
            version=dossier.version,
            user=clerk,
            reason="Công dân rút hồ sơ",
            at=at("2026-03-10 10:00"),
        )
    if state == State.PROCESSED:
        return processed(clerk, officer, procedure, when)
    if state == State.RETURNED:
        return returned(clerk, officer, procedure, when)
    raise ValueError(state)


def apologised(clerk, officer, unit_head, procedure) -> Dossier:
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
