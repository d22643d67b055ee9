"""Score arithmetic: share met = met / (met + not met), "not applicable" left out,
per officer (their ticks), per agency (every tick of its inspections) and per
period; checked by hand on a small case and against a brute-force count of the
ticks on generated data."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest

from conduct import services
from conduct.models import ItemResult, Outcome
from conduct.scores import agency_scores, officer_scores, officer_year, panel, share
from tests.factories import make_agency, make_user

from .conftest import at, open_inspection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("met", "not_met", "expected"),
    [
        (3, 1, Decimal("75.0")),
        (2, 1, Decimal("66.7")),
        (1, 2, Decimal("33.3")),
        (0, 0, None),
        (5, 0, Decimal("100.0")),
        (0, 4, Decimal("0.0")),
        (1, 7, Decimal("12.5")),
    ],
)
def test_share(met, not_met, expected):
    assert share(met, not_met) == expected


def record(inspection, by, outcomes: dict[tuple[str, str], str]) -> None:
    for (code, target), outcome in outcomes.items():
        services.record_tick(
            inspection=inspection,
            item_id=inspection.version.items.get(code=code).pk,
            target=target,
            outcome=outcome,
            note="",
            by=by,
        )


def test_hand_computed_officer_and_agency_scores(commune, inspector, ward_staff, checklist):
    officer = ward_staff[0]
    day = dt.date(2026, 3, 10)
    inspection = open_inspection(agency=commune, lead=inspector, officers=[officer], day=day)
    o = f"o{officer.pk}"
    record(
        inspection, inspector, {("KL1", o): "not_met", ("KL2", o): "na", ("CS1", "p"): "not_met"}
    )
    services.fill_remaining(inspection=inspection, target=o, by=inspector)  # 12 more met
    services.fill_remaining(inspection=inspection, target="p", by=inspector)  # 7 more met
    services.complete_inspection(inspection=inspection, by=inspector, now=at(day, 11))
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    [row] = officer_scores({commune.pk}, *year)
    assert (row.met, row.not_met, row.not_applicable, row.share) == (12, 1, 1, Decimal("92.3"))
    assert (row.violations, row.repeats, row.inspections) == (1, 0, 1)
    [agency] = agency_scores({commune.pk}, *year)
    assert (agency.met, agency.not_met, agency.share) == (19, 2, Decimal("90.5"))
    assert agency.violations == 2
    # Out of the period, or out of scope: nothing.
    assert officer_scores({commune.pk}, dt.date(2026, 4, 1), dt.date(2026, 12, 31)) == []
    assert agency_scores(set(), *year) == []
    summary = officer_year(officer, 2026)
    assert (summary.met, summary.not_met, summary.share) == (12, 1, Decimal("92.3"))
    assert len(summary.violations) == 1 and len(summary.follow_ups) == 1


def test_scores_match_a_brute_force_count_on_generated_data(province, inspector, checklist):
    rng = random.Random(7)
    agencies = [make_agency(parent=province) for _ in range(3)]
    staff = {a.pk: [make_user(agency=a, roles=("officer",)) for _ in range(3)] for a in agencies}
    draft_ids = []
    for n in range(9):
        agency = agencies[n % 3]
        day = dt.date(2025 + n % 2, 1 + n, 10)
        officers = rng.sample(staff[agency.pk], 2)
        inspection = open_inspection(agency=agency, lead=inspector, officers=officers, day=day)
        targets = services.targets_of(inspection)
        for item in inspection.version.items.all():
            for target in targets[item.scope]:
                outcome = rng.choices(
                    [Outcome.MET, Outcome.NOT_MET, Outcome.NOT_APPLICABLE], [0.8, 0.15, 0.05]
                )[0]
                record(inspection, inspector, {(item.code, target): outcome})
        if n == 8:
            draft_ids.append(inspection.pk)  # left as a draft: must not count
            continue
        services.complete_inspection(inspection=inspection, by=inspector, now=at(day, 11))

    for year in (2025, 2026):
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        expected_agency = defaultdict(lambda: defaultdict(int))
        expected_officer = defaultdict(lambda: defaultdict(int))
        for result in (
            ItemResult.objects.filter(inspection__inspected_on__range=(start, end))
            .exclude(inspection_id__in=draft_ids)
            .select_related("inspection")
        ):
            expected_agency[result.inspection.agency_id][result.outcome] += 1
            if result.officer_id:
                expected_officer[result.officer_id][result.outcome] += 1
        got = {r.pk: r for r in agency_scores(None, start, end)}
        assert set(got) == set(expected_agency)
        for pk, counts in expected_agency.items():
            assert (got[pk].met, got[pk].not_met, got[pk].not_applicable) == (
                counts["met"],
                counts["not_met"],
                counts["na"],
            )
            assert got[pk].share == share(counts["met"], counts["not_met"])
        got = {r.pk: r for r in officer_scores(None, start, end)}
        assert set(got) == set(expected_officer)
        for pk, counts in expected_officer.items():
            assert (got[pk].met, got[pk].not_met) == (counts["met"], counts["not_met"])
            assert got[pk].violations == counts["not_met"]
        # Scope: one agency only.
        only = agencies[0].pk
        assert {r.pk for r in agency_scores({only}, start, end)} <= {only}


def test_agency_rows_are_worst_first_and_panel_adds_up(
    province, commune, other_commune, inspector, provincial_leader, checklist
):
    day = dt.date(2026, 2, 3)
    for agency, failures in ((commune, 3), (other_commune, 0)):
        officer = make_user(agency=agency, roles=("officer",))
        inspection = open_inspection(agency=agency, lead=inspector, officers=[officer], day=day)
        codes = ["KL1", "KL2", "KL3"][:failures]
        record(inspection, inspector, {(c, f"o{officer.pk}"): "not_met" for c in codes})
        services.fill_remaining(inspection=inspection, target=f"o{officer.pk}", by=inspector)
        services.fill_remaining(inspection=inspection, target="p", by=inspector)
        services.complete_inspection(inspection=inspection, by=inspector, now=at(day, 11))
    rows = agency_scores(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [r.pk for r in rows] == [commune.pk, other_commune.pk]
    assert rows[0].share == share(19, 3)
    summary = panel(provincial_leader, provincial_leader.visible_agency_ids(), 2026)
    assert (summary.inspections, summary.met, summary.not_met) == (2, 41, 3)
    assert summary.violations == 3 and summary.open_follow_ups == 3
    assert summary.worst[0].pk == commune.pk
