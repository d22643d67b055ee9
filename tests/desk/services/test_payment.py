"""desk.services: a fee asked for and confirmed."""

from decimal import Decimal

import pytest

from desk.models import EventKind, State
from desk.services import confirm_payment, request_payment
from tests.desk.services.helpers import refused
from tests.factories import at, local, processing

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- payment


def test_payment_request_and_confirmation(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)

    refused(request_payment, dossier=dossier, version=None, user=officer, amount=Decimal(-1))
    dossier = request_payment(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        amount=Decimal(50000),
        at=at("2026-03-10 09:00"),
    )
    assert (dossier.state, dossier.fee_amount) == (State.AWAITING_PAYMENT, Decimal(50000))
    refused(request_payment, dossier=dossier, version=None, user=officer, amount=Decimal(1))

    dossier = confirm_payment(
        dossier=dossier, version=dossier.version, user=clerk, at=at("2026-03-10 14:00")
    )

    assert dossier.state == State.PROCESSING
    assert local(dossier.fee_paid_at) == "2026-03-10 14:00"
    assert [e.kind for e in dossier.events.filter(at__gte=at("2026-03-10 00:00"))] == [
        EventKind.REQUEST_PAYMENT,
        EventKind.CONFIRM_PAYMENT,
    ]
    refused(confirm_payment, dossier=dossier, version=None, user=clerk)
