"""desk.services: the apology letter: drafted, signed on time or late, and what it moves."""

import pytest

from desk.models import ApologyLetter, ApologyStatus, EventKind, Timeliness
from desk.services import (
    apology_deadline,
    approve_apology,
    complete_dossier,
    draft_apology,
    request_supplement,
)
from tests.desk.services.helpers import refused
from tests.factories import at, fresh, local, processing

pytestmark = pytest.mark.django_db


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
