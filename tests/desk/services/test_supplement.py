"""desk.services: supplement requests stop the clock, once per processing body."""

import datetime as dt

import pytest

from desk.calendar_seed import seed_calendar
from desk.models import EventKind, State, Timeliness
from desk.services import hand_over, record_supplement, request_supplement
from tests.desk.services.helpers import ITEMS, refused
from tests.factories import ask_and_supply, at, fresh, local, make_procedure, processing

pytestmark = pytest.mark.django_db


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


def test_second_supplement_request_by_the_same_body_is_refused(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-10 09:00", "2026-03-10 15:00")

    message = refused(request_supplement, dossier=dossier, version=None, user=officer, items=ITEMS)

    assert "một lần" in message
    assert fresh(dossier).supplement_count == 1


def test_second_request_with_an_override_is_recorded_and_counted(clerk, officer, procedure) -> None:
    dossier = processing(clerk, officer, procedure)
    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-10 09:00", "2026-03-10 15:00")

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
    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-10 09:00", "2026-03-10 15:00")
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
    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-11 10:00", "2026-03-12 10:00")

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

    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-11 10:00", "2026-03-12 10:00")

    assert local(dossier.due_at) == "2026-03-19 10:00"  # 12/03 10:00 + 5 working days


def test_a_pause_across_tet_2026_adds_only_the_working_hours(clerk, officer, procedure) -> None:
    seed_calendar([2026])
    dossier = processing(clerk, officer, procedure, "2026-02-10 10:00", "2026-02-10 11:00")
    assert local(dossier.due_at) == "2026-02-24 10:00"

    # Friday 13/02 10:00 to Tuesday 24/02 10:00: 5 h on Friday, 8 h on Monday 23/02,
    # 3 h on Tuesday; the nine days of Tết add nothing.
    dossier = ask_and_supply(dossier, officer, clerk, "2026-02-13 10:00", "2026-02-24 10:00")

    assert local(dossier.due_at) == "2026-02-26 10:00"
    explanation = " ".join(dossier.events.get(kind=EventKind.SUPPLY).data["explanation"])
    assert "16 giờ" in explanation


def test_a_step_that_waited_for_a_supplement_is_judged_against_the_moved_deadline(
    clerk, officer, unit_head, procedure, commune
) -> None:
    dossier = processing(clerk, officer, procedure)  # due 16/03 10:00
    dossier = ask_and_supply(dossier, officer, clerk, "2026-03-11 10:00", "2026-03-12 10:00")

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
