"""A fee or tax to pay while processing (4 -> 6), and its payment (6 -> 4)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import User
from procedures.workflow import save_versioned

from ..models import Dossier, EventKind, State
from ..permissions import Action
from .common import ActionRefused, acting_on, record_event


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
    dossier = acting_on(dossier, version, user, Action.REQUEST_PAYMENT)
    if amount is None or amount < 0:
        raise ActionRefused(_("Số tiền phải là số không âm."))
    dossier.state = State.AWAITING_PAYMENT
    dossier.fee_amount = amount
    save_versioned(dossier, "state", "fee_amount")
    record_event(
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
    dossier = acting_on(dossier, version, user, Action.CONFIRM_PAYMENT)
    at = at or timezone.now()
    dossier.state = State.PROCESSING
    dossier.fee_paid_at = at
    save_versioned(dossier, "state", "fee_paid_at")
    record_event(
        dossier, EventKind.CONFIRM_PAYMENT, user, State.AWAITING_PAYMENT, at=at, note=note.strip()
    )
    return dossier
