"""Plans and their coverage: units are the planning agency's active subtree
without itself; the required number is the share rounded up; a plan short of it
warns."""

import datetime as dt
from decimal import Decimal

import pytest

from conduct import services
from conduct.models import InspectionKind, Policy
from conduct.scores import Coverage, plan_coverage
from conduct.services import ConductError
from tests.factories import make_agency, make_user

from .conftest import open_inspection, tick_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("units", "share", "required"),
    [
        (10, "0.30", 3),
        (7, "0.30", 3),
        (31, "0.30", 10),
        (20, "0.30", 6),
        (1, "0.30", 1),
        (0, "0.30", 0),
        (9, "0.50", 5),
        (3, "1.00", 3),
    ],
)
def test_required_units_is_the_share_rounded_up(units, share, required):
    assert (
        Coverage(units=units, required_share=Decimal(share), planned=0, done=0).required == required
    )


def test_shortfall_and_shares():
    coverage = Coverage(units=8, required_share=Decimal("0.30"), planned=2, done=1)
    assert coverage.required == 3
    assert coverage.shortfall == 1 and coverage.short
    assert coverage.planned_share == Decimal("25.0")
    assert coverage.done_share == Decimal("12.5")
    enough = Coverage(units=8, required_share=Decimal("0.30"), planned=4, done=0)
    assert enough.shortfall == 0 and not enough.short


@pytest.fixture
def units(province):
    active = [make_agency(parent=province, name=f"Đơn vị {i}") for i in range(9)]
    make_agency(parent=province, name="Đơn vị đã giải thể", is_active=False)
    return active


def test_plan_coverage_counts_active_units_planned_and_done(province, units, inspector, checklist):
    plan = services.create_plan(agency=province, year=2026, by=inspector)
    assert plan.required_coverage == Decimal("0.30")
    for unit in units[:2]:
        services.add_planned(
            plan=plan, agency=unit, planned_on=dt.date(2026, 5, 4), kind=InspectionKind.ANNOUNCED
        )
    coverage = plan_coverage(plan)
    assert (coverage.units, coverage.required, coverage.planned, coverage.done) == (9, 3, 2, 0)
    assert coverage.short and coverage.shortfall == 1

    services.add_planned(
        plan=plan, agency=units[2], planned_on=dt.date(2026, 6, 1), kind=InspectionKind.UNANNOUNCED
    )
    officer = make_user(agency=units[0], roles=("officer",))
    inspection = open_inspection(
        agency=units[0], lead=inspector, officers=[officer], day=dt.date(2026, 5, 4)
    )
    tick_all(inspection, inspector)
    services.complete_inspection(inspection=inspection, by=inspector)
    coverage = plan_coverage(plan)
    assert (coverage.planned, coverage.done, coverage.short) == (3, 1, False)


def test_policy_changes_the_default_share(province, inspector):
    policy = Policy.current()
    policy.required_coverage = Decimal("0.50")
    policy.save()
    plan = services.create_plan(agency=province, year=2027, by=inspector)
    assert plan.required_coverage == Decimal("0.50")


def test_bad_plan_entries_are_refused(province, units, other_commune, inspector):
    plan = services.create_plan(agency=province, year=2026, by=inspector)
    with pytest.raises(ConductError, match="đã có kế hoạch"):
        services.create_plan(agency=province, year=2026, by=inspector)
    with pytest.raises(ConductError, match="thuộc năm 2026"):
        services.add_planned(
            plan=plan, agency=units[0], planned_on=dt.date(2027, 1, 5), kind="announced"
        )
    with pytest.raises(ConductError, match="không trực thuộc"):
        services.add_planned(
            plan=plan, agency=province, planned_on=dt.date(2026, 1, 5), kind="announced"
        )
    services.add_planned(
        plan=plan, agency=units[0], planned_on=dt.date(2026, 1, 5), kind="announced"
    )
    with pytest.raises(ConductError, match="đã có trong kế hoạch"):
        services.add_planned(
            plan=plan, agency=units[0], planned_on=dt.date(2026, 2, 5), kind="announced"
        )
    with pytest.raises(ConductError):
        services.create_plan(
            agency=other_commune, year=2026, by=inspector, required_coverage=Decimal("1.5")
        )
    assert plan.entries.count() == 1
