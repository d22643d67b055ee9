"""Fixtures of the conduct tests: the seeded checklist, a ward with desk staff, and
helpers that record an inspection through the real services."""

import datetime as dt

import pytest
from django.utils import timezone

from conduct import services
from conduct.checklist import seed_checklist
from conduct.models import Inspection, Outcome
from tests.factories import make_user


@pytest.fixture
def checklist(db):
    return seed_checklist()


@pytest.fixture
def version(checklist):
    return checklist.latest_published()


@pytest.fixture
def ward_staff(commune, clerk, officer):
    """Three officers at the commune's desk: the clerk, the officer and one more."""
    third = make_user(
        agency=commune, roles=("clerk",), username="clerk2", first_name="Mai", last_name="Võ Thị"
    )
    return [clerk, officer, third]


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def open_inspection(*, agency, lead, officers, day=None, now=None, **extra) -> Inspection:
    day = day or timezone.localdate()
    return services.start_inspection(
        agency=agency,
        lead=lead,
        inspected_on=day,
        officers=officers,
        now=now or at(day, 8, 30),
        **extra,
    )


def tick_all(inspection: Inspection, by, *, not_met=(), not_applicable=()) -> None:
    """Tick every item of every target: Đạt, except (item code, target) pairs listed."""
    targets = services.targets_of(inspection)
    for item in inspection.version.items.all():
        for target in targets[item.scope]:
            outcome = Outcome.MET
            if (item.code, target) in not_met:
                outcome = Outcome.NOT_MET
            elif (item.code, target) in not_applicable:
                outcome = Outcome.NOT_APPLICABLE
            services.record_tick(
                inspection=inspection,
                item_id=item.pk,
                target=target,
                outcome=outcome,
                note="Ghi chú thử" if outcome == Outcome.NOT_MET else "",
                by=by,
            )
