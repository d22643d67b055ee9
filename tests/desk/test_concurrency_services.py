"""Two people acting on one dossier at the same moment, and clerks receiving at the
same desk in the same minute, each on a database connection of their own.

A barrier releases the threads together; the row lock in desk/services/ decides
who goes first, and the version check turns the other into ``StaleDossier``.
"""

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from desk.models import Dossier, DossierEvent, State
from desk.services import (
    ReceivedDocument,
    StaleDossier,
    complete_dossier,
    hand_over,
    receive_dossier,
    request_payment,
    request_supplement,
)
from tests.factories import make_applicant, make_dossier, make_procedure, make_user

TZ = timezone.get_default_timezone()
MOMENT = dt.datetime(2026, 3, 9, 10, 0, tzinfo=TZ)


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` in threads released at once; each result is "ok", "stale" or the
    unexpected exception. Each thread closes its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            call()
            results[index] = "ok"
        except StaleDossier:
            results[index] = "stale"
        except Exception as error:  # reported by the assertion, not swallowed
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_hand_overs_of_the_same_version_one_wins(clerk, officer, unit_head, commune) -> None:
    dossier = make_dossier(clerk=clerk, received_at=MOMENT)
    version = dossier.version
    events = DossierEvent.objects.filter(dossier=dossier).count()

    results = run_together(
        lambda: hand_over(
            dossier=dossier, version=version, user=clerk, to_agency=commune, to_user=officer
        ),
        lambda: hand_over(
            dossier=dossier, version=version, user=clerk, to_agency=commune, to_user=unit_head
        ),
    )

    assert sorted(map(str, results)) == ["ok", "stale"]
    dossier = Dossier.objects.get(pk=dossier.pk)
    winner = officer if results[0] == "ok" else unit_head
    assert (dossier.state, dossier.current_holder) == (State.PROCESSING, winner)
    assert dossier.version == version + 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == events + 1


@pytest.mark.django_db(transaction=True)
def test_supplement_request_against_completion_one_wins(clerk, officer, commune) -> None:
    dossier = make_dossier(clerk=clerk, received_at=MOMENT)
    dossier = hand_over(
        dossier=dossier, version=None, user=clerk, to_agency=commune, to_user=officer
    )
    version = dossier.version
    events = DossierEvent.objects.filter(dossier=dossier).count()

    results = run_together(
        lambda: request_supplement(
            dossier=dossier,
            version=version,
            user=officer,
            items=[{"name": "Bản sao CCCD", "reason": "Bản nộp đã hết hạn"}],
        ),
        lambda: complete_dossier(
            dossier=dossier,
            version=version,
            user=officer,
            result_number="1/GCN",
            result_signer="Phạm Văn Hùng",
        ),
    )

    assert sorted(map(str, results)) == ["ok", "stale"]
    dossier = Dossier.objects.get(pk=dossier.pk)
    if results[0] == "ok":
        assert (dossier.state, dossier.supplement_count, dossier.result_number) == (
            State.SUPPLEMENT,
            1,
            "",
        )
    else:
        assert (dossier.state, dossier.supplement_count) == (State.PROCESSED, 0)
        assert not dossier.supplements.exists()
    assert dossier.version == version + 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == events + 1


@pytest.mark.django_db(transaction=True)
def test_two_payment_requests_of_the_same_version_one_wins(clerk, officer, commune) -> None:
    dossier = make_dossier(clerk=clerk, received_at=MOMENT)
    dossier = hand_over(
        dossier=dossier, version=None, user=clerk, to_agency=commune, to_user=officer
    )
    version = dossier.version

    results = run_together(
        *(
            lambda amount=amount: request_payment(
                dossier=dossier, version=version, user=officer, amount=Decimal(amount)
            )
            for amount in (50000, 70000)
        )
    )

    assert sorted(map(str, results)) == ["ok", "stale"]
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.fee_amount == (Decimal(50000) if results[0] == "ok" else Decimal(70000))
    assert dossier.version == version + 1


@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_at_one_desk_in_one_minute_get_distinct_numbers(clerk, commune) -> None:
    procedure = make_procedure(agencies=(commune,))
    clerks = [clerk] + [make_user(agency=commune, roles=("clerk",)) for _ in range(7)]

    def five_intakes(user) -> None:
        for _ in range(5):
            receive_dossier(
                agency=commune,
                procedure=procedure,
                variant=None,
                applicant=make_applicant(),
                documents=[ReceivedDocument(name="Tờ khai", originals=1)],
                received_by=user,
                received_at=MOMENT,
            )

    results = run_together(*(lambda user=user: five_intakes(user) for user in clerks))

    assert results == ["ok"] * 8
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"000.00.21.H56-260309-{n:04d}" for n in range(1, 41)]
    numbers = sorted(Dossier.objects.values_list("tracking_number", flat=True))
    assert numbers == list(range(1, 41))
