"""desk/services.py against the real database: every transition, its guards, and
what a refused call leaves behind (nothing).

Moments are explicit (``at=``/``received_at=``) and fall in ordinary weeks of
2026 unless a test seeds the calendar; 09/03/2026 is a Monday.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from desk.calendar_seed import seed_calendar
from desk.models import (
    ApologyLetter,
    ApologyStatus,
    Channel,
    Counter,
    Delivery,
    Dossier,
    DossierDocument,
    DossierEvent,
    EventKind,
    State,
    SupplementRequest,
    Timeliness,
)
from desk.services import (
    ActionRefused,
    ReceivedDocument,
    StaleDossier,
    apology_deadline,
    approve_apology,
    complete_dossier,
    confirm_payment,
    correct_returned,
    draft_apology,
    guide_registered,
    hand_over,
    preview_deadline,
    receive_dossier,
    receive_registered,
    record_supplement,
    refuse_registered,
    register_online,
    request_payment,
    request_supplement,
    request_withdrawal,
    return_result,
    stop_dossier,
)
from procedures.models import Procedure, ProcedureStep
from tests.factories import make_applicant, make_dossier, make_field, make_procedure, make_user

pytestmark = pytest.mark.django_db


TZ = timezone.get_default_timezone()
LOOKUP_ALPHABET = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
ITEMS = [{"name": "Bản sao giấy khai sinh", "reason": "Bản nộp bị mờ, không đọc được"}]


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment, TZ).strftime("%Y-%m-%d %H:%M")


def rows(dossier: Dossier | None = None) -> dict[str, list]:
    """Everything a service may write, to compare before and after a refusal."""
    scope = {"dossier_id": dossier.pk} if dossier is not None else {}
    return {
        "dossiers": list(
            Dossier.objects.filter(**({"pk": dossier.pk} if dossier else {})).values()
        ),
        "events": list(DossierEvent.objects.filter(**scope).values()),
        "documents": list(DossierDocument.objects.filter(**scope).values()),
        "supplements": list(SupplementRequest.objects.filter(**scope).values()),
        "apologies": list(ApologyLetter.objects.filter(**scope).values()),
        "counters": list(Counter.objects.order_by("scope").values()),
    }


def assert_vietnamese(message: str) -> None:
    assert re.search(r"[\u00c0-\u1ef9]", message), message


def refused(service, *, dossier: Dossier | None = None, exception=ActionRefused, **kwargs) -> str:
    """Call ``service`` expecting a refusal; assert nothing changed; return the message."""
    before = rows(dossier)
    with pytest.raises(exception) as excinfo:
        service(**({"dossier": dossier} if dossier is not None else {}), **kwargs)
    assert rows(dossier) == before
    assert_vietnamese(excinfo.value.message)
    return excinfo.value.message


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def procedure(commune, department) -> Procedure:
    """Five working days, handled by the commune and, for some steps, the department."""
    return make_procedure(agencies=(commune, department), time_value=5)


@pytest.fixture
def department_officer(department):
    return make_user(agency=department, roles=("officer",), username="dept-officer")


def receive(clerk, procedure, when: str = "2026-03-09 10:00", **extra) -> Dossier:
    return make_dossier(clerk=clerk, procedure=procedure, received_at=at(when), **extra)


def processing(
    clerk, officer, procedure, received: str = "2026-03-09 10:00", handed: str = "2026-03-09 11:00"
) -> Dossier:
    dossier = receive(clerk, procedure, received)
    return hand_over(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        to_agency=clerk.agency,
        to_user=officer,
        at=at(handed),
    )


def processed(clerk, officer, procedure, finished: str = "2026-03-12 10:00") -> Dossier:
    dossier = processing(clerk, officer, procedure)
    return complete_dossier(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        result_number="15/GCN-UBND",
        result_signer="Phạm Văn Hùng",
        at=at(finished),
    )


# ---------------------------------------------------------------- receive_dossier


def test_code_is_identifier_local_date_and_counter(clerk, procedure) -> None:
    first = receive(clerk, procedure, "2026-03-09 10:00")
    second = receive(clerk, procedure, "2026-03-09 10:00")

    assert first.code == "000.00.21.H56-260309-0001"
    assert second.code == "000.00.21.H56-260309-0002"


def test_code_uses_the_local_date_and_restarts_the_next_local_day(clerk, procedure) -> None:
    # 23:30 in Hà Nội time is 16:30 UTC the same day; 00:10 the next local day is
    # still the 9th in UTC: the code must follow the local date.
    late = receive(clerk, procedure, "2026-03-09 23:30")
    after_midnight = receive(clerk, procedure, "2026-03-10 00:10")

    assert after_midnight.received_at.astimezone(dt.UTC).date() == dt.date(2026, 3, 9)
    assert late.code == "000.00.21.H56-260309-0001"
    assert after_midnight.code == "000.00.21.H56-260310-0001"


def test_code_counter_is_per_agency(clerk, procedure, other_commune) -> None:
    other_clerk = make_user(agency=other_commune, roles=("clerk",))
    receive(clerk, procedure)
    receive(clerk, procedure)

    other = receive(other_clerk, procedure)

    assert other.code == "000.00.22.H56-260309-0001"


def test_lookup_key_is_sixteen_unambiguous_characters_and_differs(clerk, procedure) -> None:
    keys = [receive(clerk, procedure).lookup_key for _ in range(5)]

    for key in keys:
        assert len(key) == 16
        assert set(key) <= LOOKUP_ALPHABET
    assert len(set(keys)) == 5


def test_due_date_comes_from_the_engine_and_is_explained(clerk, procedure, commune) -> None:
    dossier = receive(clerk, procedure, "2026-03-09 10:00")  # Monday + 5 working days

    assert local(dossier.due_at) == "2026-03-16 10:00"
    assert dossier.original_due_at == dossier.due_at
    preview = preview_deadline(
        procedure=procedure, variant=None, agency=commune, received_at=at("2026-03-09 10:00")
    )
    assert preview.due_at == dossier.due_at
    event = dossier.events.get()
    assert event.kind == EventKind.RECEIVE
    assert event.data["explanation"] == preview.explain()
    assert dossier.state == State.RECEIVED
    assert dossier.documents.count() == 1


def test_due_date_skips_tet_2026(clerk, procedure) -> None:
    seed_calendar([2026])

    dossier = receive(clerk, procedure, "2026-02-13 10:00")  # Friday before Tết

    assert local(dossier.due_at) == "2026-02-27 10:00"
    assert any("Tết" in line for line in dossier.events.get().data["explanation"])


@pytest.mark.parametrize(
    ("received", "step_due"),
    [
        ("2026-03-09 14:59", "2026-03-09 17:00"),  # before 15:00: hand over the same day
        ("2026-03-09 15:00", "2026-03-10 11:30"),  # from 15:00: by the next morning
        ("2026-03-13 16:30", "2026-03-16 11:30"),  # Friday afternoon: Monday morning
    ],
)
def test_desk_step_deadline(clerk, procedure, received, step_due) -> None:
    dossier = receive(clerk, procedure, received)

    assert local(dossier.current_step_due_at) == step_due
    assert local(dossier.events.get().step_due_at) == step_due


def test_tracking_number_is_per_agency_field_and_year(clerk, procedure, other_commune) -> None:
    same_field = make_procedure(field=procedure.field, agencies=(clerk.agency,))
    other_field = make_procedure(field=make_field(), agencies=(clerk.agency,))
    other_clerk = make_user(agency=other_commune, roles=("clerk",))

    numbers = [
        receive(clerk, procedure).tracking_number,
        receive(clerk, same_field).tracking_number,
        receive(clerk, other_field).tracking_number,
        receive(other_clerk, procedure).tracking_number,
        receive(clerk, procedure, "2027-01-05 09:00").tracking_number,
        receive(clerk, procedure, "2026-12-31 09:00").tracking_number,
    ]

    assert numbers == [1, 2, 1, 1, 1, 3]


def _intake(**overrides):
    values = {
        "variant": None,
        "applicant": make_applicant(),
        "documents": [ReceivedDocument(name="Tờ khai", originals=1)],
        "received_at": at("2026-03-09 10:00"),
    }
    values.update(overrides)
    return values


def test_only_a_clerk_of_the_agency_may_receive(clerk, officer, procedure, other_commune) -> None:
    other_clerk = make_user(agency=other_commune, roles=("clerk",))

    for user in (officer, other_clerk):
        message = refused(
            receive_dossier,
            **_intake(agency=clerk.agency, procedure=procedure, received_by=user),
        )
        assert "tiếp nhận" in message
    assert not Dossier.objects.exists()


def test_intake_refuses_a_foreign_variant_and_an_empty_checklist(clerk, procedure) -> None:
    foreign = make_procedure().default_variant()

    refused(
        receive_dossier,
        **_intake(agency=clerk.agency, procedure=procedure, variant=foreign, received_by=clerk),
    )
    refused(
        receive_dossier,
        **_intake(agency=clerk.agency, procedure=procedure, documents=[], received_by=clerk),
    )
    assert not Dossier.objects.exists()


def test_intake_of_a_procedure_without_time_limit_is_refused(clerk, procedure) -> None:
    procedure.variants.all().delete()

    message = refused(
        receive_dossier, **_intake(agency=clerk.agency, procedure=procedure, received_by=clerk)
    )
    assert "thời hạn" in message


def test_intake_with_an_invalid_applicant_writes_nothing(clerk, procedure) -> None:
    before = rows()

    with pytest.raises(ValidationError) as excinfo:
        receive_dossier(
            **_intake(
                agency=clerk.agency,
                procedure=procedure,
                received_by=clerk,
                applicant=make_applicant(id_number="12345"),
            )
        )

    assert "applicant_id_number" in excinfo.value.message_dict
    assert rows() == before


# ---------------------------------------------------------------- online registrations


def register(procedure, agency, when: str = "2026-03-08 21:00") -> Dossier:
    return register_online(
        agency=agency,
        procedure=procedure,
        variant=None,
        applicant=make_applicant(),
        documents=[ReceivedDocument(name="Tờ khai", originals=1), ReceivedDocument(name="CCCD")],
        registered_at=at(when),
    )


def test_register_online_waits_for_the_desk(procedure, commune) -> None:
    dossier = register(procedure, commune)  # Sunday evening

    assert dossier.state == State.REGISTERED
    assert dossier.channel == Channel.ONLINE
    assert dossier.code == "000.00.21.H56-260308-0001"
    assert dossier.received_at is None and dossier.due_at is None
    assert [d.digitised for d in dossier.documents.all()] == [True, True]
    assert dossier.events.get().kind == EventKind.REGISTER


def test_receive_registered_starts_the_clock(clerk, procedure, commune) -> None:
    dossier = register(procedure, commune)

    dossier = receive_registered(
        dossier=dossier, version=dossier.version, user=clerk, at=at("2026-03-09 08:00")
    )

    assert dossier.state == State.RECEIVED
    assert dossier.code == "000.00.21.H56-260308-0001"  # the registration's code stays
    assert local(dossier.received_at) == "2026-03-09 08:00"
    assert local(dossier.due_at) == "2026-03-16 08:00"
    assert local(dossier.current_step_due_at) == "2026-03-09 17:00"
    assert dossier.tracking_number == 1
    assert fresh(dossier).version == 2
    assert [e.kind for e in dossier.events.all()] == [EventKind.REGISTER, EventKind.RECEIVE]


def test_receive_registered_is_for_the_desk_clerk_and_only_once(
    clerk, officer, procedure, commune
) -> None:
    dossier = register(procedure, commune)

    message = refused(receive_registered, dossier=dossier, version=None, user=officer)
    assert "quyền" in message

    receive_registered(dossier=dossier, version=None, user=clerk, at=at("2026-03-09 08:00"))
    message = refused(receive_registered, dossier=dossier, version=None, user=clerk)
    assert "Đã tiếp nhận" in message


def test_guidance_is_given_once_with_every_item_and_its_reason(clerk, procedure, commune) -> None:
    dossier = register(procedure, commune)

    refused(guide_registered, dossier=dossier, version=None, user=clerk, items=[])
    refused(
        guide_registered,
        dossier=dossier,
        version=None,
        user=clerk,
        items=[{"name": "Bản sao CCCD", "reason": ""}],
    )
    dossier = guide_registered(dossier=dossier, version=dossier.version, user=clerk, items=ITEMS)

    assert dossier.state == State.REGISTERED
    assert "Bản sao giấy khai sinh" in dossier.intake_guidance
    assert dossier.events.filter(kind=EventKind.GUIDE).count() == 1
    message = refused(guide_registered, dossier=dossier, version=None, user=clerk, items=ITEMS)
    assert "một lần" in message


def test_refusal_at_intake_is_final(clerk, procedure, commune) -> None:
    dossier = register(procedure, commune)

    refused(refuse_registered, dossier=dossier, version=None, user=clerk, reason="  ")
    dossier = refuse_registered(
        dossier=dossier,
        version=dossier.version,
        user=clerk,
        reason="Không thuộc thẩm quyền giải quyết của phường",
        at=at("2026-03-09 08:30"),
    )

    assert dossier.state == State.NOT_RECEIVED
    assert local(dossier.finished_at) == "2026-03-09 08:30"
    assert dossier.refusal_reason.startswith("Không thuộc")
    refused(receive_registered, dossier=dossier, version=None, user=clerk)


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

    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-10 10:00", "2026-03-11 10:00")

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


# ---------------------------------------------------------------- supplements


def test_supplement_request_stops_the_clock(clerk, officer, procedure, commune) -> None:
    dossier = processing(clerk, officer, procedure)

    supplement = request_supplement(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        items=ITEMS,
        at=at("2026-03-10 09:00"),
    )

    dossier = fresh(dossier)
    assert dossier.state == State.SUPPLEMENT
    assert local(dossier.paused_at) == "2026-03-10 09:00"
    assert dossier.supplement_count == 1
    assert (supplement.agency, supplement.is_override, supplement.items) == (commune, False, ITEMS)
    assert supplement.contact_name == str(officer)
    assert dossier.events.filter(kind=EventKind.REQUEST_SUPPLEMENT).count() == 1
    assert not dossier.is_overdue(now=at("2026-04-30 10:00"))  # paused: never overdue


def test_supplement_request_needs_items_with_reasons_and_an_officer(
    clerk, officer, procedure
) -> None:
    dossier = processing(clerk, officer, procedure)

    refused(request_supplement, dossier=dossier, version=None, user=officer, items=[])
    refused(
        request_supplement,
        dossier=dossier,
        version=None,
        user=officer,
        items=[{"name": "", "reason": "Thiếu"}],
    )
    message = refused(request_supplement, dossier=dossier, version=None, user=clerk, items=ITEMS)
    assert "quyền" in message


def _ask_and_supply(dossier, officer, clerk, asked: str, supplied: str, **kwargs) -> Dossier:
    request_supplement(
        dossier=dossier, version=None, user=officer, items=ITEMS, at=at(asked), **kwargs
    )
    return record_supplement(dossier=dossier, version=None, user=clerk, at=at(supplied))


def test_second_supplement_request_by_the_same_body_is_refused(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-10 09:00", "2026-03-10 15:00")

    message = refused(request_supplement, dossier=dossier, version=None, user=officer, items=ITEMS)

    assert "một lần" in message
    assert fresh(dossier).supplement_count == 1


def test_second_request_with_an_override_is_recorded_and_counted(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-10 09:00", "2026-03-10 15:00")

    second = request_supplement(
        dossier=dossier,
        version=dossier.version,
        user=officer,
        items=ITEMS,
        override_reason="Kết quả xác minh mới phát sinh yêu cầu bổ sung",
        at=at("2026-03-11 09:00"),
    )

    assert second.is_override and second.override_reason.startswith("Kết quả xác minh")
    assert fresh(dossier).supplement_count == 2
    event = dossier.events.filter(kind=EventKind.REQUEST_SUPPLEMENT).last()
    assert event.data["override"] is True and event.note.startswith("Kết quả xác minh")


def test_another_processing_body_may_ask_once_too(
    clerk, officer, procedure, department, department_officer
) -> None:
    dossier = processing(clerk, officer, procedure)
    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-10 09:00", "2026-03-10 15:00")
    hand_over(
        dossier=dossier,
        version=None,
        user=officer,
        to_agency=department,
        to_user=department_officer,
        at=at("2026-03-10 16:00"),
    )

    second = request_supplement(
        dossier=dossier,
        version=None,
        user=department_officer,
        items=ITEMS,
        at=at("2026-03-11 09:00"),
    )

    assert (second.agency, second.is_override) == (department, False)
    assert fresh(dossier).supplement_count == 2
    dossier = record_supplement(
        dossier=dossier, version=None, user=clerk, at=at("2026-03-11 10:00")
    )
    refused(request_supplement, dossier=dossier, version=None, user=department_officer, items=ITEMS)


def test_supplied_dossier_resumes_with_the_due_date_moved_by_the_pause(
    clerk, officer, procedure
) -> None:
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00

    # Paused Wednesday 10:00 to Thursday 10:00: 8 working hours.
    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-11 10:00", "2026-03-12 10:00")

    assert dossier.state == State.PROCESSING and dossier.paused_at is None
    assert local(dossier.due_at) == "2026-03-17 10:00"
    assert dossier.original_due_at == dossier.due_at  # no apology: nothing to keep apart
    assert dossier.current_step_due_at == dossier.due_at
    supply = dossier.events.get(kind=EventKind.SUPPLY)
    assert local(dt.datetime.fromisoformat(supply.data["due_before"])) == "2026-03-16 10:00"
    assert local(dt.datetime.fromisoformat(supply.data["due_after"])) == "2026-03-17 10:00"
    assert local(dossier.supplements.get().supplied_at) == "2026-03-12 10:00"


def test_restart_procedures_restart_the_full_term_after_a_supplement(
    clerk, officer, commune
) -> None:
    procedure = make_procedure(agencies=(commune,), restart_term_after_supplement=True)
    dossier = processing(clerk, officer, procedure)

    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-11 10:00", "2026-03-12 10:00")

    assert local(dossier.due_at) == "2026-03-19 10:00"  # 12/03 10:00 + 5 working days


def test_a_pause_across_tet_2026_adds_only_the_working_hours(clerk, officer, procedure) -> None:
    seed_calendar([2026])
    dossier = processing(clerk, officer, procedure, "2026-02-10 10:00", "2026-02-10 11:00")
    assert local(dossier.due_at) == "2026-02-24 10:00"

    # Friday 13/02 10:00 to Tuesday 24/02 10:00: 5 h on Friday, 8 h on Monday 23/02,
    # 3 h on Tuesday; the nine days of Tết add nothing.
    dossier = _ask_and_supply(dossier, officer, clerk, "2026-02-13 10:00", "2026-02-24 10:00")

    assert local(dossier.due_at) == "2026-02-26 10:00"
    explanation = " ".join(dossier.events.get(kind=EventKind.SUPPLY).data["explanation"])
    assert "16 giờ" in explanation


def test_a_step_that_waited_for_a_supplement_is_judged_against_the_moved_deadline(
    clerk, officer, unit_head, procedure, commune
) -> None:
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00
    dossier = _ask_and_supply(dossier, officer, clerk, "2026-03-11 10:00", "2026-03-12 10:00")

    # After the old deadline, before the moved one (17/03 10:00).
    hand_over(
        dossier=dossier,
        version=None,
        user=officer,
        to_agency=commune,
        to_user=unit_head,
        at=at("2026-03-16 15:00"),
    )

    step = dossier.events.filter(kind=EventKind.HAND_OVER).order_by("at").first()
    assert local(step.step_due_at) == "2026-03-17 10:00"
    assert step.step_timeliness == Timeliness.EARLY


def test_record_supplement_needs_a_pending_request(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)

    message = refused(record_supplement, dossier=dossier, version=None, user=clerk)
    assert "Đang xử lý" in message


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


# ---------------------------------------------------------------- apology


def test_draft_apology_is_idempotent(clerk, officer, unit_head, procedure) -> None:
    dossier = processing(clerk, officer, procedure)

    first = draft_apology(dossier=dossier, user=officer)
    again = draft_apology(dossier=dossier, user=unit_head)

    assert first.pk == again.pk
    assert ApologyLetter.objects.count() == 1
    assert (first.status, first.original_due_at) == (ApologyStatus.DRAFT, dossier.due_at)


def test_only_the_holding_unit_drafts_an_apology_and_only_while_the_clock_runs(
    clerk, officer, unit_head, outsider, procedure
) -> None:
    dossier = processing(clerk, officer, procedure)

    assert "cán bộ xử lý" in refused(draft_apology, dossier=dossier, user=clerk)
    refused(draft_apology, dossier=dossier, user=outsider)

    request_supplement(
        dossier=dossier,
        version=fresh(dossier).version,
        user=officer,
        items=[{"name": "Bản sao giấy khai sinh", "reason": "Bản đã nộp bị mờ"}],
        at=at("2026-03-10 09:00"),
    )
    message = refused(draft_apology, dossier=fresh(dossier), user=unit_head)
    assert "Chờ bổ sung" in message
    assert not ApologyLetter.objects.exists()


def test_apology_deadline_is_one_working_day_before_the_due_date(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure, "2026-03-10 10:00")  # due Tue 17/03 10:00
    assert local(apology_deadline(dossier)) == "2026-03-16 10:00"

    dossier = processing(clerk, officer, procedure, "2026-03-06 10:00")  # due Fri 13/03 10:00
    assert local(apology_deadline(dossier)) == "2026-03-12 10:00"

    dossier = processing(clerk, officer, procedure, "2026-03-09 10:00")  # due Mon 16/03 10:00
    assert local(apology_deadline(dossier)) == "2026-03-13 10:00"  # the Friday before


def test_approved_apology_moves_the_appointment_once_and_keeps_the_original(
    clerk, officer, unit_head, procedure
) -> None:
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00
    draft = draft_apology(dossier=dossier, user=officer)

    letter = approve_apology(
        dossier=dossier,
        version=fresh(dossier).version,
        user=unit_head,
        reason="Cần xác minh thêm tại địa phương nơi cư trú trước đây",
        new_due_at=at("2026-03-20 16:00"),
        at=at("2026-03-12 09:00"),
    )

    dossier = fresh(dossier)
    assert letter.pk == draft.pk
    assert (letter.status, letter.signed_by, letter.is_late) == (
        ApologyStatus.APPROVED,
        unit_head,
        False,
    )
    assert local(letter.original_due_at) == "2026-03-16 10:00"
    assert local(dossier.due_at) == "2026-03-20 16:00"
    assert local(dossier.original_due_at) == "2026-03-16 10:00"
    assert dossier.extended
    assert dossier.events.get(kind=EventKind.APOLOGISE).data["late"] is False

    message = refused(
        approve_apology,
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Lần nữa",
        new_due_at=at("2026-03-25 16:00"),
    )
    assert "một lần" in message
    refused(draft_apology, dossier=dossier, user=officer)


def test_apology_after_its_deadline_is_flagged_late(clerk, officer, unit_head, procedure) -> None:
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00, apologise by 13/03 10:00

    letter = approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Hồ sơ phức tạp",
        new_due_at=at("2026-03-20 16:00"),
        at=at("2026-03-13 10:01"),
    )

    assert letter.is_late
    assert fresh(dossier).events.get(kind=EventKind.APOLOGISE).data["late"] is True


def test_apology_guards(clerk, officer, unit_head, procedure) -> None:
    dossier = processing(clerk, officer, procedure)  # due Monday 16/03 10:00
    valid = {"reason": "Hồ sơ phức tạp", "at": at("2026-03-11 09:00")}

    message = refused(
        approve_apology,
        dossier=dossier,
        version=None,
        user=unit_head,
        new_due_at=at("2026-03-16 10:00"),
        **valid,
    )
    assert "sau ngày hẹn" in message
    message = refused(
        approve_apology,
        dossier=dossier,
        version=None,
        user=unit_head,
        new_due_at=at("2026-03-21 10:00"),  # a Saturday
        **valid,
    )
    assert "ngày làm việc" in message
    refused(
        approve_apology,
        dossier=dossier,
        version=None,
        user=unit_head,
        reason=" ",
        new_due_at=at("2026-03-20 10:00"),
    )
    message = refused(
        approve_apology,
        dossier=dossier,
        version=None,
        user=officer,
        new_due_at=at("2026-03-20 10:00"),
        **valid,
    )
    assert "quyền" in message


def test_completion_after_a_late_apology_is_judged_against_the_original_date(
    clerk, officer, unit_head, procedure
) -> None:
    # docs/domain.md §5: on time means by the moved date only if the apology was on time.
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00
    approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Hồ sơ phức tạp",
        new_due_at=at("2026-03-20 16:00"),
        at=at("2026-03-16 08:00"),  # late: the deadline was 13/03 10:00
    )

    dossier = complete_dossier(
        dossier=dossier,
        version=None,
        user=officer,
        result_number="20/GCN",
        result_signer="Phạm Văn Hùng",
        at=at("2026-03-18 10:00"),
    )

    assert dossier.timeliness == Timeliness.LATE


def test_completion_after_an_on_time_apology_is_judged_against_the_new_date(
    clerk, officer, unit_head, procedure
) -> None:
    dossier = processing(clerk, officer, procedure)
    approve_apology(
        dossier=dossier,
        version=None,
        user=unit_head,
        reason="Hồ sơ phức tạp",
        new_due_at=at("2026-03-20 16:00"),
        at=at("2026-03-12 08:00"),
    )

    dossier = complete_dossier(
        dossier=dossier,
        version=None,
        user=officer,
        result_number="20/GCN",
        result_signer="Phạm Văn Hùng",
        at=at("2026-03-20 15:00"),
    )

    assert dossier.timeliness == Timeliness.ON_TIME


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


def test_every_write_bumps_the_version_once(clerk, officer, procedure, commune) -> None:
    dossier = receive(clerk, procedure)
    versions = [fresh(dossier).version]

    hand_over(dossier=dossier, version=versions[-1], user=clerk, to_agency=commune, to_user=officer)
    versions.append(fresh(dossier).version)
    request_supplement(dossier=dossier, version=versions[-1], user=officer, items=ITEMS)
    versions.append(fresh(dossier).version)
    record_supplement(dossier=dossier, version=versions[-1], user=clerk)
    versions.append(fresh(dossier).version)

    assert versions == [1, 2, 3, 4]
    refused(
        request_payment,
        dossier=dossier,
        exception=StaleDossier,
        version=versions[0],
        user=officer,
        amount=Decimal(0),
    )
