"""desk.services: how a dossier ends: withdrawn and stopped, completed, returned, corrected."""

import pytest

from desk.models import Delivery, EventKind, State, Timeliness
from desk.services import (
    complete_dossier,
    correct_returned,
    hand_over,
    request_supplement,
    request_withdrawal,
    return_result,
    stop_dossier,
)
from tests.desk.services.helpers import ITEMS, refused, register
from tests.factories import at, fresh, local, processed, processing
from tests.factories import received as receive

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- withdrawal and stop


def test_withdrawal_then_stop(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)

    dossier = request_withdrawal(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        channel_note="Đơn xin rút hồ sơ nộp trực tiếp",
        at=at("2026-03-10 09:00"),
    )
    assert dossier.state == State.WITHDRAWAL_REQUESTED
    refused(stop_dossier, dossier=dossier, version=None, user=clerk, reason="")

    dossier = stop_dossier(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        reason="Công dân rút hồ sơ",
        at=at("2026-03-10 10:00"),
    )

    assert dossier.state == State.STOPPED
    assert local(dossier.finished_at) == "2026-03-10 10:00"
    assert dossier.timeliness == Timeliness.EARLY
    stop = dossier.events.get(kind=EventKind.STOP)
    assert stop.data["state_at_stop"] == State.WITHDRAWAL_REQUESTED
    step = dossier.events.get(kind=EventKind.HAND_OVER)
    assert local(step.step_finished_at) == "2026-03-10 10:00"


def test_a_registration_withdrawn_before_intake_is_not_judged(clerk, procedure, commune) -> None:
    dossier = register(procedure, commune)
    dossier = request_withdrawal(
        dossier=dossier, version=dossier.version, user=clerk, at=at("2026-03-10 09:00")
    )

    dossier = stop_dossier(
        dossier=dossier, version=dossier.version, user=clerk, reason="Công dân rút đăng ký"
    )

    assert (dossier.state, dossier.received_at, dossier.timeliness) == (State.STOPPED, None, "")


def test_withdrawal_is_refused_once_a_result_exists(clerk, officer, procedure) -> None:
    dossier = processed(clerk, officer, procedure)

    message = refused(request_withdrawal, dossier=dossier, version=None, user=clerk)
    assert "Đã xử lý xong" in message


def test_stopping_a_dossier_whose_applicant_never_supplied_is_not_late(
    clerk, officer, procedure
) -> None:
    # The clock stood still while waiting: weeks of waiting are the applicant's, not ours.
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00
    request_supplement(
        dossier=dossier, version=None, user=officer, items=ITEMS, at=at("2026-03-10 09:00")
    )

    dossier = stop_dossier(
        dossier=dossier,
        version=None,
        user=clerk,
        reason="Quá thời hạn bổ sung, công dân không bổ sung",
        at=at("2026-04-10 09:00"),
    )

    assert dossier.state == State.STOPPED and dossier.paused_at is None
    assert dossier.timeliness != Timeliness.LATE


# ---------------------------------------------------------------- result and return


@pytest.mark.parametrize(
    ("finished", "timeliness"),
    [
        ("2026-03-13 16:00", Timeliness.EARLY),
        ("2026-03-16 09:59", Timeliness.ON_TIME),
        ("2026-03-16 10:00", Timeliness.ON_TIME),
        ("2026-03-16 10:01", Timeliness.LATE),
    ],
)
def test_completion_is_judged_early_on_time_or_late(
    clerk, officer, procedure, commune, department, department_officer, finished, timeliness
) -> None:
    dossier = receive(clerk, procedure)  # due 16/03 10:00
    hand_over(
        dossier=dossier,
        version=None,
        user=clerk,
        to_agency=department,
        to_user=department_officer,
        at=at("2026-03-09 11:00"),
    )

    dossier = complete_dossier(
        dossier=dossier,
        version=None,
        user=department_officer,
        result_number="15/GCN-STP",
        result_signer="Nguyễn Văn Bình",
        result_summary="Cấp giấy chứng nhận",
        at=at(finished),
    )

    assert (dossier.state, dossier.timeliness) == (State.PROCESSED, timeliness)
    assert local(dossier.finished_at) == finished
    # The result goes back to the desk.
    assert (dossier.current_agency, dossier.current_holder) == (commune, None)
    assert dossier.events.get(kind=EventKind.HAND_OVER).step_timeliness == timeliness
    assert dossier.events.get(kind=EventKind.COMPLETE).to_agency == commune


def test_completion_needs_a_result_number_and_signer(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)

    refused(
        complete_dossier,
        dossier=dossier,
        version=None,
        user=officer,
        result_number=" ",
        result_signer="A",
    )
    refused(
        complete_dossier,
        dossier=dossier,
        version=None,
        user=officer,
        result_number="1/GCN",
        result_signer="",
    )
    refused(
        complete_dossier,
        dossier=dossier,
        version=None,
        user=clerk,
        result_number="1/GCN",
        result_signer="A",
    )


def test_return_requires_an_identity_check(clerk, officer, procedure) -> None:
    dossier = processed(clerk, officer, procedure)

    message = refused(
        return_result,
        dossier=dossier,
        version=None,
        user=clerk,
        identity_checked=False,
        delivery=Delivery.DESK,
    )
    assert "tùy thân" in message
    refused(
        return_result,
        dossier=dossier,
        version=None,
        user=clerk,
        identity_checked=True,
        delivery="pigeon",
    )
    refused(
        return_result,
        dossier=dossier,
        version=None,
        user=officer,
        identity_checked=True,
        delivery=Delivery.DESK,
    )

    dossier = return_result(
        dossier=dossier,
        version=fresh(dossier).version,
        user=clerk,
        identity_checked=True,
        delivery=Delivery.POST,
        at=at("2026-03-13 09:00"),
    )

    assert (dossier.state, dossier.delivery) == (State.RETURNED, Delivery.POST)
    assert local(dossier.returned_at) == "2026-03-13 09:00"
    assert dossier.timeliness == Timeliness.EARLY  # judged at completion, unchanged


def test_only_an_administrator_corrects_a_returned_dossier(
    clerk, officer, administrator, procedure
) -> None:
    dossier = processed(clerk, officer, procedure)
    dossier = return_result(
        dossier=dossier,
        version=None,
        user=clerk,
        identity_checked=True,
        delivery=Delivery.DESK,
        at=at("2026-03-13 09:00"),
    )

    refused(correct_returned, dossier=dossier, version=None, user=clerk, reason="Nhầm")
    refused(correct_returned, dossier=dossier, version=None, user=administrator, reason="")
    dossier = correct_returned(
        dossier=dossier,
        version=dossier.version,
        user=administrator,
        reason="Trả nhầm hồ sơ của người khác",
    )

    assert (dossier.state, dossier.returned_at) == (State.PROCESSED, None)
    event = dossier.events.get(kind=EventKind.CORRECT)
    assert (event.actor, event.from_state, event.to_state) == (
        administrator,
        State.RETURNED,
        State.PROCESSED,
    )
