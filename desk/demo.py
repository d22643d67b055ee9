"""Demo data of the desk: the working-day calendar from last year to two years ahead,
then about two hundred dossiers in every state, at four desks.

Called by ``manage.py seed_demo`` after the catalog's demo (procedures/demo.py:
agencies, the accounts ``canbo``, ``xuly``, ``truongdonvi`` at Phường Nha Trang,
the example catalog). The calendar part creates the missing dates and leaves the
rest; the dossiers are created once: if any dossier exists they are skipped.

Every dossier goes through the real services (desk/services/) with explicit
moments spread over the last ~60 days, so codes, due dates, control slips and
timeliness are what the product would have produced. The moments are relative to
the time the demo is loaded: some dossiers are due within the next working day,
some are overdue, and a few cross their due time within the first minutes or hours
of working time after loading (for the overdue alerts to pick up).
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from procedures.demo import DEMO_PASSWORD
from procedures.models import (
    Agency,
    AgencyLevel,
    Procedure,
    ProcedureStep,
    ProcedureVariant,
    TimeUnit,
    User,
)
from procedures.text import fold

from . import services, stats
from .calendar_seed import seed_calendar
from .deadlines import WorkCalendar, WorkingHours, add_working_time, compute_due
from .models import CalendarDay, CalendarYear, Delivery, Dossier, DossierEvent, EventKind, State
from .models.dossier import DossierDocument

# username, first name, last name, title, agency identifier, role flags.
# canbo / xuly / truongdonvi (Phường Nha Trang) come from procedures/demo.py.
DESK_STAFF = [
    ("canbo2", "Mai", "Nguyễn Thị", "Cán bộ tiếp nhận", "000.00.21.H56", ("clerk",)),
    ("xuly2", "Tuấn", "Võ Anh", "Cán bộ xử lý", "000.00.21.H56", ("officer",)),
    ("canbo.bacnhatrang", "Ngọc", "Lê Thị", "Cán bộ tiếp nhận", "000.00.22.H56", ("clerk",)),
    ("xuly.bacnhatrang", "Khang", "Trần Minh", "Cán bộ xử lý", "000.00.22.H56", ("officer",)),
    (
        "truongdonvi.bacnhatrang",
        "Bình",
        "Đặng Văn",
        "Lãnh đạo đơn vị",
        "000.00.22.H56",
        ("unit_head",),
    ),
    ("canbo.camlam", "Hạnh", "Phan Thị", "Cán bộ tiếp nhận", "000.00.29.H56", ("clerk",)),
    ("xuly.camlam", "Sơn", "Huỳnh Công", "Cán bộ xử lý", "000.00.29.H56", ("officer",)),
    ("truongdonvi.camlam", "Dũng", "Bùi Quốc", "Lãnh đạo đơn vị", "000.00.29.H56", ("unit_head",)),
    ("canbo.tinh", "Thảo", "Hồ Thị", "Cán bộ tiếp nhận", "000.00.01.H56", ("clerk",)),
    ("canbo2.tinh", "Long", "Ngô Hữu", "Cán bộ tiếp nhận", "000.00.01.H56", ("clerk",)),
    # The provincial centre receives; departments handle (their procedures list them).
    ("xuly.sotuphap", "Phương", "Vũ Thị", "Chuyên viên", "000.17.00.H56", ("officer",)),
    ("truongphong.sotuphap", "Quân", "Lý Minh", "Trưởng phòng", "000.17.00.H56", ("unit_head",)),
    ("xuly.soxaydung", "Việt", "Dương Quốc", "Chuyên viên", "000.18.00.H56", ("officer",)),
    ("truongphong.soxaydung", "Hải", "Đỗ Văn", "Trưởng phòng", "000.18.00.H56", ("unit_head",)),
]
# Share of the dossiers received at each desk.
DESK_WEIGHTS = {"000.00.21.H56": 55, "000.00.22.H56": 15, "000.00.29.H56": 15, "000.00.01.H56": 15}
DEPARTMENTS = ("000.17.00.H56", "000.18.00.H56")

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = {
    "m": ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công"],
    "f": ["Thị", "Ngọc", "Thu", "Kim", "Mỹ"],
}
GIVEN = {
    "m": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khang",
        "Long",
        "Nam",
        "Phúc",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Trung",
        "Tuấn",
    ],
    "f": [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Ngân",
        "Nhung",
        "Phương",
        "Thảo",
        "Vy",
    ],
}
STREETS = ["Trần Phú", "Lê Thánh Tôn", "Yersin", "Nguyễn Thị Minh Khai", "Hùng Vương"]
STREETS += ["Quang Trung", "Thống Nhất", "2 Tháng 4", "Phạm Văn Đồng", "Lê Hồng Phong"]
# Supplement requests name documents of the dossier's own procedure (its required
# documents, the ones received); the reason is one that fits any such document, or a
# copy, or a form (tests/test_demo.py checks they match).
ANY_DOCUMENT_REASONS = [
    "Bản đã nộp bị mờ, không đọc được",
    "Thông tin không khớp với giấy tờ tùy thân của người nộp",
    "Còn thiếu trang so với bản chính",
]
COPY_REASONS = ["Bản sao chưa được chứng thực", "Bản sao không đủ số lượng theo quy định"]
FORM_REASONS = ["Chưa ký và chưa ghi ngày tháng", "Chưa ghi đủ các mục theo mẫu"]
# What is received when a procedure lists no documents (its request itself).
FALLBACK_DOCUMENT = "Đơn đề nghị"
DELAY_REASONS = [
    "Cần xác minh thêm thông tin tại nơi cư trú trước đây của người yêu cầu",
    "Chờ ý kiến phối hợp của cơ quan liên quan",
    "Khối lượng hồ sơ tăng đột biến trong tháng",
]

# (scenario, how many): about 220 dossiers in all.
PLAN = [
    ("returned", 80),
    ("immediate", 6),
    ("processed", 15),
    ("processing", 35),
    ("due_soon", 10),
    ("about_to_cross", 5),
    ("overdue", 12),
    ("supplement", 10),
    ("second_supplement", 1),
    ("payment", 6),
    ("received", 8),
    ("registered", 8),
    ("guided", 1),
    ("refused", 2),
    ("withdrawn", 1),
    ("withdrawal_requested", 1),
    ("never_supplied", 1),
    ("apology", 2),
    ("late_apology", 1),
    ("apology_returned", 1),
    ("corrected", 1),
]


class Skip(Exception):
    """This scenario does not fit this moment or procedure: draw another."""


@dataclass
class Desk:
    agency: Agency
    clerks: list[User]
    # (officer, unit head) pairs by handling agency: the desk's own unit at a commune,
    # the departments behind the provincial centre.
    handlers: dict[int, tuple[Agency, User, User]]
    # Procedures this desk receives, with the handling agency's id.
    procedures: list[tuple[Procedure, int]] = field(default_factory=list)


class DemoBuilder:
    def __init__(self, now: dt.datetime, rng: random.Random) -> None:
        self.now = now
        self.rng = rng
        self.calendar = WorkCalendar.from_database()
        self.admin = User.objects.filter(username="quantri").first()
        self.desks = self._desks()

    # ------------------------------------------------------------ set-up

    def _desks(self) -> list[Desk]:
        """The demo desks with their staff (created if missing) and procedures; a desk
        whose agency, staff or procedures are missing is left out."""
        wanted = {row[4] for row in DESK_STAFF} | set(DESK_WEIGHTS) | set(DEPARTMENTS)
        agencies = {a.identifier: a for a in Agency.objects.filter(identifier__in=wanted)}
        staff = {u.username: u for u in User.objects.filter(agency__isnull=False, is_active=True)}
        password = None  # hashed once: the hasher is slow on purpose
        for username, first, last, title, identifier, roles in DESK_STAFF:
            if username in staff or identifier not in agencies:
                continue
            password = password or make_password(DEMO_PASSWORD)
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                title=title,
                agency=agencies[identifier],
                email=f"{username}@motcua.local",
            )
            for role in roles:
                setattr(user, f"is_{role}", True)
            user.password = password
            user.save()
            staff[username] = user
        desks = []
        for identifier in DESK_WEIGHTS:
            agency = agencies.get(identifier)
            if agency is None:
                continue
            clerks = [u for u in staff.values() if u.agency_id == agency.pk and u.is_clerk]
            # A commune handles what it receives; the provincial centre passes its
            # dossiers to the departments.
            handling = (
                [agency]
                if agency.level != AgencyLevel.PROVINCE
                else [agencies[i] for i in DEPARTMENTS if i in agencies]
            )
            desk = Desk(agency, clerks, {})
            for unit in handling:
                unit_staff = [u for u in staff.values() if u.agency_id == unit.pk]
                officer = next((u for u in unit_staff if u.is_officer), None)
                head = next((u for u in unit_staff if u.is_unit_head), None)
                if officer and head:
                    desk.handlers[unit.pk] = (unit, officer, head)
            for procedure in (
                Procedure.objects.filter(agencies__in=list(desk.handlers), variants__isnull=False)
                .prefetch_related("variants", "documents", "fees", "agencies")
                .distinct()
                .order_by("code")
            ):
                unit_id = next(a.pk for a in procedure.agencies.all() if a.pk in desk.handlers)
                desk.procedures.append((procedure, unit_id))
            if clerks and desk.procedures:
                desks.append(desk)
        return desks

    # ------------------------------------------------------------ working time

    def hours_of(self, desk: Desk) -> WorkingHours:
        return WorkingHours.for_agency(desk.agency)

    def after(self, desk: Desk, moment: dt.datetime, hours: float) -> dt.datetime:
        """``hours`` of working time after ``moment``, to the minute."""
        result = add_working_time(
            moment, Decimal(str(round(hours, 2))), hours=self.hours_of(desk), calendar=self.calendar
        )
        return result.replace(second=0, microsecond=0)

    def before(self, desk: Desk, moment: dt.datetime, hours: float) -> dt.datetime:
        """``hours`` of working time before ``moment`` (the engine only counts forward)."""
        working = self.hours_of(desk)
        remaining = dt.timedelta(hours=hours)
        current = timezone.localtime(moment)
        day = current.date()
        for _ in range(400):
            if self.calendar.is_working_day(day):
                for start, end in reversed(working.periods(day)):
                    if start >= current:
                        continue
                    available = min(end, current) - start
                    if remaining <= available:
                        return (min(end, current) - remaining).replace(second=0, microsecond=0)
                    remaining -= available
                    current = start
            day -= dt.timedelta(days=1)
            current = dt.datetime.combine(day, dt.time.max, timezone.get_default_timezone())
        raise ValueError("no working time in the last 400 days")

    def due(self, desk: Desk, variant: ProcedureVariant, received_at: dt.datetime) -> dt.datetime:
        return compute_due(
            received_at,
            variant.time_value,
            variant.time_unit,
            hours=self.hours_of(desk),
            calendar=self.calendar,
        ).due_at

    def receipt_for_due(
        self, desk: Desk, variant: ProcedureVariant, target: dt.datetime
    ) -> dt.datetime:
        """The latest receipt moment whose due date is not after ``target`` (the due date
        only grows with the receipt time, so bisect on minutes)."""
        low, high = target - dt.timedelta(days=400), target
        while high - low > dt.timedelta(minutes=1):
            middle = (low + (high - low) / 2).replace(second=0, microsecond=0)
            if middle <= low:
                break
            if self.due(desk, variant, middle) <= target:
                low = middle
            else:
                high = middle
        return low

    def term_hours(self, variant: ProcedureVariant) -> float:
        if variant.time_unit == TimeUnit.WORKING_HOURS:
            return float(variant.time_value)
        if variant.time_unit == TimeUnit.CALENDAR_DAYS:
            return variant.time_value * 8 * 5 / 7 + 8
        if variant.time_unit == TimeUnit.IMMEDIATE:
            return 0
        return variant.time_value * 8.0

    # ------------------------------------------------------------ people and papers

    def applicant(self, desk: Desk) -> services.ApplicantData:
        rng = self.rng
        sex = rng.choice("mf")
        born = dt.date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        century = (0 if born.year < 2000 else 2) + (1 if sex == "f" else 0)
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"
        place = desk.agency.name.removeprefix("Ủy ban nhân dân ")
        filer = {}
        if rng.random() < 0.12:
            filer = {
                "filer_name": f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN['m'])}",
                "filer_id_number": f"056{rng.randint(0, 2)}{rng.randint(0, 10**8 - 1):08d}",
                "filer_phone": f"09{rng.randint(0, 10**8 - 1):08d}",
                "power_of_attorney": f"Giấy ủy quyền số {rng.randint(10, 999)}/UQ",
            }
        return services.ApplicantData(
            name=name,
            id_number=f"056{century}{born.year % 100:02d}{rng.randint(0, 999999):06d}",
            birth_date=born,
            address=f"{rng.randint(1, 250)} {rng.choice(STREETS)}, {place}, tỉnh Khánh Hòa",
            phone=f"0{rng.choice('3579')}{rng.randint(0, 10**8 - 1):08d}",
            email=f"nguoidan{rng.randint(100, 9999)}@example.vn" if rng.random() < 0.4 else "",
            **filer,
        )

    def documents(self, procedure: Procedure) -> list[services.ReceivedDocument]:
        received = [
            services.ReceivedDocument(
                name=doc.name[:1000],
                originals=doc.originals,
                certified_copies=doc.certified_copies,
                copies=doc.copies,
                digitised=self.rng.random() < 0.8,
            )
            for doc in procedure.documents.all()
        ]
        return received or [services.ReceivedDocument(name=FALLBACK_DOCUMENT, originals=1)]

    def supplement_items(self, dossier: Dossier) -> list[dict[str, str]]:
        """One or two of the dossier's own documents, each with a reason that fits it
        (drawn from the dossier's code: the same on every run)."""
        rng = random.Random(dossier.code)
        documents = list(dossier.documents.all()) or [
            DossierDocument(name=FALLBACK_DOCUMENT, originals=1)
        ]
        items = []
        for document in rng.sample(documents, k=min(len(documents), rng.choice((1, 1, 2)))):
            reasons = list(ANY_DOCUMENT_REASONS)
            if document.certified_copies or document.copies:
                reasons += COPY_REASONS
            if document.name.startswith(("Tờ khai", "Đơn", "Phiếu", "Bản khai")):
                reasons += FORM_REASONS
            items.append({"name": document.name, "reason": rng.choice(reasons)})
        return items

    # ------------------------------------------------------------ choosing

    def pick(
        self, *, immediate: bool = False, clock: bool = False, longest: float | None = None
    ) -> tuple[Desk, Procedure, ProcedureVariant, tuple[Agency, User, User]]:
        """A desk (by weight), a procedure it receives and one of its variants.

        ``clock``: only terms counted in working time (a due date can then be aimed
        at any working minute). ``longest``: terms up to that many working hours.
        """
        for _ in range(200):
            desk = self.rng.choices(
                self.desks, weights=[DESK_WEIGHTS[d.agency.identifier] for d in self.desks]
            )[0]
            procedure, unit_id = self.rng.choice(desk.procedures)
            variants = [
                v
                for v in procedure.variants.all()
                if (v.time_unit == TimeUnit.IMMEDIATE) == immediate
                and (not clock or v.time_unit in (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS))
                and (longest is None or self.term_hours(v) <= longest)
            ]
            if variants:
                return desk, procedure, self.rng.choice(variants), desk.handlers[unit_id]
        raise Skip

    # ------------------------------------------------------------ the services, in order

    def draw(self, *, received: Callable[..., dt.datetime] | None = None, **pick) -> "Draw":
        """Desk, procedure, variant, handler and receipt moment of a dossier to be."""
        desk, procedure, variant, handler = self.pick(**pick)
        moment = received(desk, variant) if received else self.before(desk, self.now, 1)
        if moment > self.now:
            raise Skip
        return Draw(desk, procedure, variant, handler, moment, self.rng.random() < 0.2)

    def receive(self, draw: "Draw") -> Dossier:
        clerk = self.rng.choice(draw.desk.clerks)
        procedure = draw.procedure
        if draw.online:
            registered = draw.received - dt.timedelta(hours=self.rng.uniform(1, 40))
            dossier = services.register_online(
                agency=draw.desk.agency,
                procedure=procedure,
                variant=draw.variant,
                applicant=self.applicant(draw.desk),
                documents=self.documents(procedure),
                registered_at=registered.replace(second=0, microsecond=0),
            )
            return services.receive_registered(
                dossier=dossier, version=dossier.version, user=clerk, at=draw.received
            )
        return services.receive_dossier(
            agency=draw.desk.agency,
            procedure=procedure,
            variant=draw.variant,
            applicant=self.applicant(draw.desk),
            documents=self.documents(procedure),
            received_by=clerk,
            delivery=self.rng.choice([Delivery.DESK] * 4 + [Delivery.POST]),
            fee_amount=next((f.amount for f in procedure.fees.all()), Decimal(0)),
            received_at=draw.received,
        )

    def step(self, moment: dt.datetime) -> dt.datetime:
        """Every moment of the story is in the past; a draw that needs a later one is
        drawn again."""
        if moment > self.now:
            raise Skip
        return moment

    def later(self, draw: "Draw", dossier: Dossier, hours: float) -> dt.datetime:
        """``hours`` of working time after the dossier's latest event."""
        latest = dossier.events.order_by("-at").values_list("at", flat=True).first()
        return self.after(draw.desk, latest, hours)

    def clerk_of(self, dossier: Dossier) -> User:
        return User.objects.get(pk=dossier.received_by_id)

    def hand_to_officer(self, draw: "Draw", dossier: Dossier) -> None:
        unit, officer, _head = draw.handler
        # Most desks hand over within the hour; a few leave it to the next morning.
        delays = [0.25, 0.5, 0.5, 1, 1, 2, 3, 6]
        fitting = [d for d in delays if self.after(draw.desk, draw.received, d) <= self.now]
        if not fitting:
            raise Skip
        services.hand_over(
            dossier=dossier,
            version=None,
            user=self.clerk_of(dossier),
            to_agency=unit,
            to_user=officer,
            at=self.after(draw.desk, draw.received, self.rng.choice(fitting)),
        )

    def to_head(self, draw: "Draw", dossier: Dossier, at: dt.datetime) -> None:
        unit, officer, head = draw.handler
        services.hand_over(
            dossier=dossier,
            version=None,
            user=officer,
            to_agency=unit,
            to_user=head,
            note="Trình ký kết quả",
            at=self.step(at),
        )

    def complete(self, draw: "Draw", dossier: Dossier, at: dt.datetime) -> None:
        head = draw.handler[2]
        services.complete_dossier(
            dossier=dossier,
            version=None,
            user=head,
            result_number=f"{self.rng.randint(1, 2999)}/{timezone.localtime(at).year}/KQ",
            result_signer=str(head),
            result_summary="Giải quyết theo đề nghị của người yêu cầu",
            at=self.step(at),
        )

    def give_back(self, dossier: Dossier, at: dt.datetime) -> None:
        dossier.refresh_from_db()
        services.return_result(
            dossier=dossier,
            version=None,
            user=self.clerk_of(dossier),
            identity_checked=True,
            delivery=dossier.delivery,
            at=self.step(at),
        )

    def ask_supplement(self, draw: "Draw", dossier: Dossier, at: dt.datetime, **extra) -> None:
        services.request_supplement(
            dossier=dossier,
            version=None,
            user=draw.handler[1],
            items=self.supplement_items(dossier),
            at=self.step(at),
            **extra,
        )

    def supplied(self, dossier: Dossier, at: dt.datetime) -> None:
        services.record_supplement(
            dossier=dossier,
            version=None,
            user=self.clerk_of(dossier),
            note="Công dân nộp bổ sung tại Bộ phận một cửa",
            at=self.step(at),
        )

    def pay(self, draw: "Draw", dossier: Dossier, *, confirm: bool) -> None:
        asked = self.step(self.later(draw, dossier, self.rng.uniform(0.2, 2)))
        services.request_payment(
            dossier=dossier,
            version=None,
            user=draw.handler[1],
            amount=dossier.fee_amount or Decimal(self.rng.choice([50000, 100000, 200000])),
            note="Thông báo nộp phí, lệ phí",
            at=asked,
        )
        if confirm:
            services.confirm_payment(
                dossier=dossier,
                version=None,
                user=self.clerk_of(dossier),
                at=self.step(self.after(draw.desk, asked, self.rng.uniform(0.5, 8))),
            )

    # ------------------------------------------------------------ receipt moments

    def back_past_term(self, margin: float, oldest: float = 330) -> Callable[..., dt.datetime]:
        """A receipt at least the term plus ``margin`` working hours ago (~60 days at most)."""

        def moment(desk: Desk, variant: ProcedureVariant) -> dt.datetime:
            least = self.term_hours(variant) + margin
            if least > oldest:
                raise Skip
            return self.before(desk, self.now, self.rng.uniform(least, oldest))

        return moment

    def within_term(self, desk: Desk, variant: ProcedureVariant) -> dt.datetime:
        """Received recently enough to be within its term still."""
        longest = max(1.0, self.term_hours(variant) - 9)
        return self.before(desk, self.now, self.rng.uniform(0.5, longest))

    def due_at(self, target: Callable[[Desk], dt.datetime]) -> Callable[..., dt.datetime]:
        """Received so that the dossier falls due at ``target(desk)``."""
        return lambda desk, variant: self.receipt_for_due(desk, variant, target(desk))

    # ------------------------------------------------------------ scenarios

    def plan(self, name: str) -> "Plan":
        """Draw a scenario now (its receipt moment orders the intakes); run it later."""
        rng, now = self.rng, self.now
        if name in ("returned", "processed", "corrected"):
            recent = name == "processed"
            margin = 12 if recent else 30
            draw = self.draw(received=self.back_past_term(margin, 60 if recent else 330))
            return Plan(draw, lambda: self.processed_flow(draw, returned=not recent, name=name))
        if name == "immediate":
            draw = self.draw(
                immediate=True, received=lambda d, v: self.before(d, now, rng.uniform(4, 300))
            )
            draw.online = False
            return Plan(draw, lambda: self.immediate_flow(draw))
        if name in ("processing", "payment", "withdrawn", "withdrawal_requested"):
            draw = self.draw(received=self.within_term)
            return Plan(draw, lambda: self.open_flow(draw, name))
        if name in ("supplement", "never_supplied", "second_supplement"):
            draw = self.draw(received=self.within_term, longest=200)
            return Plan(draw, lambda: self.open_flow(draw, name))
        if name == "due_soon":  # due within the next working day ("sắp đến hạn")
            target = self.due_at(lambda d: self.after(d, now, rng.uniform(1, 7.5)))
            draw = self.draw(received=target, clock=True)
            return Plan(draw, lambda: self.open_flow(draw, name))
        if name == "about_to_cross":  # due a few minutes to two hours of working time ahead
            minutes = rng.choice([3, 5, 10, 20, 45, 90, 120])
            target = self.due_at(lambda d: self.after(d, now, minutes / 60))
            draw = self.draw(received=target, clock=True)
            return Plan(draw, lambda: self.open_flow(draw, name))
        if name == "overdue":
            draw = self.draw(
                received=self.due_at(lambda d: self.before(d, now, rng.uniform(1, 60)))
            )
            return Plan(draw, lambda: self.open_flow(draw, name))
        if name in ("apology", "late_apology", "apology_returned"):
            if name == "apology":  # on time; the new date is still ahead
                target = self.due_at(lambda d: self.after(d, now, rng.uniform(10, 30)))
            elif name == "late_apology":  # signed after its deadline, the day before due
                target = self.due_at(lambda d: self.after(d, now, rng.uniform(1, 4)))
            else:  # extended in time, processed by the new date and returned
                target = self.due_at(lambda d: self.before(d, now, rng.uniform(40, 80)))
            draw = self.draw(received=target, clock=True)
            return Plan(draw, lambda: self.apology_flow(draw, name))
        if name in ("received", "registered", "guided", "refused"):
            hours = 5 if name == "received" else 20
            draw = self.draw(received=lambda d, v: self.before(d, now, rng.uniform(0.1, hours)))
            return Plan(draw, lambda: self.intake_flow(draw, name))
        raise ValueError(name)

    def processed_flow(self, draw: "Draw", *, returned: bool, name: str) -> None:
        rng, desk = self.rng, draw.desk
        dossier = self.receive(draw)
        self.hand_to_officer(draw, dossier)
        if rng.random() < 0.15:  # asked for a supplement once, got it
            asked = self.later(draw, dossier, rng.uniform(1, 10))
            self.ask_supplement(draw, dossier, asked)
            self.supplied(dossier, self.after(desk, asked, rng.uniform(2, 24)))
        if draw.procedure.fees.all() and rng.random() < 0.5:
            self.pay(draw, dossier, confirm=True)
        dossier.refresh_from_db()
        total = max(0.5, self.term_hours(draw.variant))
        outcome = rng.choices(["early", "on_time", "late"], weights=[55, 32, 13])[0]
        if outcome == "early":
            finished = self.after(desk, draw.received, total * rng.uniform(0.3, 0.7))
        elif outcome == "on_time":
            finished = self.before(desk, dossier.due_at, rng.uniform(0.1, 1.5))
        else:
            finished = self.after(desk, dossier.due_at, rng.uniform(1, 20))
        finished = max(finished, self.later(draw, dossier, 0.5))
        self.to_head(draw, dossier, self.before(desk, finished, 0.25))
        self.complete(draw, dossier, finished)
        if returned:
            self.give_back(dossier, self.after(desk, finished, rng.uniform(0.5, 16)))
        if name == "corrected" and self.admin is not None:
            services.correct_returned(
                dossier=dossier,
                version=None,
                user=self.admin,
                reason="Trả nhầm kết quả, người nhận chưa ký sổ",
                at=self.step(self.later(draw, dossier, 0.2)),
            )

    def immediate_flow(self, draw: "Draw") -> None:
        dossier = self.receive(draw)
        self.hand_to_officer(draw, dossier)
        self.to_head(draw, dossier, self.later(draw, dossier, 0.1))
        self.complete(draw, dossier, self.later(draw, dossier, 0.1))
        self.give_back(dossier, self.later(draw, dossier, 0.1))

    def open_flow(self, draw: "Draw", name: str) -> None:
        """A dossier still in processing (or waiting) at the handling unit."""
        rng = self.rng
        dossier = self.receive(draw)
        self.hand_to_officer(draw, dossier)
        if name in ("processing", "overdue") and rng.random() < 0.3:
            head_at = self.later(draw, dossier, rng.uniform(0.5, 4))
            if head_at <= self.now:
                self.to_head(draw, dossier, head_at)
        elif name == "payment":
            self.pay(draw, dossier, confirm=False)
        elif name in ("supplement", "never_supplied"):
            asked = self.later(draw, dossier, rng.uniform(0.5, 6))
            self.ask_supplement(draw, dossier, asked)
            if name == "never_supplied":
                services.stop_dossier(
                    dossier=dossier,
                    version=None,
                    user=self.clerk_of(dossier),
                    reason="Quá thời hạn, công dân không nộp bổ sung hồ sơ",
                    at=self.step(self.after(draw.desk, asked, 4)),
                )
        elif name == "second_supplement":
            asked = self.later(draw, dossier, 0.5)
            self.ask_supplement(draw, dossier, asked)
            self.supplied(dossier, self.after(draw.desk, asked, 1))
            self.ask_supplement(
                draw,
                dossier,
                self.later(draw, dossier, 1),
                override_reason="Kết quả xác minh phát sinh yêu cầu mới (lãnh đạo đã đồng ý)",
            )
        elif name in ("withdrawn", "withdrawal_requested"):
            asked = self.step(self.later(draw, dossier, 0.5))
            services.request_withdrawal(
                dossier=dossier,
                version=None,
                user=self.clerk_of(dossier),
                channel_note="Công dân nộp đơn xin rút hồ sơ trực tiếp",
                at=asked,
            )
            if name == "withdrawn":
                services.stop_dossier(
                    dossier=dossier,
                    version=None,
                    user=self.clerk_of(dossier),
                    reason="Công dân rút hồ sơ",
                    at=self.step(self.after(draw.desk, asked, 0.5)),
                )

    def apology_flow(self, draw: "Draw", name: str) -> None:
        desk, rng = draw.desk, self.rng
        dossier = self.receive(draw)
        self.hand_to_officer(draw, dossier)
        due = dossier.due_at
        if name == "late_apology":
            signed = self.before(desk, self.now, 0.5)
        else:
            deadline = services.apology_deadline(dossier)
            signed = min(self.before(desk, deadline, rng.uniform(0.5, 4)), self.now)
        if signed <= self.later(draw, dossier, 0):
            raise Skip
        services.draft_apology(dossier=dossier, user=draw.handler[1], at=signed)
        new_due = self.after(desk, due, rng.choice([16, 24, 40]))
        services.approve_apology(
            dossier=dossier,
            version=None,
            user=draw.handler[2],
            reason=rng.choice(DELAY_REASONS),
            new_due_at=new_due,
            at=signed,
        )
        if name == "apology_returned":
            finished = self.before(desk, new_due, 3)
            self.to_head(draw, dossier, self.before(desk, finished, 0.25))
            self.complete(draw, dossier, finished)
            self.give_back(dossier, self.after(desk, finished, 2))

    def intake_flow(self, draw: "Draw", name: str) -> None:
        """At the desk: received and not handed over yet, or online and not received."""
        if name == "received":
            draw.online = False
            self.receive(draw)
            return
        registered = draw.received
        dossier = services.register_online(
            agency=draw.desk.agency,
            procedure=draw.procedure,
            variant=draw.variant,
            applicant=self.applicant(draw.desk),
            documents=self.documents(draw.procedure),
            registered_at=registered,
        )
        checked = self.after(draw.desk, registered, 0.5)
        if name == "guided":
            services.guide_registered(
                dossier=dossier,
                version=None,
                user=self.rng.choice(draw.desk.clerks),
                items=self.supplement_items(dossier),
                at=self.step(checked),
            )
        elif name == "refused":
            services.refuse_registered(
                dossier=dossier,
                version=None,
                user=self.rng.choice(draw.desk.clerks),
                reason="Yêu cầu không thuộc thẩm quyền giải quyết của đơn vị",
                at=self.step(checked),
            )


@dataclass
class Draw:
    desk: Desk
    procedure: Procedure
    variant: ProcedureVariant
    handler: tuple[Agency, User, User]
    received: dt.datetime
    online: bool


@dataclass
class Plan:
    draw: Draw
    run: Callable[[], None]


def load(stdout: TextIO) -> None:
    year = timezone.localdate().year
    created = seed_calendar(range(year - 1, year + 3))
    # A province that has been running: last year and this year were checked against
    # the Government's decisions; the next years wait for theirs (the admin and the
    # dashboard warn about the next one from 60 days ahead).
    CalendarYear.objects.filter(year__lte=year, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), basis="Dữ liệu trình diễn"
    )
    stdout.write(
        f"Working-day calendar {year - 1}–{year + 2}: {created} days added, "
        f"{CalendarDay.objects.count()} in total; {year - 1}–{year} confirmed"
    )
    if Dossier.objects.exists():
        stdout.write("Dossiers: some exist already, demo dossiers skipped")
        return
    stdout.write(f"Internal steps: {add_demo_steps()} procedures split their time")
    load_history(stdout)
    load_dossiers(stdout)
    counts = stats.rebuild()
    stdout.write(f"Dashboard figures: {counts['days']} agency-days")


def add_demo_steps() -> int:
    """Split the time of the demo's multi-day procedures into the usual two internal
    steps (appraisal by the specialist, signature by the head), so that control slips
    judge each step against its own deadline. Procedures with steps are left alone."""
    variants = ProcedureVariant.objects.filter(
        is_default=True, time_unit=TimeUnit.WORKING_DAYS, time_value__gte=3
    ).exclude(procedure__internal_steps__isnull=False)
    steps = []
    for variant in variants:
        hours = variant.time_value * 8
        steps += [
            ProcedureStep(
                procedure_id=variant.procedure_id,
                order=0,
                name="Công chức chuyên môn thẩm định hồ sơ",
                working_hours=Decimal(hours - 12),
            ),
            ProcedureStep(
                procedure_id=variant.procedure_id,
                order=1,
                name="Lãnh đạo xem xét, ký duyệt",
                working_hours=Decimal(8),
            ),
        ]
    ProcedureStep.objects.bulk_create(steps)
    return len(steps) // 2


def load_history(
    stdout: TextIO, *, now: dt.datetime | None = None, seed: int = 766, per_day: int = 14
) -> int:
    """Two years of finished dossiers before the demo's two busy months, so that the
    leaders' dashboard has trends to show: about ``per_day`` a working day across
    the desks, each received, handled and returned (or, a few, stopped) with its
    timeline, due dates from the real engine, 40 % early, 48 % on time, 12 % late.
    Written in bulk (the services would take minutes); the dashboard's figures are
    rebuilt from the dossiers afterwards (desk.stats.rebuild)."""
    now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    builder = DemoBuilder(now, rng)
    if not builder.desks:
        return 0
    tz = timezone.get_default_timezone()
    calendar = builder.calendar
    first = (now - dt.timedelta(days=730)).date()
    last = (now - dt.timedelta(days=1)).date()
    # The service-made dossiers of load_dossiers take their codes from 0001 on the
    # days of the last two months; history numbers from 0501 on those days.
    window = (now - dt.timedelta(days=70)).date()
    calendar.load_years(range(first.year, last.year + 1))
    weights = [DESK_WEIGHTS[d.agency.identifier] for d in builder.desks]
    dossiers: list[Dossier] = []
    stories: list[tuple[str, dt.datetime, dt.datetime, dt.datetime | None]] = []
    due_cache: dict[tuple, dt.datetime] = {}
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            numbers: dict[int, int] = {}
            for _ in range(rng.randint(per_day // 2, per_day * 3 // 2)):
                desk = rng.choices(builder.desks, weights=weights)[0]
                procedure, _unit = rng.choice(desk.procedures)
                variant = procedure.default_variant()
                if variant is None or variant.time_unit == TimeUnit.IMMEDIATE:
                    continue
                minute = rng.choice(
                    [*range(7 * 60 + 15, 11 * 60 + 15), *range(13 * 60 + 45, 16 * 60 + 45)]
                )
                received = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tz)
                key = (desk.agency.pk, received, variant.time_value, variant.time_unit)
                if key not in due_cache:
                    due_cache[key] = compute_due(
                        received,
                        variant.time_value,
                        variant.time_unit,
                        hours=WorkingHours.for_agency(desk.agency),
                        calendar=calendar,
                    ).due_at
                due = due_cache[key]
                span = max(due - received, dt.timedelta(hours=2))
                roll = rng.random()
                if roll < 0.40:  # early: a day or more before the due day
                    finished = received + span * rng.uniform(0.15, 0.6)
                elif roll < 0.88:  # on time: on the due day, before the due time
                    finished = due - dt.timedelta(minutes=rng.randint(10, 240))
                else:
                    finished = due + dt.timedelta(hours=rng.randint(2, 72))
                finished = max(finished, received + dt.timedelta(minutes=30))
                timeliness = services.judge(finished, due)
                stopped = rng.random() < 0.02
                returned = None if stopped else finished + dt.timedelta(hours=rng.randint(1, 48))
                if (returned or finished) >= now:
                    continue  # still open today: the service-made dossiers cover those
                number = numbers[desk.agency.pk] = numbers.get(desk.agency.pk, 0) + 1
                if day >= window:
                    number += 500
                applicant = builder.applicant(desk)
                handler = rng.choice(list(desk.handlers.values()))
                dossier = Dossier(
                    code=f"{desk.agency.identifier}-{day:%y%m%d}-{number:04d}",
                    receiving_agency=desk.agency,
                    current_agency=handler[0],
                    procedure=procedure,
                    variant=variant,
                    channel="online" if rng.random() < 0.3 else "desk",
                    state=State.STOPPED if stopped else State.RETURNED,
                    summary=procedure.name[:500],
                    applicant_name=applicant.name,
                    applicant_id_number=applicant.id_number,
                    applicant_birth_date=applicant.birth_date,
                    applicant_address=applicant.address,
                    applicant_phone=applicant.phone,
                    applicant_email=applicant.email,
                    applicant_folded=fold(applicant.name),
                    received_at=received,
                    received_by=rng.choice(desk.clerks),
                    due_at=due,
                    original_due_at=due,
                    finished_at=finished,
                    returned_at=returned,
                    timeliness=timeliness,
                    result_number="" if stopped else f"{rng.randint(1, 999)}/KQ",
                )
                dossiers.append(dossier)
                stories.append((handler, received, finished, returned))
        day += dt.timedelta(days=1)
    with transaction.atomic():
        Dossier.objects.bulk_create(dossiers, batch_size=2000)
        events = []
        for dossier, (handler, received, finished, returned) in zip(dossiers, stories, strict=True):
            unit, officer, _head = handler
            events.append(
                DossierEvent(
                    dossier=dossier,
                    kind=EventKind.RECEIVE,
                    actor=dossier.received_by,
                    at=received,
                    to_state=State.RECEIVED,
                    to_agency=dossier.receiving_agency,
                    to_user=dossier.received_by,
                )
            )
            handed = received + dt.timedelta(minutes=30)
            events.append(
                DossierEvent(
                    dossier=dossier,
                    kind=EventKind.HAND_OVER,
                    actor=dossier.received_by,
                    at=handed,
                    from_state=State.RECEIVED,
                    to_state=State.PROCESSING,
                    from_agency=dossier.receiving_agency,
                    to_agency=unit,
                    to_user=officer,
                    step_due_at=dossier.due_at,
                    step_finished_at=finished,
                    step_timeliness=dossier.timeliness,
                )
            )
            if dossier.state == State.STOPPED:
                events.append(
                    DossierEvent(
                        dossier=dossier,
                        kind=EventKind.STOP,
                        actor=officer,
                        at=finished,
                        from_state=State.PROCESSING,
                        to_state=State.STOPPED,
                        note="Công dân rút hồ sơ",
                    )
                )
                continue
            events.append(
                DossierEvent(
                    dossier=dossier,
                    kind=EventKind.COMPLETE,
                    actor=officer,
                    at=finished,
                    from_state=State.PROCESSING,
                    to_state=State.PROCESSED,
                )
            )
            events.append(
                DossierEvent(
                    dossier=dossier,
                    kind=EventKind.RETURN,
                    actor=dossier.received_by,
                    at=returned,
                    from_state=State.PROCESSED,
                    to_state=State.RETURNED,
                )
            )
        DossierEvent.objects.bulk_create(events, batch_size=5000)
    stdout.write(f"History: {len(dossiers)} finished dossiers over two years")
    return len(dossiers)


def load_dossiers(stdout: TextIO, *, now: dt.datetime | None = None, seed: int = 2026) -> int:
    """Create the demo dossiers; returns how many. ``now`` defaults to the current minute."""
    now = timezone.localtime(now or timezone.now()).replace(second=0, microsecond=0)
    builder = DemoBuilder(now, random.Random(seed))
    if not builder.desks:
        stdout.write("Dossiers: no desk with staff and procedures, skipped")
        return 0
    plans: list[tuple[str, Plan]] = []
    for name, count in PLAN:
        for _ in range(count):
            plan = _retry(lambda name=name: builder.plan(name))
            if plan is not None:
                plans.append((name, plan))
    # Intakes in the order they happened, so that codes and tracking-book numbers
    # count up through each day as they would at a real desk.
    plans.sort(key=lambda item: item[1].draw.received)
    made = 0
    for name, plan in plans:
        if _retry(lambda plan=plan: _atomic(plan.run)) is not None:
            made += 1
        elif _retry(lambda name=name: _atomic(builder.plan(name).run)) is not None:
            made += 1  # drawn again: this one is out of order, which nobody will notice
    by_state = Dossier.objects.values_list("state").annotate(n=Count("pk")).order_by("state")
    summary = ", ".join(f"{State(state).label} {n}" for state, n in by_state)
    stdout.write(f"Dossiers: {Dossier.objects.count()} ({summary})")
    return made


def _atomic(run: Callable[[], None]) -> bool:
    # A scenario that does not fit leaves nothing behind, not even a used code number.
    with transaction.atomic():
        run()
    return True


def _retry[T](build: Callable[[], T], tries: int = 8) -> T | None:
    for _ in range(tries):
        try:
            return build()
        except Skip:
            continue
    return None
