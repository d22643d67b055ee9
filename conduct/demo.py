"""Demo data of conduct inspections: the checklist (version 1), this year's plan of
the province, and a year of inspections of the desks' staff through the real
services, with violations (one officer violates twice, so the repeat is escalated),
commendations and follow-ups (the older ones closed), plus one inspection still
being recorded today for the inspector ``kiemtra`` to finish.

Called by ``manage.py seed_demo`` after the desk's demo (its staff). Creates what
is missing: if any inspection exists, the inspections are skipped.
"""

import datetime as dt
import random
from typing import TextIO

from django.db.models import Q
from django.utils import timezone

from desk.deadlines import WorkCalendar
from procedures.models import Agency, User

from . import services
from .checklist import seed_checklist
from .models import FollowUp, Inspection, InspectionKind, InspectionPlan, Outcome, Scope
from .scores import plan_coverage

INSPECTED = [
    "000.00.21.H56",
    "000.00.22.H56",
    "000.00.29.H56",
    "000.00.01.H56",
    "000.17.00.H56",
    "000.18.00.H56",
]
NOTES = {
    "KL1": "Đến quầy lúc 07 giờ 25",
    "KL6": "Không đeo thẻ công chức",
    "KL3": "Xem mạng xã hội khi có người chờ",
    "GT2": "Hướng dẫn chưa đủ, người dân phải quay lại",
    "CS6": "Bảng niêm yết phí, lệ phí chưa cập nhật",
    "CS7": "Thiết bị đánh giá không hoạt động",
    "TP1": "Không mặc đồng phục theo quy định",
}
# The officer whose two violations show the repeat escalation.
REPEAT_OFFENDER = "xuly2"


def _working_days(count: int, today: dt.date) -> list[dt.date]:
    """``count`` working days spread over the past year, oldest first."""
    calendar = WorkCalendar.from_database()
    days, step = [], 365 // (count + 1)
    for i in range(count, 0, -1):
        day = today - dt.timedelta(days=i * step)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        days.append(day)
    return days


def load(stdout: TextIO) -> None:
    seed_checklist()
    inspector = User.objects.filter(username="kiemtra").first()
    if inspector is None or inspector.agency is None:
        stdout.write("Conduct: no inspector account, skipped.")
        return
    province = inspector.agency
    today = timezone.localdate()
    if not InspectionPlan.objects.filter(agency=province, year=today.year).exists():
        plan = services.create_plan(agency=province, year=today.year, by=inspector)
        units = Agency.objects.filter(pk__in=services.units_of(province)).order_by("identifier")
        wanted = INSPECTED + [a.identifier for a in units if a.identifier not in INSPECTED]
        by_identifier = {a.identifier: a for a in units}
        needed = plan_coverage(plan).required
        for i, identifier in enumerate(wanted[:needed]):
            services.add_planned(
                plan=plan,
                agency=by_identifier[identifier],
                planned_on=dt.date(today.year, 1 + (i * 11) // max(needed, 1), 15),
                kind=InspectionKind.ANNOUNCED if i % 3 else InspectionKind.UNANNOUNCED,
            )
    if Inspection.objects.exists():
        stdout.write(f"Conduct: {Inspection.objects.count()} inspections already there.")
        return

    rng = random.Random(2026)
    agencies = {a.identifier: a for a in Agency.objects.filter(identifier__in=INSPECTED)}
    staff = {
        identifier: list(
            User.objects.filter(agency=agency, is_active=True)
            .filter(Q(is_clerk=True) | Q(is_officer=True))
            .order_by("username")
        )
        for identifier, agency in agencies.items()
    }
    days = _working_days(12, today)
    for n, day in enumerate(days):
        identifier = INSPECTED[n % len(INSPECTED)]
        agency = agencies.get(identifier)
        if agency is None or not staff.get(identifier):
            continue
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
        inspection = services.start_inspection(
            agency=agency,
            lead=inspector,
            inspected_on=day,
            kind=InspectionKind.UNANNOUNCED if n % 2 else InspectionKind.ANNOUNCED,
            officers=staff[identifier],
            now=start,
            rng=rng,
        )
        _tick(inspection, inspector, rng, repeat=n in (0, 6), recent=n == len(days) - 1, now=start)
        if n % 4 == 1 and staff[identifier]:
            services.add_commendation(
                inspection=inspection,
                officer=staff[identifier][0],
                description="Hướng dẫn tận tình, được người dân khen ngợi",
            )
        services.complete_inspection(
            inspection=inspection,
            by=inspector,
            conclusion="Đơn vị chấp hành tốt quy định về văn hóa công sở; khắc phục ngay các "
            "tồn tại đã nêu.",
            now=start + dt.timedelta(hours=2),
        )
        if day < today - dt.timedelta(days=40):
            for follow_up in FollowUp.objects.filter(finding__inspection=inspection):
                services.close_follow_up(
                    follow_up=follow_up,
                    by=follow_up.owner,
                    resolution="Đã nhắc nhở, cán bộ cam kết không tái phạm",
                    now=follow_up.due_at - dt.timedelta(hours=4),
                )
    # One inspection being recorded now, for the demo inspector to finish.
    ward = agencies.get("000.00.21.H56")
    if ward is not None and staff.get("000.00.21.H56"):
        services.start_inspection(
            agency=ward,
            lead=inspector,
            inspected_on=today,
            officers=staff["000.00.21.H56"][:3],
            rng=rng,
        )
    stdout.write(f"Conduct: {Inspection.objects.count()} inspections.")


def _tick(
    inspection: Inspection,
    inspector: User,
    rng: random.Random,
    *,
    repeat: bool,
    recent: bool,
    now: dt.datetime,
) -> None:
    items = list(inspection.version.items.all())
    targets = services.targets_of(inspection)
    repeat_target = next(
        (
            f"o{o.officer_id}"
            for o in inspection.present.select_related("officer")
            if o.officer.username == REPEAT_OFFENDER
        ),
        None,
    )
    for item in items:
        for target in targets[item.scope]:
            roll = rng.random()
            outcome = Outcome.MET
            forced = (repeat and target == repeat_target and item.code == "KL6") or (
                recent and target == services.PREMISES_TARGET and item.code == "CS7"
            )
            if forced or roll < 0.03:
                outcome = Outcome.NOT_MET
            elif roll < 0.05 or (item.scope == Scope.DOSSIER and item.code == "QT3"):
                outcome = Outcome.NOT_APPLICABLE
            note = NOTES.get(item.code, "Chưa đạt yêu cầu") if outcome == Outcome.NOT_MET else ""
            services.record_tick(
                inspection=inspection,
                item_id=item.pk,
                target=target,
                outcome=outcome,
                note=note,
                by=inspector,
                now=now,
            )
