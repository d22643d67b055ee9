"""desk.services: hand_over, the control slip's rows and the deadline of each step."""

from decimal import Decimal

import pytest
import time_machine

from desk.models import EventKind, State, Timeliness
from desk.services import StaleDossier, hand_over
from procedures.models import ProcedureStep
from tests.desk.services.helpers import refused
from tests.factories import ask_and_supply, at, fresh, local, make_procedure, make_user, processing
from tests.factories import received as receive

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- hand_over


def test_hand_over_records_a_control_slip_row_and_judges_the_desk_step(
    clerk, officer, procedure, commune
) -> None:
    dossier = receive(clerk, procedure, "2026-03-09 10:00")

    dossier = hand_over(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        to_agency=commune,
        to_user=officer,
        note="Chuyển công chức tư pháp",
        at=at("2026-03-09 14:00"),
    )

    assert (dossier.state, dossier.current_agency, dossier.current_holder) == (
        State.PROCESSING,
        commune,
        officer,
    )
    assert dossier.current_step_due_at == dossier.due_at
    receipt, row = dossier.events.order_by("at", "pk")
    assert (receipt.kind, receipt.step_timeliness) == (EventKind.RECEIVE, Timeliness.ON_TIME)
    assert local(receipt.step_finished_at) == "2026-03-09 14:00"
    assert (row.kind, row.from_agency, row.to_agency, row.from_user, row.to_user) == (
        EventKind.HAND_OVER,
        commune,
        commune,
        clerk,
        officer,
    )
    assert (row.from_state, row.to_state) == (State.RECEIVED, State.PROCESSING)
    assert row.step_due_at == dossier.due_at and row.step_finished_at is None


@pytest.mark.parametrize(
    ("received", "handed", "timeliness"),
    [
        ("2026-03-09 15:30", "2026-03-09 16:00", Timeliness.EARLY),  # due next morning
        ("2026-03-09 15:30", "2026-03-10 11:30", Timeliness.ON_TIME),
        ("2026-03-09 10:00", "2026-03-10 08:00", Timeliness.LATE),  # due the same day
    ],
)
def test_desk_step_is_judged_against_its_deadline(
    clerk, officer, procedure, commune, received, handed, timeliness
) -> None:
    dossier = receive(clerk, procedure, received)

    hand_over(
        dossier=dossier,
        version=None,
        user=clerk,
        to_agency=commune,
        to_user=officer,
        at=at(handed),
    )

    assert dossier.events.get(kind=EventKind.RECEIVE).step_timeliness == timeliness


def test_each_later_step_is_judged_against_its_step_deadline(
    clerk, officer, unit_head, procedure, commune
) -> None:
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00

    dossier = hand_over(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        to_agency=commune,
        to_user=unit_head,
        at=at("2026-03-16 10:30"),
    )

    officer_step, head_step = dossier.events.filter(kind=EventKind.HAND_OVER).order_by("at")
    assert officer_step.step_timeliness == Timeliness.LATE
    assert head_step.step_timeliness == "" and head_step.from_user == officer


def test_hand_over_defaults_to_now(clerk, officer, procedure, commune) -> None:
    dossier = receive(clerk, procedure, "2026-03-09 10:00")

    with time_machine.travel(at("2026-03-09 11:15"), tick=False):
        hand_over(dossier=dossier, version=None, user=clerk, to_agency=commune, to_user=officer)

    assert local(dossier.events.get(kind=EventKind.HAND_OVER).at) == "2026-03-09 11:15"


def test_hand_over_only_to_allowed_units_and_their_officers(
    clerk, officer, procedure, commune, department, department_officer, other_commune
) -> None:
    dossier = receive(clerk, procedure)
    other_officer = make_user(agency=other_commune, roles=("officer",))
    other_clerk = make_user(agency=commune, roles=("clerk",))

    # Not the desk's subtree, not an implementing agency of the procedure.
    message = refused(hand_over, dossier=dossier, version=None, user=clerk, to_agency=other_commune)
    assert "đơn vị này" in message
    # The receiver must work in the target unit...
    refused(
        hand_over,
        dossier=dossier,
        version=None,
        user=clerk,
        to_agency=department,
        to_user=officer,
    )
    refused(
        hand_over,
        dossier=dossier,
        version=None,
        user=clerk,
        to_agency=other_commune,
        to_user=other_officer,
    )
    # ...and be an officer or unit head.
    message = refused(
        hand_over, dossier=dossier, version=None, user=clerk, to_agency=commune, to_user=other_clerk
    )
    assert "cán bộ xử lý" in message

    dossier = hand_over(
        dossier=dossier,
        version=None,
        user=clerk,
        to_agency=department,
        to_user=department_officer,
        at=at("2026-03-09 11:00"),
    )
    assert dossier.current_agency == department


def test_hand_over_is_refused_to_outsiders_and_on_a_stale_version(
    clerk, officer, outsider, procedure, commune
) -> None:
    dossier = receive(clerk, procedure)

    message = refused(hand_over, dossier=dossier, version=None, user=outsider, to_agency=commune)
    assert "quyền" in message
    message = refused(
        hand_over,
        dossier=dossier,
        exception=StaleDossier,
        version=dossier.version - 1,
        user=clerk,
        to_agency=commune,
        to_user=officer,
    )
    assert dossier.code in message


# ---------------------------------------------------------------- per-step deadlines


def with_steps(procedure, *steps: tuple[str, str]):
    for order, (name, hours) in enumerate(steps):
        ProcedureStep.objects.create(
            procedure=procedure, order=order, name=name, working_hours=Decimal(hours)
        )
    return procedure


def test_each_hand_over_gets_the_deadline_of_its_internal_step(
    clerk, officer, unit_head, procedure, commune
) -> None:
    with_steps(procedure, ("Thẩm định", "24"), ("Lãnh đạo ký", "8"), ("Trả kết quả", "8"))
    dossier = processing(clerk, officer, procedure)  # received Mon 09/03 10:00, due 16/03 10:00

    # Step 1, appraisal: three working days from receipt.
    assert local(fresh(dossier).current_step_due_at) == "2026-03-12 10:00"
    dossier = hand_over(
        dossier=dossier,
        version=None,
        user=officer,
        to_agency=commune,
        to_user=unit_head,
        at=at("2026-03-12 11:00"),
    )
    first, second = dossier.events.filter(kind=EventKind.HAND_OVER).order_by("at")
    assert first.step_timeliness == Timeliness.LATE  # an hour past its own deadline
    # Step 2, signature: one more working day; the last step runs to the due date.
    assert local(second.step_due_at) == local(dossier.current_step_due_at) == "2026-03-13 10:00"
    dossier = hand_over(
        dossier=dossier, version=None, user=unit_head, to_agency=commune, at=at("2026-03-13 09:00")
    )
    assert local(dossier.current_step_due_at) == local(dossier.due_at) == "2026-03-16 10:00"


def test_a_supplement_pause_moves_the_open_steps_deadline(clerk, officer, procedure) -> None:
    with_steps(procedure, ("Thẩm định", "24"), ("Lãnh đạo ký", "16"))
    dossier = processing(clerk, officer, procedure)  # step 1 due Thu 12/03 10:00

    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-10 10:00", "2026-03-11 10:00")

    dossier = fresh(dossier)
    assert local(dossier.due_at) == "2026-03-17 10:00"  # one working day paused
    assert local(dossier.current_step_due_at) == "2026-03-13 10:00"
    step = dossier.events.get(kind=EventKind.HAND_OVER)
    assert local(step.step_due_at) == "2026-03-13 10:00"


def test_a_shorter_case_shares_its_term_in_the_same_proportions(clerk, officer, commune) -> None:
    procedure = make_procedure(agencies=(commune,), time_value=2)  # 16 working hours
    with_steps(procedure, ("Thẩm định", "30"), ("Lãnh đạo ký", "10"))  # planned for 40

    dossier = processing(clerk, officer, procedure)  # received Mon 09/03 10:00

    # 30/40 of 16 hours = 12 working hours: Monday 10:00-17:00 gives 5 (lunch
    # skipped), Tuesday morning 4.5, then 2.5 from 13:30.
    assert local(fresh(dossier).current_step_due_at) == "2026-03-10 16:00"
