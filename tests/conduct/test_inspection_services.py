"""Recording an inspection: the sample drawn from the unit's dossiers, ticks saved
one by one (newest wins, whatever order they arrive in), the officers present,
"the rest is met", and completion only when every item is assessed."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from conduct import services
from conduct.models import Inspection, InspectionStatus, ItemResult, Outcome, Policy, ScoreTally
from conduct.services import ConductError
from tests.factories import make_dossier, make_user

from .conftest import at, open_inspection, tick_all

pytestmark = pytest.mark.django_db


def test_sample_is_drawn_from_the_units_recent_dossiers_only(
    commune, other_commune, clerk, inspector, ward_staff, checklist
):
    now = timezone.now()
    mine = [make_dossier(clerk=clerk, received_at=now - dt.timedelta(days=d)) for d in (1, 2, 3, 5)]
    old = make_dossier(clerk=clerk, received_at=now - dt.timedelta(days=200))
    other_clerk = make_user(agency=other_commune, roles=("clerk",))
    elsewhere = make_dossier(clerk=other_clerk, received_at=now - dt.timedelta(days=1))
    policy = Policy.current()
    policy.sample_size = 3
    policy.save()
    inspection = services.start_inspection(
        agency=commune,
        lead=inspector,
        inspected_on=timezone.localdate(),
        officers=ward_staff,
        rng=random.Random(1),
    )
    drawn = {s.dossier_id for s in inspection.samples.all()}
    assert len(drawn) == 3
    assert drawn <= {d.pk for d in mine}
    assert old.pk not in drawn and elsewhere.pk not in drawn


def test_a_unit_with_fewer_dossiers_gets_them_all_and_none_is_fine(
    commune, clerk, inspector, ward_staff, checklist
):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    assert inspection.samples.count() == 0
    assert services.targets_of(inspection)["dossier"] == []
    make_dossier(clerk=clerk)
    second = open_inspection(
        agency=commune, lead=inspector, officers=ward_staff, now=timezone.now()
    )
    assert second.samples.count() == 1


def test_officers_must_work_at_the_inspected_unit(
    commune, inspector, outsider, ward_staff, checklist
):
    with pytest.raises(ConductError, match="không phải cán bộ"):
        open_inspection(agency=commune, lead=inspector, officers=[*ward_staff, outsider])
    assert not Inspection.objects.exists()


def test_future_date_is_refused(commune, inspector, ward_staff, checklist):
    with pytest.raises(ConductError, match="sau ngày hôm nay"):
        open_inspection(
            agency=commune,
            lead=inspector,
            officers=ward_staff,
            day=timezone.localdate() + dt.timedelta(days=1),
            now=timezone.now(),
        )


def test_a_late_resent_tick_never_overwrites_a_newer_one(commune, inspector, ward_staff, checklist):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    item = inspection.version.items.get(code="KL6")
    target = f"o{ward_staff[0].pk}"
    services.record_tick(
        inspection=inspection,
        item_id=item.pk,
        target=target,
        outcome=Outcome.NOT_MET,
        note="Không đeo thẻ",
        stamp=2_000,
        by=inspector,
    )
    # The first tick (made earlier, resent after the connection came back) arrives last.
    services.record_tick(
        inspection=inspection,
        item_id=item.pk,
        target=target,
        outcome=Outcome.MET,
        note="",
        stamp=1_000,
        by=inspector,
    )
    result = ItemResult.objects.get(inspection=inspection, item=item, target=target)
    assert (result.outcome, result.note, result.stamp) == (Outcome.NOT_MET, "Không đeo thẻ", 2_000)
    services.record_tick(
        inspection=inspection,
        item_id=item.pk,
        target=target,
        outcome="",
        note="",
        stamp=3_000,
        by=inspector,
    )
    result.refresh_from_db()
    assert result.outcome == ""  # cleared by the newest
    assert ItemResult.objects.filter(inspection=inspection).count() == 1


@pytest.mark.parametrize(
    ("code", "target", "message"),
    [
        ("KL6", "p", "Đối tượng đánh giá không hợp lệ"),
        ("CS1", "o{officer}", "Đối tượng đánh giá không hợp lệ"),
        ("KL6", "o999999", "Đối tượng đánh giá không hợp lệ"),
        ("QT1", "d1", "Đối tượng đánh giá không hợp lệ"),
    ],
)
def test_ticks_for_a_wrong_target_are_refused(
    commune, inspector, ward_staff, checklist, code, target, message
):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    item = inspection.version.items.get(code=code)
    with pytest.raises(ConductError, match=message):
        services.record_tick(
            inspection=inspection,
            item_id=item.pk,
            target=target.format(officer=ward_staff[0].pk),
            outcome="met",
            note="",
            by=inspector,
        )
    assert not ItemResult.objects.exists()


def test_removing_an_officer_removes_their_ticks(commune, inspector, ward_staff, checklist):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    services.fill_remaining(inspection=inspection, target=f"o{ward_staff[2].pk}", by=inspector)
    assert inspection.results.filter(officer=ward_staff[2]).count() == 14
    services.set_officers(inspection=inspection, officers=ward_staff[:2])
    assert not inspection.results.filter(officer=ward_staff[2]).exists()
    assert list(inspection.present.values_list("officer_id", flat=True)) == [
        ward_staff[0].pk,
        ward_staff[1].pk,
    ]


def test_fill_remaining_keeps_what_was_ticked(commune, inspector, ward_staff, checklist):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    target = f"o{ward_staff[0].pk}"
    kl6 = inspection.version.items.get(code="KL6")
    services.record_tick(
        inspection=inspection,
        item_id=kl6.pk,
        target=target,
        outcome=Outcome.NOT_MET,
        note="Không đeo thẻ",
        by=inspector,
    )
    assert services.fill_remaining(inspection=inspection, target=target, by=inspector) == 13
    assert inspection.results.get(item=kl6, target=target).outcome == Outcome.NOT_MET
    assert inspection.results.filter(target=target, outcome=Outcome.MET).count() == 13
    assert services.fill_remaining(inspection=inspection, target=target, by=inspector) == 0


def test_completion_needs_every_item_assessed_and_then_freezes(
    commune, inspector, ward_staff, checklist
):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff)
    with pytest.raises(ConductError, match="Còn 50 tiêu chí chưa đánh giá"):
        services.complete_inspection(inspection=inspection, by=inspector)
    tick_all(inspection, inspector)
    services.complete_inspection(inspection=inspection, by=inspector, conclusion="Tốt")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.COMPLETED
    assert inspection.number == 1 and inspection.record_number == "01/BB-KTCV"
    with pytest.raises(ConductError, match="đã kết thúc"):
        services.record_tick(
            inspection=inspection,
            item_id=inspection.version.items.first().pk,
            target=f"o{ward_staff[0].pk}",
            outcome="not_met",
            note="",
            by=inspector,
        )
    with pytest.raises(ConductError, match="đã kết thúc"):
        services.complete_inspection(inspection=inspection, by=inspector)
    assert ScoreTally.objects.filter(inspection=inspection).count() == 4  # 3 officers + premises


def test_record_numbers_count_per_inspecting_agency_and_year(
    commune, inspector, ward_staff, checklist
):
    numbers = []
    for day in (dt.date(2025, 12, 30), dt.date(2026, 1, 5), dt.date(2026, 1, 6)):
        inspection = open_inspection(
            agency=commune, lead=inspector, officers=ward_staff[:1], day=day, now=at(day)
        )
        tick_all(inspection, inspector)
        services.complete_inspection(inspection=inspection, by=inspector, now=at(day, 11))
        inspection.refresh_from_db()
        numbers.append(inspection.number)
    assert numbers == [1, 1, 2]
