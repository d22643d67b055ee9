"""A province's worth of dossiers for benchmarks: about a million over two years.

    createdb -h 127.0.0.1 -U postgres motcua_bench_million
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_million \\
        .venv/bin/python bench/generate_province.py --dossiers 1000000 --years 2 --reset

What it builds (on top of ``manage.py migrate``, which it runs first):

* the demo province (``procedures.demo.load``: 32 agencies, the demo accounts, the
  example catalog), ``--procedures`` more catalog entries from bench/catalog_data.py
  (through the real ``save_procedure``, so a second run writes nothing) and extra
  staff: clerks, processing officers and unit heads, about ``--staff`` in all;
* ``--dossiers`` dossiers received over the last ``--years`` years, on working days
  in working hours, spread over the centre (province-level procedures, handed to
  a department) and the twenty communes (commune-level procedures), busy wards
  first; popular procedures first; ~30% online. Their stories follow the law and
  the clock: most returned (early, on time, a few late), some processing, some
  overdue, some paused for a supplement, some extended with an apology letter,
  some withdrawn and stopped, some online registrations refused or waiting;
* their timelines (receive, hand-over, complete, return, and the supplement,
  apology, payment, withdrawal events): about four events per dossier;
  the documents received, the supplement requests and the apology letters;
* the code and tracking-book counters, so a real intake afterwards continues the
  numbering.

Due dates come from the real deadline engine (desk/deadlines.py). Calling it
for every dossier would take minutes, so results are cached per (agency hours,
working period of the receipt, i.e. its date and half-day, term): within one
working period a later receipt minute gives a due date later by the same
minutes (working time is linear inside a period), and the cache applies that
shift only when both the receipt and the due moment stay inside one working
period; anything else goes to the engine.
``--verify`` re-computes a random sample with the engine and stops on any
difference. Dossiers paused for a supplement are computed by the engine with
their pause.

Rows go in with PostgreSQL COPY (psycopg 3 ``cursor.copy``) in batches, with the
secondary indexes dropped during the load and rebuilt after, and foreign-key
triggers off for the session (the generator writes consistent ids); then VACUUM
ANALYZE. ``--reset`` empties the desk tables first; without it the script
refuses to add to existing dossiers (codes would collide).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import queue
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as desk.models.new_lookup_key

SURNAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 4),
    ("Hoàng", 2),
    ("Phan", 4.5),
    ("Võ", 3.9),
    ("Vũ", 1),
    ("Đặng", 2.1),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Trương", 1),
    ("Đinh", 0.6),
    ("Lâm", 0.5),
    ("Mai", 0.4),
]
MIDDLE_MALE = ["Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Công", "Ngọc", "Xuân", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Hồng", "Phương", "Diệu"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
    "Khang", "Khoa", "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phúc", "Phong",
    "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn",
    "Việt", "Vinh", "Vũ",
]  # fmt: skip
GIVEN_FEMALE = [
    "An", "Anh", "Châu", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh",
    "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến",
]  # fmt: skip
STREETS = [
    "Trần Phú", "Lê Lợi", "Thống Nhất", "Yersin", "Hùng Vương", "Nguyễn Thiện Thuật",
    "Lê Thánh Tôn", "Quang Trung", "Hai Bà Trưng", "2 Tháng 4", "Ngô Gia Tự", "Phạm Văn Đồng",
]  # fmt: skip
# A supplement request names one of the procedure's own documents, with a reason
# that fits any document (as the demo does, desk/demo.py).
SUPPLEMENT_REASONS = [
    "Bản đã nộp bị mờ, không đọc được",
    "Thông tin không khớp với giấy tờ tùy thân của người nộp",
    "Còn thiếu trang so với bản chính",
]
APOLOGY_REASONS = [
    "Cần xác minh thêm thông tin với cơ quan liên quan",
    "Hệ thống cơ sở dữ liệu chuyên ngành gián đoạn",
    "Phải lấy ý kiến của cơ quan phối hợp",
]


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------- due dates


class DueCache:
    """The engine's due dates, cached per (hours, working period, term).

    For each working period (a morning or an afternoon of one working day) the
    engine computes the due date of a receipt one minute after the period opens.
    A receipt later in the same period gets that due date shifted by the same
    number of minutes, provided the shifted moment stays inside the working period
    the unshifted one lies in (working time is linear inside a period; crossing
    lunch, closing or a day off is left to the engine). Calendar-day terms end at
    the closing time of a date that depends only on the start date. Anything else
    (a receipt outside working time, at the very opening minute, or a shift that
    would cross a boundary) is computed by the engine and cached by the minute.
    """

    def __init__(self, calendar, clock: Clock) -> None:
        self.calendar = calendar
        self.clock = clock
        self.period_cache: dict = {}
        self.exact_cache: dict = {}
        self.engine_calls = 0
        self.shifted = 0

    def engine(self, received: dt.datetime, value, unit: str, hours) -> dt.datetime:
        from desk.deadlines import compute_due

        self.engine_calls += 1
        return compute_due(received, value, unit, hours=hours, calendar=self.calendar).due_at

    def _period(self, moment: dt.datetime, hours) -> tuple[dt.datetime, dt.datetime] | None:
        if not self.clock.is_working_day(moment.date()):
            return None
        for start, end in self.clock.periods(hours, moment.date()):
            if start <= moment <= end:
                return start, end
        return None

    def due(self, received: dt.datetime, value, unit: str, hours) -> dt.datetime:
        """``received`` is local time truncated to the minute."""
        from procedures.models import TimeUnit

        period = self._period(received, hours)
        if period is not None and received < period[1]:
            anchor = period[0] + dt.timedelta(minutes=1)
            delta = received - anchor
            if delta >= dt.timedelta(0):
                key = (hours, anchor, value, unit)
                base = self.period_cache.get(key)
                if base is None:
                    base = self.period_cache[key] = self.engine(anchor, value, unit, hours)
                if unit == TimeUnit.CALENDAR_DAYS:
                    self.shifted += 1
                    return base
                due_period = self._period(base, hours)
                if (
                    due_period is not None
                    and due_period[0] < base
                    and base + delta <= due_period[1]
                ):
                    self.shifted += 1
                    return base + delta
        exact_key = (hours, received, value, unit)
        due = self.exact_cache.get(exact_key)
        if due is None:
            due = self.exact_cache[exact_key] = self.engine(received, value, unit, hours)
        return due


class Clock:
    """Memoised calendar look-ups (the generator asks the same dates millions of times)
    and the desk's two small rules, with the same results as desk/services/."""

    def __init__(self, calendar) -> None:
        self.calendar = calendar
        self._working: dict[dt.date, bool] = {}
        self._next: dict[dt.date, dt.date] = {}
        self._periods: dict = {}
        self._step_due: dict = {}

    def is_working_day(self, day: dt.date) -> bool:
        working = self._working.get(day)
        if working is None:
            working = self._working[day] = self.calendar.is_working_day(day)
        return working

    def next_working_day(self, day: dt.date) -> dt.date:
        following = self._next.get(day)
        if following is None:
            following = self._next[day] = self.calendar.next_working_day(day)
        return following

    def periods(self, hours, day: dt.date):
        key = (hours, day)
        periods = self._periods.get(key)
        if periods is None:
            periods = self._periods[key] = hours.periods(day)
        return periods

    def desk_step_due(self, agency, received: dt.datetime) -> dt.datetime:
        """desk.services.desk_step_due, which depends only on the date and on
        whether the receipt was before 15:00."""
        from desk.services import HAND_OVER_CUTOFF, desk_step_due

        key = (agency.pk, received.date(), received.time() >= HAND_OVER_CUTOFF)
        due = self._step_due.get(key)
        if due is None:
            due = self._step_due[key] = desk_step_due(agency, received, self.calendar)
        return due


def judge(finished_at: dt.datetime, due_at: dt.datetime) -> str:
    """desk.services.judge for datetimes already in local time (no timezone look-up)."""
    if finished_at > due_at:
        return "late"
    if finished_at.date() < due_at.date():
        return "early"
    return "on_time"


# ---------------------------------------------------------------- reference data


@dataclass
class Proc:
    pk: int
    name: str
    field_id: int
    level: str
    restart: bool
    variants: list[tuple[int, Decimal, str]]  # (pk, value, unit); default first
    documents: list[tuple[str, int, int, int]]
    fee: Decimal
    department_id: int | None
    online: bool


@dataclass
class Desk:
    agency: object
    pk: int
    identifier: str
    name: str
    hours: object
    clerks: list[int] = field(default_factory=list)
    officers: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    head_names: list[str] = field(default_factory=list)


def random_person_name(rng: random.Random) -> tuple[str, bool]:
    male = rng.random() < 0.5
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    if rng.random() < 0.15:  # two middle names, common in the south
        middle += " " + rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    return f"{surname} {middle} {given}", male


def ensure_staff(total: int, rng: random.Random) -> None:
    """Clerks, officers and unit heads per agency (username ``bench.…``), once."""
    from django.contrib.auth.hashers import make_password

    from procedures.models import Agency, AgencyLevel, User

    if User.objects.filter(username__startswith="bench.").exists():
        say(f"staff: {User.objects.count()} accounts already there")
        return
    agencies = list(Agency.objects.exclude(parent=None))
    communes = [a for a in agencies if a.level == AgencyLevel.COMMUNE]
    departments = [a for a in agencies if a.level == AgencyLevel.PROVINCE and "Sở" in a.name]
    centre = [a for a in agencies if a.level == AgencyLevel.PROVINCE and a not in departments]
    # Shares of the total: communes 60%, departments 38%, the centre's desk 2%.
    plan: list[tuple[object, str, int]] = []
    per_commune = max(3, int(total * 0.60 / max(1, len(communes))))
    per_department = max(3, int(total * 0.38 / max(1, len(departments))))
    for agency in communes:
        plan += [
            (agency, "clerk", 6),
            (agency, "unit_head", 3),
            (agency, "officer", per_commune - 9),
        ]
    for agency in departments:
        plan += [(agency, "unit_head", 5), (agency, "officer", per_department - 5)]
    for agency in centre:
        plan += [(agency, "clerk", max(6, int(total * 0.02)))]
    password = make_password("motcua-bench")  # one hash: nobody signs in with these
    users = []
    titles = {"clerk": "Cán bộ tiếp nhận", "officer": "Chuyên viên", "unit_head": "Trưởng phòng"}
    for agency, role, count in plan:
        for i in range(count):
            name, _male = random_person_name(rng)
            last, first = name.rsplit(" ", 1)
            user = User(
                username=f"bench.{agency.identifier}.{role}{i + 1}",
                first_name=first,
                last_name=last,
                title=titles[role],
                agency=agency,
                password=password,
                email="",
            )
            setattr(user, f"is_{role}", True)
            users.append(user)
    User.objects.bulk_create(users, batch_size=1000)
    say(f"staff: {len(users)} accounts created, {User.objects.count()} in all")


def load_reference(now: dt.datetime):
    from desk.deadlines import WorkingHours
    from procedures import demo
    from procedures.models import Agency, AgencyLevel, Procedure, ProcedureStatus, User

    desks: dict[int, Desk] = {}
    for agency in Agency.objects.all():
        desks[agency.pk] = Desk(
            agency=agency,
            pk=agency.pk,
            identifier=agency.identifier,
            name=agency.name,
            hours=WorkingHours.for_agency(agency),
        )
    for user in User.objects.filter(is_active=True).exclude(agency=None).order_by("pk"):
        desk = desks[user.agency_id]
        if user.is_clerk:
            desk.clerks.append(user.pk)
        if user.is_officer:
            desk.officers.append(user.pk)
        if user.is_unit_head:
            desk.heads.append(user.pk)
            desk.head_names.append(user.get_full_name())
    procs: list[Proc] = []
    queryset = (
        Procedure.objects.exclude(status=ProcedureStatus.ABOLISHED)
        .prefetch_related("variants", "documents", "fees", "agencies")
        .order_by("pk")
    )
    for p in queryset:
        variants = sorted(p.variants.all(), key=lambda v: (not v.is_default, v.pk))
        if not variants:
            continue
        departments = [
            a.pk
            for a in p.agencies.all()
            if a.level == AgencyLevel.PROVINCE and a.parent_id and a.identifier != demo.CENTRE[0]
        ]
        procs.append(
            Proc(
                pk=p.pk,
                name=p.name,
                field_id=p.field_id,
                level=p.level,
                restart=p.restart_term_after_supplement,
                variants=[(v.pk, v.time_value, v.time_unit) for v in variants],
                documents=[
                    (d.name, d.originals, d.certified_copies, d.copies) for d in p.documents.all()
                ][:4],
                fee=next((f.amount for f in p.fees.all()), Decimal(0)),
                department_id=departments[0] if departments else None,
                online=p.online_level != "none",
            )
        )
    return desks, procs


# ---------------------------------------------------------------- the generator


class Generator:
    def __init__(self, args, now: dt.datetime) -> None:
        from desk.services import calendar_for
        from procedures.models import AgencyLevel

        self.args = args
        self.rng = random.Random(args.seed)
        self.now = now
        self.tz = now.tzinfo
        self.start = now - dt.timedelta(days=round(365.25 * args.years))
        self.calendar = calendar_for(self.start, now + dt.timedelta(days=400))
        self.clock = Clock(self.calendar)
        self.due_cache = DueCache(self.calendar, self.clock)
        self.desks, procs = load_reference(now)
        province = [d for d in self.desks.values() if d.agency.parent_id is None]
        self.province = province[0]
        communes = sorted(
            (d for d in self.desks.values() if d.agency.level == AgencyLevel.COMMUNE),
            key=lambda d: d.identifier,
        )
        centre = [
            d
            for d in self.desks.values()
            if d.agency.level == AgencyLevel.PROVINCE and d.agency.parent_id and d.clerks
        ]
        if not communes or not centre:
            raise SystemExit("the demo agencies are missing: procedures.demo.load did not run")
        self.centre = centre[0]
        self.departments = [
            d
            for d in self.desks.values()
            if d.agency.level == AgencyLevel.PROVINCE and d.agency.parent_id and not d.clerks
        ]
        # Receiving desks: the centre a quarter, the communes the rest, busy wards first.
        commune_weights = [max(1.0, 12 / (1 + 0.35 * i)) for i in range(len(communes))]
        scale = 0.75 / sum(commune_weights)
        self.receiving = [self.centre, *communes]
        weights = [0.25] + [w * scale for w in commune_weights]
        self.receiving_cum = list(_cumulative(weights))
        # Popular procedures first (a Zipf-like law over the catalog order).
        self.procs_by_level = {}
        for level in ("commune", "province"):
            chosen = [p for p in procs if p.level == level] or procs
            chosen.sort(key=lambda p: p.pk)  # the demo catalog, loaded first, is the popular core
            self.procs_by_level[level] = (
                chosen,
                list(_cumulative([1 / (i + 1) ** 0.9 for i in range(len(chosen))])),
            )
        self.people = self._people(max(1000, args.dossiers // 3))
        self.code_numbers: dict[tuple[int, str], int] = {}
        self.book_numbers: dict[tuple[int, int, int], int] = {}
        self.fold_cache: dict[str, str] = {}
        self.day_labels: dict[dt.date, str] = {}
        self.next_id = {"dossier": 1, "event": 1, "document": 1, "supplement": 1, "apology": 1}
        self.stats: dict[str, int] = {}

    # ------------------------------------------------------------ people and time

    def _people(self, n: int) -> list[tuple]:
        """Applicants; some file many dossiers over two years."""
        rng = self.rng
        people = []
        communes = [d.name.removeprefix("Ủy ban nhân dân ") for d in self.receiving[1:]]
        for _ in range(n):
            name, male = random_person_name(rng)
            year = rng.randint(1940, 2007)
            century = (0 if male else 1) + (2 if year >= 2000 else 0)
            id_number = f"056{century}{year % 100:02d}{rng.randrange(10**6):06d}"
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            address = (
                f"Số {rng.randint(1, 300)} {rng.choice(STREETS)}, {rng.choice(communes)}, "
                "tỉnh Khánh Hòa"
            )
            phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.9 else ""
            people.append((name, id_number, birth, address, phone))
        return people

    def working_days(self) -> list[dt.date]:
        day, last, days = self.start.date(), self.now.date(), []
        while day <= last:
            if self.calendar.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def at(self, day: dt.date, minutes: float) -> dt.datetime:
        """Local moment ``minutes`` after midnight of ``day``."""
        return dt.datetime.combine(day, dt.time(0), self.tz) + dt.timedelta(minutes=minutes)

    def desk_moment(self, day: dt.date, hours) -> dt.datetime:
        """A receipt moment in working hours (mornings are busier), minute precision."""
        rng = self.rng
        if rng.random() < 0.6:
            start, end = hours.morning_start, hours.morning_end
        else:
            start, end = hours.afternoon_start, hours.afternoon_end
        lo = start.hour * 60 + start.minute
        hi = end.hour * 60 + end.minute
        return self.at(day, rng.randrange(lo, hi)).replace(second=0)

    def snap(self, moment: dt.datetime, hours) -> dt.datetime:
        """``moment`` if it is working time; otherwise a little after the next opening."""
        moment = moment.astimezone(self.tz)
        day = moment.date()
        if self.clock.is_working_day(day):
            for start, end in self.clock.periods(hours, day):
                if start <= moment < end:
                    return moment
                if moment < start:
                    return min(start + dt.timedelta(minutes=self.rng.randint(5, 90)), end)
        day = self.clock.next_working_day(day)
        start, end = self.clock.periods(hours, day)[0]
        return min(start + dt.timedelta(minutes=self.rng.randint(5, 90)), end)

    def plus_working_days(self, moment: dt.datetime, n: int, hours) -> dt.datetime:
        day = moment.astimezone(self.tz).date()
        for _ in range(n):
            day = self.clock.next_working_day(day)
        return hours.closing(day)

    # ------------------------------------------------------------ plan

    def plan(self) -> list[tuple]:
        """(created moment, received moment or None, desk, kind) for every dossier,
        in creation order; kind is desk / post / online / registered / refused."""
        rng = self.rng
        days = self.working_days()
        span = max(1, len(days) - 1)
        dow = [1.2, 1.0, 1.0, 1.0, 0.9, 0.6, 0.6]  # swapped Saturdays are quiet
        day_cum = list(
            _cumulative(
                [
                    dow[d.weekday()] * (0.9 + 0.2 * i / span) * rng.uniform(0.85, 1.15)
                    for i, d in enumerate(days)
                ]
            )
        )
        plan = []
        while len(plan) < self.args.dossiers:
            day = days[bisect.bisect(day_cum, rng.random() * day_cum[-1])]
            desk = self.receiving[
                bisect.bisect(self.receiving_cum, rng.random() * self.receiving_cum[-1])
            ]
            received = self.desk_moment(day, desk.hours)
            if received >= self.now:
                continue
            r = rng.random()
            if r < 0.30:  # online: registered some hours (any time of day) before receipt
                created = received - dt.timedelta(minutes=rng.randint(20, 36 * 60))
                if created < self.start:
                    created = received
                waiting = (self.now - received) < dt.timedelta(days=3)
                if rng.random() < 0.015:
                    plan.append((created, None, desk, "refused"))
                elif waiting and rng.random() < 0.4:
                    plan.append((created, None, desk, "registered"))
                else:
                    plan.append((created, received, desk, "online"))
            elif r < 0.33:
                plan.append((received, received, desk, "post"))
            else:
                plan.append((received, received, desk, "desk"))
        plan.sort(key=lambda item: item[0])
        return plan

    # ------------------------------------------------------------ one dossier

    def pick_procedure(self, desk: Desk) -> Proc:
        level = "province" if desk is self.centre else "commune"
        procs, cum = self.procs_by_level[level]
        return procs[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def code(self, desk: Desk, created: dt.datetime) -> str:
        date = created.date()  # plan moments are local already
        day = self.day_labels.get(date)
        if day is None:
            day = self.day_labels[date] = date.strftime("%y%m%d")
        key = (desk.pk, day)
        number = self.code_numbers.get(key, 0) + 1
        self.code_numbers[key] = number
        return f"{desk.identifier}-{day}-{number:04d}"

    def fold(self, name: str) -> str:
        from procedures.text import fold

        folded = self.fold_cache.get(name)
        if folded is None:
            folded = self.fold_cache[name] = fold(name)[:255]
        return folded

    def count(self, key: str) -> None:
        self.stats[key] = self.stats.get(key, 0) + 1

    def dossier(self, created, received, desk: Desk, kind: str, out: Batch) -> None:
        from desk.models import Channel, Delivery, EventKind, State

        rng, now = self.rng, self.now
        pk = self.next_id["dossier"]
        self.next_id["dossier"] += 1
        proc = self.pick_procedure(desk)
        variant = (
            proc.variants[0]
            if len(proc.variants) == 1 or rng.random() < 0.85
            else rng.choice(proc.variants)
        )
        variant_pk, time_value, time_unit = variant
        person = self.people[int(len(self.people) * rng.random() ** 1.3)]
        name, id_number, birth, address, phone = person
        online = kind in ("online", "registered", "refused")
        channel = Channel.ONLINE if online else (Channel.POST if kind == "post" else Channel.DESK)
        if online:
            delivery = Delivery.ONLINE if rng.random() < 0.5 else Delivery.DESK
        else:
            delivery = Delivery.POST if rng.random() < 0.15 else Delivery.DESK
        clerk = rng.choice(desk.clerks)
        row = {
            "id": pk,
            "code": self.code(desk, created),
            "lookup_key": "".join(rng.choices(LOOKUP_ALPHABET, k=16)),
            "receiving_agency_id": desk.pk,
            "current_agency_id": desk.pk,
            "current_holder_id": None,
            "current_step_due_at": None,
            "procedure_id": proc.pk,
            "variant_id": variant_pk,
            "channel": channel,
            "state": State.REGISTERED,
            "summary": proc.name[:500],
            "sets_count": 1,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_birth_date": birth,
            "applicant_address": address,
            "applicant_phone": phone,
            "applicant_email": "",
            "applicant_folded": self.fold(name),
            "received_at": None,
            "due_at": None,
            "original_due_at": None,
            "paused_at": None,
            "finished_at": None,
            "returned_at": None,
            "timeliness": "",
            "supplement_count": 0,
            "extended": False,
            "refusal_reason": "",
            "result_number": "",
            "result_signer": "",
            "delivery": delivery,
            "fee_amount": proc.fee,
            "fee_paid_at": None,
            "tracking_number": None,
            "received_by_id": None,
            "version": 1,
            "created_at": created,
            "updated_at": created,
        }
        events = out.events
        last = created

        def event(kind_, at, actor=None, from_state=None, to_state=None, **extra):
            nonlocal last
            last = max(last, at)
            events.append((pk, kind_, at, actor, from_state, to_state, extra))

        if online:
            event(EventKind.REGISTER, created, None, None, State.REGISTERED)
            self.documents(pk, proc, out, digitised=True)
        if kind == "registered":
            self.count("1 registered")
            return out.finish(row, last)
        if kind == "refused":
            refused_at = self.snap(created + dt.timedelta(hours=rng.uniform(1, 20)), desk.hours)
            refused_at = min(refused_at, now)
            row.update(
                state=State.NOT_RECEIVED,
                refusal_reason="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan",
                finished_at=refused_at,
            )
            event(EventKind.REFUSE, refused_at, clerk, State.REGISTERED, State.NOT_RECEIVED)
            self.count("3 not received")
            return out.finish(row, last)

        # Received at the desk (or an online registration received by the clerk).
        hours = desk.hours
        due = self.due_cache.due(received, time_value, time_unit, hours)
        step_due = self.clock.desk_step_due(desk.agency, received)
        year = received.year
        book_key = (desk.pk, proc.field_id, year)
        self.book_numbers[book_key] = self.book_numbers.get(book_key, 0) + 1
        row.update(
            state=State.RECEIVED,
            received_at=received,
            received_by_id=clerk,
            current_holder_id=clerk,
            due_at=due,
            original_due_at=due,
            current_step_due_at=step_due,
            tracking_number=self.book_numbers[book_key],
        )
        if not online:
            self.documents(pk, proc, out, digitised=rng.random() < 0.6)
        receive = [
            pk, EventKind.RECEIVE, received, clerk, State.REGISTERED if online else None,
            State.RECEIVED, {"to_agency": desk.pk, "to_user": clerk, "step_due_at": step_due},
        ]  # fmt: skip
        events.append(tuple(receive))
        receive_index = len(events) - 1
        last = max(last, received)
        if proc.fee and rng.random() < 0.9:
            row["fee_paid_at"] = received

        immediate = time_unit == "immediate" or due <= received
        # Hand-over: the same day, or the next morning after 15:00.
        if immediate:
            unit = desk
            handed = None
        else:
            unit = self.desks.get(proc.department_id) if desk is self.centre else desk
            if unit is None or not unit.officers:
                unit = desk if desk.officers else self.departments[proc.pk % len(self.departments)]
            local = received
            if local.hour >= 15:
                day = self.clock.next_working_day(local.date())
                handed = self.at(day, 7 * 60 + rng.randint(15, 240))
            else:
                handed = min(
                    local + dt.timedelta(minutes=rng.randint(20, 150)), hours.closing(local.date())
                )
        if handed is not None and handed > now:
            self.count("2 received")
            return out.finish(row, last, receive_index=receive_index)
        officer = rng.choice(unit.officers) if unit.officers else None
        if handed is not None:
            events[receive_index] = _with_step(
                events[receive_index], handed, judge(handed, step_due)
            )
            row.update(
                state=State.PROCESSING,
                current_agency_id=unit.pk,
                current_holder_id=officer,
                current_step_due_at=due,
            )
            event(
                EventKind.HAND_OVER, handed, clerk, State.RECEIVED, State.PROCESSING,
                from_agency=desk.pk, to_agency=unit.pk, from_user=clerk, to_user=officer,
                step_due_at=due,
            )  # fmt: skip
            handover_index = len(events) - 1
        else:
            handover_index = None

        # How it ends: withdrawn, supplement, apology, finished early/on time/late.
        fate = rng.random()
        if immediate:
            finish = received if time_unit == "immediate" else due
            return self.complete(
                row, out, desk, unit, officer, clerk, proc, finish, due, handover_index, last
            )
        span = due - received
        if fate < 0.012:  # withdrawn by the applicant, then stopped (form 05)
            asked = self.snap(handed + span * rng.uniform(0.1, 0.6), unit.hours)
            if asked > now:
                self.count("4 processing")
                return out.finish(row, last, handover_index=handover_index)
            row["state"] = State.WITHDRAWAL_REQUESTED
            event(
                EventKind.REQUEST_WITHDRAWAL,
                asked,
                clerk,
                State.PROCESSING,
                State.WITHDRAWAL_REQUESTED,
            )
            stopped = self.snap(asked + dt.timedelta(hours=rng.uniform(2, 40)), unit.hours)
            if stopped > now:
                self.count("7 withdrawal requested")
                return out.finish(row, last, handover_index=handover_index)
            return self.stop(row, out, clerk, State.WITHDRAWAL_REQUESTED, stopped, due, handover_index, last,
                             "Công dân có đơn đề nghị rút hồ sơ")  # fmt: skip
        pause = None
        if fate < 0.09:  # one supplement request from the processing unit
            asked = self.snap(handed + dt.timedelta(hours=rng.uniform(2, 30)), unit.hours)
            if asked < due and asked <= now:
                supplied = self.snap(asked + dt.timedelta(days=rng.uniform(1, 14)), desk.hours)
                never = rng.random() < 0.05
                names = [d[0] for d in proc.documents] or ["Đơn đề nghị"]
                pick = rng.randrange(len(names) * len(SUPPLEMENT_REASONS))  # one draw
                item = (
                    names[pick // len(SUPPLEMENT_REASONS)],
                    SUPPLEMENT_REASONS[pick % len(SUPPLEMENT_REASONS)],
                )
                supplement = {
                    "id": self.next_id["supplement"],
                    "dossier_id": pk,
                    "agency_id": unit.pk,
                    "requested_by_id": officer,
                    "requested_at": asked,
                    "items": json.dumps([{"name": item[0], "reason": item[1]}], ensure_ascii=False),
                    "contact_name": "",
                    "contact_phone": "",
                    "is_override": False,
                    "override_reason": "",
                    "supplied_at": None,
                    "paused_hours": None,
                }
                self.next_id["supplement"] += 1
                out.supplements.append(supplement)
                row["supplement_count"] = 1
                event(EventKind.REQUEST_SUPPLEMENT, asked, officer, State.PROCESSING, State.SUPPLEMENT,
                      data={"items": json.loads(supplement["items"]), "supplement_id": supplement["id"]})  # fmt: skip
                if supplied > now or never:
                    row.update(state=State.SUPPLEMENT, paused_at=asked)
                    give_up = asked + dt.timedelta(days=rng.uniform(30, 60))
                    if never and give_up <= now:
                        row["paused_at"] = None
                        return self.stop(row, out, clerk, State.SUPPLEMENT, self.snap(give_up, desk.hours), due,
                                         handover_index, last, "Quá thời hạn mà công dân không bổ sung hồ sơ")  # fmt: skip
                    self.count("5 supplement")
                    return out.finish(row, last, handover_index=handover_index)
                pause = (asked, supplied)
                from desk.deadlines import compute_due, working_hours_between

                supplement["supplied_at"] = supplied
                supplement["paused_hours"] = working_hours_between(
                    asked, supplied, hours=hours, calendar=self.calendar
                )
                deadline = compute_due(
                    received, time_value, time_unit, hours=hours, calendar=self.calendar,
                    pauses=[pause], restart_after_pause=proc.restart, now=now,
                )  # fmt: skip
                self.due_cache.engine_calls += 1
                due = deadline.due_at
                row.update(
                    due_at=due, original_due_at=due, current_step_due_at=due, state=State.PROCESSING
                )
                event(EventKind.SUPPLY, supplied, clerk, State.SUPPLEMENT, State.PROCESSING)
                span = due - received
        elif fate < 0.12 and unit.heads:  # late: an apology moves the appointment once
            signed = self.snap(due - dt.timedelta(days=rng.uniform(1.5, 4)), unit.hours)
            if handed < signed <= now:
                new_due = self.plus_working_days(due, rng.randint(3, 10), unit.hours)
                head = rng.randrange(len(unit.heads))
                out.apologies.append(
                    {
                        "id": self.next_id["apology"],
                        "dossier_id": pk,
                        "agency_id": unit.pk,
                        "status": "approved",
                        "reason": rng.choice(APOLOGY_REASONS),
                        "original_due_at": due,
                        "new_due_at": new_due,
                        "drafted_at": signed - dt.timedelta(hours=2),
                        "drafted_by_id": officer,
                        "signed_by_id": unit.heads[head],
                        "signed_at": signed,
                        "is_late": False,
                        "pdf": "",
                    }
                )
                self.next_id["apology"] += 1
                event(EventKind.APOLOGISE, signed, unit.heads[head], State.PROCESSING, State.PROCESSING,
                      data={"original_due_at": due.isoformat(), "new_due_at": new_due.isoformat()})  # fmt: skip
                row.update(due_at=new_due, current_step_due_at=new_due, extended=True)
                due = new_due
                span = due - received

        # Finish: mostly early or on the due day, one in ten late.
        r = rng.random()
        if r < 0.55:
            finish = received + span * rng.uniform(0.25, 0.85)
        elif r < 0.90:
            finish = due - dt.timedelta(minutes=rng.randint(10, 240))
        else:
            finish = due + dt.timedelta(days=rng.uniform(0.5, 8))
        if pause is not None:
            finish = max(finish, pause[1] + dt.timedelta(hours=1))
        finish = self.snap(max(finish, handed + dt.timedelta(minutes=30)), unit.hours)
        if finish > now:
            if proc.fee and row["fee_paid_at"] is None and rng.random() < 0.3:
                row["state"] = State.AWAITING_PAYMENT
                event(EventKind.REQUEST_PAYMENT, self.snap(handed + dt.timedelta(hours=3), unit.hours),
                      officer, State.PROCESSING, State.AWAITING_PAYMENT)  # fmt: skip
                self.count("6 awaiting payment")
            else:
                self.count("4 processing" + (" (overdue)" if due < now else ""))
            return out.finish(row, last, handover_index=handover_index)
        return self.complete(
            row, out, desk, unit, officer, clerk, proc, finish, due, handover_index, last
        )

    def documents(self, pk: int, proc: Proc, out: Batch, digitised: bool) -> None:
        if not self.args.documents:
            return
        for order, (name, originals, certified, copies) in enumerate(
            proc.documents or [("Đơn đề nghị", 1, 0, 0)]
        ):
            out.documents.append(
                (
                    self.next_id["document"],
                    pk,
                    name,
                    originals,
                    certified,
                    copies,
                    digitised,
                    False,
                    order,
                )
            )
            self.next_id["document"] += 1

    def complete(
        self, row, out, desk, unit, officer, clerk, proc, finish, due, handover_index, last
    ):
        from desk.models import EventKind, State

        rng, now = self.rng, self.now
        from_state = row["state"]
        timeliness = judge(finish, due)
        head_names = unit.head_names or desk.head_names or ["Phạm Văn Hùng"]
        row.update(
            state=State.PROCESSED,
            finished_at=finish,
            timeliness=timeliness,
            result_number=f"{rng.randint(1, 9999)}/{finish.year}/KQ",
            result_signer=rng.choice(head_names),
            current_agency_id=desk.pk,
            current_holder_id=None,
        )
        self.count(f"timeliness {timeliness}")
        if handover_index is not None:
            out.events[handover_index] = _with_step(
                out.events[handover_index], finish, judge(finish, due)
            )
        out.events.append((row["id"], EventKind.COMPLETE, finish, officer or clerk, from_state,
                           State.PROCESSED, {"to_agency": desk.pk, "data": {"timeliness": timeliness}}))  # fmt: skip
        last = max(last, finish)
        returned = finish if proc.variants[0][2] == "immediate" else None
        if returned is None:
            returned = self.snap(finish + dt.timedelta(days=rng.expovariate(1 / 1.5)), desk.hours)
        if returned > now:
            self.count("9 processed")
            return out.finish(row, last)
        row.update(state=State.RETURNED, returned_at=returned)
        out.events.append((row["id"], EventKind.RETURN, returned, clerk, State.PROCESSED, State.RETURNED,
                           {"data": {"delivery": row["delivery"]}}))  # fmt: skip
        self.count("10 returned")
        return out.finish(row, max(last, returned))

    def stop(self, row, out, clerk, from_state, at, due, handover_index, last, reason):
        from desk.models import EventKind, State

        at = min(at, self.now)
        timeliness = judge(at, due)
        row.update(state=State.STOPPED, finished_at=at, timeliness=timeliness, paused_at=None)
        if handover_index is not None:
            out.events[handover_index] = _with_step(out.events[handover_index], at, timeliness)
        out.events.append((row["id"], EventKind.STOP, at, clerk, from_state, State.STOPPED,
                           {"note": reason, "data": {"state_at_stop": int(from_state)}}))  # fmt: skip
        self.count("8 stopped")
        return out.finish(row, max(last, at))


def _with_step(event: tuple, finished_at: dt.datetime, timeliness: str) -> tuple:
    extra = dict(event[6])
    extra["step_finished_at"] = finished_at
    extra["step_timeliness"] = timeliness
    return (*event[:6], extra)


def _cumulative(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


class Batch:
    """Rows of one batch, ready for COPY."""

    def __init__(self) -> None:
        self.dossiers: list[dict] = []
        self.events: list[tuple] = []
        self.documents: list[tuple] = []
        self.supplements: list[dict] = []
        self.apologies: list[dict] = []

    def finish(self, row: dict, last: dt.datetime, **_ignored) -> None:
        row["updated_at"] = last
        # Plain values for COPY, not the models' enum members.
        row["state"] = int(row["state"])
        for name in ("channel", "delivery", "timeliness"):
            row[name] = str(row[name])
        self.dossiers.append(row)


# ---------------------------------------------------------------- database plumbing


DESK_TABLES = [
    "Dossier",
    "DossierDocument",
    "DossierAttachment",
    "DossierEvent",
    "SupplementRequest",
    "ApologyLetter",
    "Counter",
    "PersonalDataAccess",
]
LOADED = ["Dossier", "DossierDocument", "DossierEvent", "SupplementRequest", "ApologyLetter"]


def table(name: str) -> str:
    from django.apps import apps

    return apps.get_model("desk", name)._meta.db_table


def columns_with_defaults(model_name: str, provided: list[str]) -> tuple[list[str], list]:
    """Every concrete column of the model: ``provided`` first, then the others with
    their Python default (so a field added later does not break the load)."""
    from django.apps import apps
    from django.db.models import NOT_PROVIDED

    model = apps.get_model("desk", model_name)
    extra_columns, extra_values = [], []
    for f in model._meta.concrete_fields:
        if f.column in provided:
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif f.db_default is not NOT_PROVIDED:
            continue
        elif f.get_internal_type() in ("CharField", "TextField", "EmailField"):
            value = ""
        else:
            raise SystemExit(f"{model_name}.{f.name} has no default: teach the generator about it")
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        extra_columns.append(f.column)
        extra_values.append(value)
    return provided + extra_columns, extra_values


def drop_secondary_indexes(cursor) -> list[str]:
    """Drop the loaded tables' plain indexes (not PK/unique constraints); return
    their definitions to rebuild after the load."""
    definitions = []
    for name in LOADED:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint)",
            [table(name)],
        )
        for index_name, definition in cursor.fetchall():
            definitions.append(definition)
            cursor.execute(f'DROP INDEX IF EXISTS "{index_name}"')
    return definitions


class Loader:
    """COPY writer for the five loaded tables on one psycopg connection."""

    DOSSIER = [
        "id", "code", "lookup_key", "receiving_agency_id", "current_agency_id",
        "current_holder_id", "current_step_due_at", "procedure_id", "variant_id", "channel",
        "state", "summary", "sets_count", "applicant_name", "applicant_id_number",
        "applicant_birth_date", "applicant_address", "applicant_phone", "applicant_email",
        "applicant_folded", "received_at", "due_at", "original_due_at", "paused_at",
        "finished_at", "returned_at", "timeliness", "supplement_count", "extended",
        "refusal_reason", "result_number", "result_signer", "delivery", "fee_amount",
        "fee_paid_at", "tracking_number", "received_by_id", "version", "created_at", "updated_at",
    ]  # fmt: skip
    EVENT = [
        "id", "dossier_id", "kind", "at", "actor_id", "from_state", "to_state", "from_agency_id",
        "to_agency_id", "from_user_id", "to_user_id", "step_due_at", "step_finished_at",
        "step_timeliness", "note", "data",
    ]  # fmt: skip
    DOCUMENT = [
        "id", "dossier_id", "name", "originals", "certified_copies", "copies", "digitised",
        "supplied_later", "order",
    ]  # fmt: skip
    SUPPLEMENT = [
        "id", "dossier_id", "agency_id", "requested_by_id", "requested_at", "items",
        "contact_name", "contact_phone", "is_override", "override_reason", "supplied_at",
        "paused_hours",
    ]  # fmt: skip
    APOLOGY = [
        "id", "dossier_id", "agency_id", "status", "reason", "original_due_at", "new_due_at",
        "drafted_at", "drafted_by_id", "signed_by_id", "signed_at", "is_late", "pdf",
    ]  # fmt: skip

    def __init__(self, connection) -> None:
        self.connection = connection
        self.queue: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.layout = {}
        for key, model, columns in [
            ("dossier", "Dossier", self.DOSSIER),
            ("event", "DossierEvent", self.EVENT),
            ("document", "DossierDocument", self.DOCUMENT),
            ("supplement", "SupplementRequest", self.SUPPLEMENT),
            ("apology", "ApologyLetter", self.APOLOGY),
        ]:
            all_columns, extra = columns_with_defaults(model, columns)
            self.layout[key] = (table(model), all_columns, tuple(extra), columns)
        self.next_event = 1
        self.seconds: dict[str, float] = {}

    def _copy(self, key: str, rows) -> int:
        started = time.perf_counter()
        name, columns, extra, _ = self.layout[key]
        column_list = ", ".join(f'"{c}"' for c in columns)
        n = 0
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f'COPY "{name}" ({column_list}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row + extra if extra else row)
                n += 1
        self.seconds[key] = self.seconds.get(key, 0) + time.perf_counter() - started
        return n

    def start(self) -> None:
        self.thread.start()

    def put(self, batch: Batch) -> None:
        """Hand a batch to the COPY thread (PostgreSQL parses one batch on the
        other core while Python builds the next)."""
        if self.error is not None:
            raise SystemExit(f"COPY failed: {self.error}")
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise SystemExit(f"COPY failed: {self.error}")

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self.write(batch)
                except BaseException as error:  # reported by put()/close()
                    self.error = error

    def write(self, batch: Batch) -> None:
        columns = self.DOSSIER
        self._copy("dossier", (tuple(row[c] for c in columns) for row in batch.dossiers))
        events = []
        for dossier_id, kind, at, actor, from_state, to_state, extra in sorted(
            batch.events, key=lambda e: (e[0], e[2])
        ):
            data = extra.get("data")
            events.append(
                (
                    self.next_event, dossier_id, str(kind), at, actor,
                    None if from_state is None else int(from_state),
                    None if to_state is None else int(to_state),
                    extra.get("from_agency"), extra.get("to_agency"), extra.get("from_user"),
                    extra.get("to_user"), extra.get("step_due_at"), extra.get("step_finished_at"),
                    extra.get("step_timeliness", ""), extra.get("note", ""),
                    json.dumps(data, ensure_ascii=False) if data else "{}",
                )
            )  # fmt: skip
            self.next_event += 1
        self._copy("event", events)
        self._copy("document", batch.documents)
        if batch.supplements:
            self._copy(
                "supplement", (tuple(s[c] for c in self.SUPPLEMENT) for s in batch.supplements)
            )
        if batch.apologies:
            self._copy("apology", (tuple(a[c] for c in self.APOLOGY) for a in batch.apologies))
        self.connection.commit()


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--procedures", type=int, default=2000, help="extra catalog entries")
    parser.add_argument("--staff", type=int, default=3000, help="about this many staff accounts")
    parser.add_argument("--batch", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--verify", type=int, default=2000, help="due dates re-checked by the engine"
    )
    parser.add_argument("--no-documents", dest="documents", action="store_false")
    parser.add_argument("--reset", action="store_true", help="empty the desk tables first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("the generator writes with PostgreSQL COPY: set DATABASE_URL")
    started = time.perf_counter()
    say(f"database {settings.DATABASES['default']['NAME']}: migrate")
    call_command("migrate", verbosity=0)

    from desk.calendar_seed import seed_calendar
    from desk.models import Dossier

    if args.reset:
        names = ", ".join(f'"{table(n)}"' for n in DESK_TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        say("desk tables emptied")
    elif Dossier.objects.exists():
        raise SystemExit(
            f"{Dossier.objects.count()} dossiers already there: run with --reset to regenerate"
        )

    now = timezone.localtime(timezone.now()).replace(microsecond=0)
    first_year = now.year - int(args.years) - 1
    seed_calendar(range(first_year, now.year + 3))

    class Out:
        def write(self, text: str) -> None:
            say(text)

    from procedures import demo

    demo.load(Out())
    if args.procedures:
        from bench.catalog_data import ensure_agencies, generate_procedures
        from procedures.services import save_procedure

        ensure_agencies()
        outcomes: dict[str, int] = {}
        for content in generate_procedures(args.procedures):
            outcome = save_procedure(content=content, source="bench").outcome
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        say(f"catalog: {outcomes}")
    ensure_staff(args.staff, random.Random(args.seed))

    generator = Generator(args, now)
    say("planning receipts")
    plan = generator.plan()
    say(f"{len(plan)} dossiers from {plan[0][0]:%d/%m/%Y} to {plan[-1][0]:%d/%m/%Y %H:%M}")

    connection.ensure_connection()
    pg = connection.connection  # the psycopg 3 connection under Django's wrapper
    connection.set_autocommit(False)
    with pg.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        try:
            cursor.execute("SET session_replication_role = replica")  # FK triggers off
        except Exception as error:  # not a superuser: slower, still correct
            pg.rollback()
            say(f"foreign-key triggers stay on ({error})")
        definitions = drop_secondary_indexes(cursor)
    pg.commit()
    say(f"{len(definitions)} secondary indexes dropped for the load")

    import psycopg

    db = settings.DATABASES["default"]
    copy_connection = psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    with copy_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        try:
            cursor.execute("SET session_replication_role = replica")
        except Exception:
            copy_connection.rollback()
    copy_connection.commit()
    loader = Loader(copy_connection)
    loader.start()
    load_start = time.perf_counter()
    written = 0
    for offset in range(0, len(plan), args.batch):
        batch = Batch()
        for created, received, desk, kind in plan[offset : offset + args.batch]:
            generator.dossier(created, received, desk, kind, batch)
        loader.put(batch)
        written += len(batch.dossiers)
        rate = written / (time.perf_counter() - load_start)
        say(
            f"{written:>9,} dossiers, {loader.next_event - 1:>10,} events "
            f"({rate:,.0f} dossiers/s; engine {generator.due_cache.engine_calls:,} calls, "
            f"{generator.due_cache.shifted:,} shifted; COPY "
            + ", ".join(f"{k} {v:.0f} s" for k, v in loader.seconds.items())
            + ")"
        )
    loader.close()
    copy_connection.close()
    del plan
    say(f"all batches written in {(time.perf_counter() - load_start) / 60:.1f} min")

    with pg.cursor() as cursor:
        say("counters and sequences")
        counters = [
            (f"code:{agency}:{day}", last) for (agency, day), last in generator.code_numbers.items()
        ] + [
            (f"book:{agency}:{field_id}:{year}", last)
            for (agency, field_id, year), last in generator.book_numbers.items()
        ]
        with cursor.copy(f'COPY "{table("Counter")}" (scope, last) FROM STDIN') as copy:
            for item in counters:
                copy.write_row(item)
        for name in LOADED:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table(name)}\"', 'id'), "
                f'COALESCE((SELECT max(id) FROM "{table(name)}"), 1))'
            )
        pg.commit()
        say(f"rebuilding {len(definitions)} indexes")
        for definition in definitions:
            cursor.execute(definition)
            pg.commit()
        cursor.execute("SET session_replication_role = DEFAULT")
    pg.commit()
    connection.set_autocommit(True)
    say("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        for name in [*LOADED, "Counter"]:
            cursor.execute(f'VACUUM ANALYZE "{table(name)}"')
        cursor.execute("ANALYZE")
    # The leaders' dashboard reads pre-aggregated rows that the services keep as
    # they work; COPY bypassed them, so they are computed once here.
    from desk import stats

    rebuild_start = time.perf_counter()
    counts = stats.rebuild()
    say(
        f"dashboard figures rebuilt in {time.perf_counter() - rebuild_start:.0f} s: "
        f"{counts['days']} agency-days, {counts['procedure_months']} procedure-months"
    )

    verify(generator, args.verify)
    elapsed = time.perf_counter() - started
    say(f"done in {elapsed / 60:.1f} min; load {(time.perf_counter() - load_start) / 60:.1f} min")
    for key, value in sorted(
        generator.stats.items(), key=lambda kv: (len(kv[0].split()[0]), kv[0])
    ):
        print(f"  {key:<28} {value:>9,}")
    with connection.cursor() as cursor:
        for name in LOADED:
            cursor.execute(f'SELECT count(*) FROM "{table(name)}"')
            print(f"  rows in {table(name):<24} {cursor.fetchone()[0]:>10,}")


def verify(generator: Generator, sample: int) -> None:
    """Re-compute a sample of stored due dates with the engine, without the cache."""
    from desk.deadlines import compute_due
    from desk.models import Dossier

    if not sample:
        return
    rows = list(
        Dossier.objects.filter(extended=False, supplement_count=0, received_at__isnull=False)
        .select_related("variant", "receiving_agency")
        .order_by("?")[:sample]
    )
    wrong = []
    for d in rows:
        hours = generator.desks[d.receiving_agency_id].hours
        expected = compute_due(
            d.received_at, d.variant.time_value, d.variant.time_unit, hours=hours,
            calendar=generator.calendar,
        ).due_at  # fmt: skip
        if expected != d.due_at:
            wrong.append((d.code, d.received_at, d.due_at, expected))
    if wrong:
        raise SystemExit(
            f"{len(wrong)} of {len(rows)} due dates differ from the engine: {wrong[:3]}"
        )
    say(f"verified {len(rows)} due dates against the engine: all equal")


if __name__ == "__main__":
    main()
