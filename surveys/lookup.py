"""What the public lookup shows about a dossier (tra cứu hồ sơ), and nothing more.

The citizen holds the receipt: the code, the lookup key, their own name. The page
shows the masked name at most, no identification number, address or phone, and no
staff names: the timeline names units and steps only (docs/domain.md §12).

This page is the one citizens reload on their phones, and its benchmark runs on a
million dossiers (bench/bench_lookup.py): ``lookup_page`` reads it in one prepared
statement into plain values, and the view keeps the rendered page in Redis until
the dossier changes (surveys/lookup_cache.py). The rating and PDF pages, which
need model instances, use ``find_dossier``.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import (
    OPEN_STATES,
    Delivery,
    Dossier,
    DossierEvent,
    EventKind,
    State,
    SupplementRequest,
    mask_name,
)
from desk.models.dossier import lookup_key_matches
from procedures.models import Agency, Procedure, desk_display_name

from .models import Rating
from .services import rating_link_closes

# A fixed key to compare against when the code is unknown, so that a wrong code
# and a wrong key take the same path (constant-time comparison either way).

# What each state means for the citizen, in plain words (docs/domain.md §5).
STATE_MEANINGS: dict[int, Any] = {
    State.REGISTERED: _(
        "Hồ sơ đã được đăng ký trực tuyến và đang chờ Bộ phận một cửa kiểm tra, tiếp nhận."
    ),
    State.RECEIVED: _(
        "Bộ phận một cửa đã tiếp nhận hồ sơ và đang chuyển đến cơ quan có thẩm quyền giải quyết."
    ),
    State.NOT_RECEIVED: _(
        "Hồ sơ không được tiếp nhận. Lý do được ghi trong phiếu từ chối tiếp nhận đã giao cho Ông/Bà."
    ),
    State.PROCESSING: _("Hồ sơ đang được cơ quan có thẩm quyền giải quyết."),
    State.SUPPLEMENT: _(
        "Hồ sơ cần bổ sung, hoàn thiện. Thời hạn giải quyết tạm dừng cho đến khi "
        "Ông/Bà nộp đủ giấy tờ dưới đây."
    ),
    State.AWAITING_PAYMENT: _(
        "Hồ sơ đang chờ Ông/Bà thực hiện nghĩa vụ tài chính (nộp phí, lệ phí hoặc thuế)."
    ),
    State.WITHDRAWAL_REQUESTED: _(
        "Ông/Bà đã yêu cầu rút hồ sơ; cơ quan đang làm thủ tục dừng giải quyết."
    ),
    State.STOPPED: _(
        "Hồ sơ đã dừng giải quyết. Lý do được ghi trong thông báo dừng giải quyết hồ sơ."
    ),
    State.PROCESSED: _("Hồ sơ đã có kết quả. Mời Ông/Bà đến nhận kết quả."),
    State.RETURNED: _("Kết quả đã được trả cho Ông/Bà. Cảm ơn Ông/Bà đã sử dụng dịch vụ."),
}

_DOSSIER_COLUMNS = (
    "id",
    "lookup_key",
    "state",
    "applicant_name",
    "received_at",
    "due_at",
    "original_due_at",
    "paused_at",
    "finished_at",
    "returned_at",
    "extended",
    "intake_guidance",
    "supplement_count",
    "delivery",
    "fee_amount",
)
_AGENCY_COLUMNS = (
    "name",
    "desk_name",
    "address",
    "morning_start",
    "morning_end",
    "afternoon_start",
    "afternoon_end",
)
# The columns the rating pages read (the rest load on access, e.g. for a PDF): one
# narrow indexed query, without the procedure's long published texts. The lookup
# page itself reads its own columns in one statement (lookup_page).
LOOKUP_FIELDS = (
    "code",
    *_DOSSIER_COLUMNS[1:],
    "procedure__name",
    "procedure__code",
    *(f"receiving_agency__{name}" for name in _AGENCY_COLUMNS),
)

# Forms a citizen may download from the lookup page (masked, see views/lookup.py).
PUBLIC_FORMS = ("supplement", "apology", "stop")


def normalise(code: str, key: str) -> tuple[str, str]:
    """The code and key as printed, whatever the case and the spaces or dashes typed."""
    code = (code or "").strip().upper()[:40]
    key = (key or "").strip().upper().replace(" ", "").replace("-", "")[:32]
    return code, key


def find_dossier(code: str, key: str) -> Dossier | None:
    """The dossier with this code if ``key`` is its lookup key; None otherwise.

    A wrong key and an unknown code give the same None after the same comparison.
    """
    code, key = normalise(code, key)
    dossier = None
    if code and key:
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency")
            .only(*LOOKUP_FIELDS)
            .filter(code=code)
            .first()
        )
    return dossier if lookup_key_matches(dossier and dossier.lookup_key, key) else None


@dataclass(slots=True)
class TimelineRow:
    at: dt.datetime
    label: str
    unit: str

    @property
    def iso(self) -> str:
        return timezone.localtime(self.at).isoformat()

    @property
    def when(self) -> str:
        return _when(self.at)


@dataclass(slots=True)
class PublicDossier:
    """Everything the lookup page shows, read in one query and computed once.

    Plain values, not model instances: the page is read-only, and building it is
    the bulk of a lookup's cost (bench/bench_lookup.py).
    """

    code: str
    state: int
    masked_name: str
    procedure_name: str
    desk_name: str
    desk_address: str
    hours: tuple[dt.time, dt.time, dt.time, dt.time]
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    paused_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    fee_amount: Decimal = Decimal(0)
    delivery: str = Delivery.DESK
    timeline: list[TimelineRow] = field(default_factory=list)
    supplement_items: list[dict[str, str]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    overdue: bool = False
    moved_from: dt.datetime | None = None
    apology_moved: bool = False
    collect_here: bool = False
    can_rate: bool = False
    rated: bool = False
    rating_closes: dt.datetime | None = None
    key: str = ""

    @property
    def query(self) -> str:
        """The code and key as a query string, for this page's links (the same
        whatever the visitor typed, so that the page can be shared from cache)."""
        return urlencode({"ma": self.code, "khoa": self.key})

    def changes_with_time(self, now: dt.datetime) -> dt.datetime | None:
        """When the page would read differently without any write: the appointment
        passing (the overdue notice appears), the rating link closing."""
        moments = []
        if (
            self.state in OPEN_STATES
            and self.paused_at is None
            and self.due_at
            and self.due_at > now
        ):
            moments.append(self.due_at)
        if self.can_rate and self.rating_closes:
            moments.append(self.rating_closes)
        return min(moments, default=None)

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def meaning(self) -> Any:
        return STATE_MEANINGS[self.state]

    @property
    def delivery_label(self) -> str:
        return Delivery(self.delivery).label

    @property
    def received(self) -> str:
        return _when(self.received_at)

    @property
    def due(self) -> str:
        return _when(self.due_at)

    @property
    def returned(self) -> str:
        return _when(self.returned_at)

    @property
    def finished(self) -> str:
        return _when(self.finished_at)

    @property
    def moved(self) -> str:
        return _when(self.moved_from)

    @property
    def paused_since(self) -> str:
        return timezone.localtime(self.paused_at).strftime("%d/%m/%Y") if self.paused_at else ""

    @property
    def opening_hours(self) -> list[str]:
        return [t.strftime("%H:%M") for t in self.hours]


def _when(value: dt.datetime | None) -> str:
    """ "H:i d/m/Y" in the local time zone, as the staff pages print it."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _unit(kind: str, source: str | None, target: str | None, desk_name: str) -> str:
    """The unit a step happened at: the desk for intake and return, else where it went."""
    if kind in (EventKind.RECEIVE, EventKind.RETURN, EventKind.REGISTER):
        return desk_name
    return target or source or desk_name


# Timeline steps the citizen does not see.
_HIDDEN_EVENTS = (EventKind.NOTE, EventKind.CORRECT)


@functools.cache
def _page_sql() -> str:
    """The lookup page in one statement: the dossier by its unique code with its
    procedure's name, its desk and whether it was rated, joined to its visible
    timeline (one row per event, or one row with no event). Plain SQL that
    PostgreSQL and SQLite (the demo) both run, with the tables' names from the models.
    """
    qn = connection.ops.quote_name

    def cols(alias: str, model, names) -> str:
        return ", ".join(f"{alias}.{qn(model._meta.get_field(n).column)}" for n in names)

    table = {m: qn(m._meta.db_table) for m in (Dossier, Procedure, Agency, DossierEvent, Rating)}
    hidden = ", ".join(f"'{kind.value}'" for kind in _HIDDEN_EVENTS)
    return (
        f"SELECT {cols('d', Dossier, _DOSSIER_COLUMNS)}, p.{qn('name')}, "
        f"{cols('a', Agency, _AGENCY_COLUMNS)}, "
        f"EXISTS (SELECT 1 FROM {table[Rating]} r WHERE r.{qn('dossier_id')} = d.{qn('id')}), "
        f"e.{qn('kind')}, e.{qn('at')}, fa.{qn('name')}, ta.{qn('name')} "
        f"FROM {table[Dossier]} d "
        f"JOIN {table[Procedure]} p ON p.{qn('id')} = d.{qn('procedure_id')} "
        f"JOIN {table[Agency]} a ON a.{qn('id')} = d.{qn('receiving_agency_id')} "
        f"LEFT JOIN {table[DossierEvent]} e ON e.{qn('dossier_id')} = d.{qn('id')} "
        f"AND e.{qn('kind')} NOT IN ({hidden}) "
        f"LEFT JOIN {table[Agency]} fa ON fa.{qn('id')} = e.{qn('from_agency_id')} "
        f"LEFT JOIN {table[Agency]} ta ON ta.{qn('id')} = e.{qn('to_agency_id')} "
        f"WHERE d.{qn('code')} = %s ORDER BY e.{qn('at')}, e.{qn('id')}"
    )


def _statement_cursor():
    """A cursor for a statement run on every lookup.

    On PostgreSQL its parameters are bound on the server (Django's cursors bind
    them in the client, so each lookup's text differs), so that psycopg prepares
    the statement after its fifth run on a connection and PostgreSQL stops
    planning six joins per lookup: planning took 0.65 of its 0.75 ms. It stays
    inside Django's cursor wrapper (errors, query logging and counts as usual).
    DB_PREPARE_THRESHOLD (config/settings.py) sets after how many runs, or none.
    """
    cursor = connection.cursor()
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.base import ServerBindingCursor

        client_side, cursor.cursor = cursor.cursor, ServerBindingCursor(connection.connection)
        client_side.close()
    return cursor


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """PostgreSQL returns aware datetimes; SQLite's driver naive ones, in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def lookup_page(code: str, key: str, *, now: dt.datetime | None = None) -> PublicDossier | None:
    """What the lookup page shows for this code if ``key`` is its lookup key; None
    otherwise (after the same comparison whether the code exists or not).

    One query (two for a dossier waiting for a supplement: the list of what to bring).
    """
    code, key = normalise(code, key)
    rows = []
    if code and key:
        with _statement_cursor() as cursor:
            cursor.execute(_page_sql(), [code])
            rows = cursor.fetchall()
    if not lookup_key_matches(rows[0][1] if rows else None, key):
        return None
    (
        pk,
        _key,
        state,
        applicant_name,
        received_at,
        due_at,
        original_due_at,
        paused_at,
        finished_at,
        returned_at,
        extended,
        intake_guidance,
        supplement_count,
        delivery,
        fee_amount,
        procedure_name,
        agency_name,
        desk_name,
        address,
        *hours,
        rated,
    ) = rows[0][: len(_DOSSIER_COLUMNS) + 1 + len(_AGENCY_COLUMNS) + 1]
    received_at, due_at, original_due_at = map(_aware, (received_at, due_at, original_due_at))
    paused_at, finished_at, returned_at = map(_aware, (paused_at, finished_at, returned_at))
    extended, rated = bool(extended), bool(rated)
    timeline_desk = desk_name or desk_display_name(agency_name)
    view = PublicDossier(
        code=code,
        key=key,
        state=state,
        masked_name=mask_name(applicant_name),
        procedure_name=procedure_name,
        desk_name=desk_name or agency_name,
        desk_address=address,
        hours=tuple(hours),
        received_at=received_at,
        due_at=due_at if state != State.NOT_RECEIVED else None,
        paused_at=paused_at,
        finished_at=finished_at,
        returned_at=returned_at,
        fee_amount=Decimal(str(fee_amount)),
        delivery=delivery,
        rated=rated,
        timeline=[
            TimelineRow(
                at=_aware(at),
                label=EventKind(kind).label,
                unit=_unit(kind, source, target, timeline_desk),
            )
            for *_columns, kind, at, source, target in rows
            if kind is not None
        ],
    )
    now = now or timezone.now()
    view.overdue = (
        state in OPEN_STATES and paused_at is None and due_at is not None and due_at < now
    )
    if original_due_at and due_at and original_due_at != due_at:
        view.moved_from = original_due_at
        view.apology_moved = extended
    if state == State.SUPPLEMENT:
        items = (
            SupplementRequest.objects.filter(dossier_id=pk, supplied_at__isnull=True)
            .order_by("-pk")
            .values_list("items", flat=True)
            .first()
        )
        view.supplement_items = list(items or [])
    elif state == State.REGISTERED and intake_guidance:
        view.supplement_items = [
            {"name": line, "reason": ""} for line in intake_guidance.splitlines() if line.strip()
        ]
    if intake_guidance or supplement_count:
        view.forms.append("supplement")
    if extended:
        view.forms.append("apology")
    if state == State.STOPPED:
        view.forms.append("stop")
    view.collect_here = state == State.PROCESSED and delivery == Delivery.DESK
    if state == State.RETURNED and returned_at is not None:
        view.rating_closes = rating_link_closes(returned_at)
        view.can_rate = not rated and now <= view.rating_closes
    return view
