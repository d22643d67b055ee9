"""desk.services: receive_dossier and the online registrations waiting for the desk."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from desk.calendar_seed import seed_calendar
from desk.models import Channel, Dossier, EventKind, State
from desk.services import (
    ReceivedDocument,
    guide_registered,
    preview_deadline,
    receive_dossier,
    receive_registered,
    refuse_registered,
)
from tests.desk.services.helpers import ITEMS, refused, register, rows
from tests.factories import at, fresh, local, make_applicant, make_field, make_procedure, make_user
from tests.factories import received as receive

pytestmark = pytest.mark.django_db

LOOKUP_ALPHABET = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


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
