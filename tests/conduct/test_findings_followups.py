"""What completion does with violations: a finding per "not met", a follow-up
with an owner and a deadline on the working-day calendar, repeats within the
policy's window escalated (written record + report to the head, who is told),
commendations kept, and overdue follow-ups reminded exactly once."""

import datetime as dt

import pytest

from conduct import services
from conduct.alert_kinds import AlertKind
from conduct.models import Finding, FindingKind, FollowUp, FollowUpAction, Policy
from conduct.services import ConductError
from desk.models import CalendarDay, Notification
from tests.factories import make_user

from .conftest import at, open_inspection, tick_all

pytestmark = pytest.mark.django_db

# Friday 24/04/2026; 30/04 and 01/05 are days off.
FRIDAY = dt.date(2026, 4, 24)


@pytest.fixture
def may_holidays(db):
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=dt.date(2026, 4, 30), kind="day_off", name="Ngày Chiến thắng"),
            CalendarDay(date=dt.date(2026, 5, 1), kind="day_off", name="Quốc tế Lao động"),
        ]
    )


def inspect(agency, lead, officers, day, *, not_met=(), now=None):
    inspection = open_inspection(
        agency=agency, lead=lead, officers=officers, day=day, now=at(day, 8)
    )
    tick_all(inspection, lead, not_met=not_met)
    services.complete_inspection(inspection=inspection, by=lead, now=now or at(day, 10))
    return inspection


def test_follow_up_deadline_is_counted_in_working_days(
    may_holidays, commune, inspector, unit_head, ward_staff, checklist
):
    officer = ward_staff[0]
    inspection = inspect(
        commune, inspector, ward_staff, FRIDAY, not_met=[("KL6", f"o{officer.pk}")]
    )
    follow_up = FollowUp.objects.get(finding__inspection=inspection)
    # 5 working days from Fri 10:00: Mon 27, Tue 28, Wed 29, (30/4, 1/5, weekend off), Mon 4, Tue 5 at 10:00.
    assert follow_up.due_at == at(dt.date(2026, 5, 5), 10)
    assert follow_up.action == FollowUpAction.REMINDER
    assert follow_up.owner == unit_head
    finding = follow_up.finding
    assert finding.officer == officer and finding.kind == FindingKind.VIOLATION
    assert (
        finding.description.startswith("KL6. Đeo thẻ công chức")
        and "Ghi chú thử" in finding.description
    )
    assert not finding.is_repeat


def test_policy_sets_the_number_of_working_days(
    may_holidays, commune, inspector, unit_head, ward_staff, checklist
):
    policy = Policy.current()
    policy.follow_up_working_days = 2
    policy.save()
    inspection = inspect(commune, inspector, ward_staff, FRIDAY, not_met=[("CS2", "p")])
    follow_up = FollowUp.objects.get(finding__inspection=inspection)
    assert follow_up.due_at == at(dt.date(2026, 4, 28), 10)
    assert follow_up.finding.officer is None  # premises: the unit's


def test_without_a_unit_head_the_lead_inspector_owns_the_follow_up(
    commune, inspector, ward_staff, checklist
):
    inspection = inspect(commune, inspector, ward_staff, FRIDAY, not_met=[("CS2", "p")])
    assert FollowUp.objects.get(finding__inspection=inspection).owner == inspector


def test_second_violation_within_the_window_is_a_repeat_and_escalated(
    commune, inspector, unit_head, ward_staff, checklist
):
    officer, other = ward_staff[0], ward_staff[1]
    inspect(
        commune, inspector, ward_staff, dt.date(2026, 1, 6), not_met=[("KL6", f"o{officer.pk}")]
    )
    second = inspect(
        commune,
        inspector,
        ward_staff,
        dt.date(2026, 4, 6),
        not_met=[("KL1", f"o{officer.pk}"), ("KL1", f"o{other.pk}")],
    )
    repeat = Finding.objects.get(inspection=second, officer=officer)
    first_time = Finding.objects.get(inspection=second, officer=other)
    assert repeat.is_repeat and not first_time.is_repeat
    assert set(repeat.follow_ups.values_list("action", "owner")) == {
        (FollowUpAction.WRITTEN_RECORD, inspector.pk),
        (FollowUpAction.REPORT_TO_HEAD, unit_head.pk),
    }
    assert list(first_time.follow_ups.values_list("action", flat=True)) == [FollowUpAction.REMINDER]
    told = Notification.objects.filter(recipient=unit_head, kind=AlertKind.CONDUCT_FOLLOW_UP)
    assert any("tái phạm" in n.title and str(officer) in n.title for n in told)


def test_a_violation_outside_the_window_is_not_a_repeat(
    commune, inspector, unit_head, ward_staff, checklist
):
    policy = Policy.current()
    policy.repeat_window_days = 30
    policy.save()
    officer = ward_staff[0]
    inspect(
        commune, inspector, ward_staff, dt.date(2026, 1, 6), not_met=[("KL6", f"o{officer.pk}")]
    )
    second = inspect(
        commune, inspector, ward_staff, dt.date(2026, 3, 6), not_met=[("KL6", f"o{officer.pk}")]
    )
    assert not Finding.objects.get(inspection=second, officer=officer).is_repeat
    third = inspect(
        commune, inspector, ward_staff, dt.date(2026, 3, 20), not_met=[("GT1", f"o{officer.pk}")]
    )
    assert Finding.objects.get(inspection=third, officer=officer).is_repeat


def test_owner_is_notified_once_per_inspection(
    commune, inspector, unit_head, ward_staff, checklist
):
    inspection = inspect(
        commune,
        inspector,
        ward_staff,
        FRIDAY,
        not_met=[("KL6", f"o{ward_staff[0].pk}"), ("CS2", "p")],
    )
    notes = Notification.objects.filter(recipient=unit_head, kind=AlertKind.CONDUCT_FOLLOW_UP)
    assert notes.count() == 1
    assert "2 việc cần khắc phục" in notes.get().title
    assert inspection.agency.name in notes.get().title


def test_commendations_are_recorded_for_officers_present(
    commune, inspector, ward_staff, outsider, checklist
):
    inspection = open_inspection(agency=commune, lead=inspector, officers=ward_staff[:2])
    services.add_commendation(inspection=inspection, officer=ward_staff[0], description="Tận tình")
    with pytest.raises(ConductError, match="có mặt"):
        services.add_commendation(inspection=inspection, officer=ward_staff[2], description="X")
    with pytest.raises(ConductError, match="nội dung"):
        services.add_commendation(inspection=inspection, officer=None, description="   ")
    assert list(Finding.objects.values_list("kind", "officer")) == [
        (FindingKind.COMMENDATION, ward_staff[0].pk)
    ]


def test_overdue_follow_ups_are_reminded_exactly_once(
    commune, inspector, unit_head, ward_staff, checklist
):
    inspection = inspect(
        commune, inspector, ward_staff, FRIDAY, not_met=[("CS2", "p"), ("CS3", "p")]
    )
    first, second = FollowUp.objects.filter(finding__inspection=inspection).order_by("pk")
    services.close_follow_up(follow_up=second, by=unit_head, resolution="Đã làm biển")
    before = Notification.objects.count()
    assert services.remind_overdue_follow_ups(now=first.due_at - dt.timedelta(minutes=1)) == 0
    assert services.remind_overdue_follow_ups(now=first.due_at + dt.timedelta(minutes=1)) == 1
    assert services.remind_overdue_follow_ups(now=first.due_at + dt.timedelta(hours=3)) == 0
    new = Notification.objects.order_by("pk")[before:]
    assert {n.recipient for n in new} == {unit_head, inspector}
    assert all("Quá hạn khắc phục" in n.title for n in new)


def test_closing_needs_a_resolution_and_happens_once(
    commune, inspector, unit_head, ward_staff, checklist
):
    inspection = inspect(commune, inspector, ward_staff, FRIDAY, not_met=[("CS2", "p")])
    follow_up = FollowUp.objects.get(finding__inspection=inspection)
    with pytest.raises(ConductError, match="kết quả khắc phục"):
        services.close_follow_up(follow_up=follow_up, by=unit_head, resolution=" ")
    services.close_follow_up(follow_up=follow_up, by=unit_head, resolution="Đã treo biển mới")
    with pytest.raises(ConductError, match="đã được ghi nhận"):
        services.close_follow_up(follow_up=follow_up, by=unit_head, resolution="Lần hai")
    follow_up.refresh_from_db()
    assert follow_up.resolution == "Đã treo biển mới" and follow_up.done_by == unit_head


def test_the_task_runs_the_reminder(commune, inspector, unit_head, ward_staff, checklist):
    from conduct.tasks import remind_overdue_follow_ups

    inspect(commune, inspector, ward_staff, dt.date(2026, 1, 6), not_met=[("CS2", "p")])
    # Long overdue by today: the task (no clock argument) reports it, then nothing more.
    assert remind_overdue_follow_ups() == 1
    assert remind_overdue_follow_ups() == 0


def test_unit_head_of_another_unit_is_not_the_owner(
    commune, other_commune, inspector, ward_staff, checklist
):
    make_user(agency=other_commune, roles=("unit_head",))
    inspection = inspect(commune, inspector, ward_staff, FRIDAY, not_met=[("CS2", "p")])
    assert FollowUp.objects.get(finding__inspection=inspection).owner == inspector
