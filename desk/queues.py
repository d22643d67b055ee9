"""Work queues (danh sách hồ sơ cần xử lý): which dossiers each tab lists, the
filters and search box, the tab counts, and keyset pagination.

Built to stay fast at a province's million dossiers (bench/bench_desk.py):

* every tab starts from ``Dossier.objects.visible_to(user)``, computed once per
  request, so the scoping query (a leader's agency subtree) runs once;
* pages are read by seeking on (received_at DESC, id DESC), the order of the
  indexes in desk/models/dossier.py, never with OFFSET: page 50 costs what
  page 1 costs. Registrations not yet received have no received_at and sort
  first (PostgreSQL's DESC puts NULLs first, and so does the cursor logic);
* there is no COUNT(*) of the filtered list; the tab counts are one statement
  of capped counts (``COUNT_CAP``), so "all" for a provincial leader reads at
  most COUNT_CAP + 1 index entries instead of a million rows;
* the number of queries per page is fixed: it does not grow with the page size,
  the depth or the number of rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.fields import DayMonthYearField
from procedures.models import Role, User
from procedures.text import fold

from .clock import calendar_for, due_soon_until, is_due_soon
from .deadlines import DEFAULT_HOURS, WorkingHours
from .models import OPEN_STATES, Channel, Dossier, State

# Tab counts stop at this many; the tab then shows "1 000+".
COUNT_CAP = 1000
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = PAGE_SIZES[0]
CURSOR_SALT = "desk.queue.cursor"

CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
ID_NUMBER_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    description: str


TABS = (
    Tab("mine", _("Của tôi"), _("Hồ sơ đang mở do tôi giữ")),
    Tab("unit", _("Của đơn vị"), _("Hồ sơ đang mở tại đơn vị tôi")),
    Tab("due_soon", _("Sắp đến hạn"), _("Hạn trả trong vòng một ngày làm việc")),
    Tab("overdue", _("Quá hạn"), _("Đã quá hạn mà chưa có kết quả")),
    Tab("supplement", _("Chờ bổ sung"), _("Đang chờ công dân bổ sung hồ sơ")),
    Tab("ready", _("Chờ trả kết quả"), _("Đã có kết quả, chờ trả cho công dân")),
    Tab("registered", _("Đăng ký trực tuyến"), _("Hồ sơ nộp trực tuyến chờ tiếp nhận")),
    Tab("all", _("Tất cả"), _("Mọi hồ sơ tôi được xem")),
)
TAB_KEYS = tuple(tab.key for tab in TABS)
# Tabs limited to open, ready or registered dossiers: a few thousand rows at most
# even for a provincial leader (keyset_page's ``bounded``).
BOUNDED_TABS = frozenset(TAB_KEYS) - {"all"}
# "all" shows no count: for a ward of 100,000 dossiers it would always read
# "1 000+", and even capped it costs a scan of thousands of rows per page.
COUNTED_TABS = tuple(key for key in TAB_KEYS if key != "all")
# Who may open the queues at all (desk/views/queues.py).
QUEUE_ROLES = (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR)


def default_tab(user: User) -> str:
    """People who hold dossiers start on their own; leaders and administrators on all."""
    if any(user.has_role(role) for role in (Role.CLERK, Role.OFFICER, Role.UNIT_HEAD)):
        return "mine"
    return "all"


# ---------------------------------------------------------------- tabs


@dataclass(frozen=True)
class QueueClock:
    """ "Now" and "one working day from now" for one request."""

    now: dt.datetime
    due_soon_until: dt.datetime

    @classmethod
    def for_user(cls, user: User, now: dt.datetime | None = None) -> QueueClock:
        """One working day ahead on the user's agency hours and the database calendar
        (one query for the calendar; ``user.agency`` is cached for base.html too)."""
        now = now or timezone.now()
        agency = user.agency if user.agency_id else None
        hours = WorkingHours.for_agency(agency) if agency is not None else DEFAULT_HOURS
        return cls(now=now, due_soon_until=due_soon_until(now, hours, calendar_for(now)))


def tab_queryset(
    visible: QuerySet[Dossier], key: str, user: User, clock: QueueClock
) -> QuerySet[Dossier]:
    """The dossiers of tab ``key`` among ``visible`` (already scoped to the user)."""
    if key == "mine":
        return visible.filter(current_holder=user, state__in=OPEN_STATES)
    if key == "unit":
        if user.agency_id is None:
            return visible.none()
        return visible.filter(current_agency_id=user.agency_id, state__in=OPEN_STATES)
    if key == "due_soon":
        return visible.due_before(clock.due_soon_until, now=clock.now)
    if key == "overdue":
        return visible.overdue(now=clock.now)
    if key == "supplement":
        return visible.filter(state=State.SUPPLEMENT)
    if key == "ready":
        return visible.filter(state=State.PROCESSED)
    if key == "registered":
        return visible.filter(state=State.REGISTERED)
    return visible


def tab_counts(visible: QuerySet[Dossier], user: User, clock: QueueClock) -> dict[str, int]:
    """How many dossiers each tab of COUNTED_TABS holds, capped at COUNT_CAP + 1,
    in ONE statement.

    Each tab's count reads at most COUNT_CAP + 1 rows of its own index
    (``SELECT count(*) FROM (... LIMIT cap + 1)``), so the cost does not grow with
    the table; the Django querysets are compiled and put side by side in one
    SELECT so the whole set costs a single round trip.
    """
    parts: list[str] = []
    params: list[Any] = []
    keys: list[str] = []
    empty: list[str] = []
    for key in COUNTED_TABS:
        queryset = tab_queryset(visible, key, user, clock).order_by().values("pk")[: COUNT_CAP + 1]
        try:
            sql, sql_params = queryset.query.sql_with_params()
        except EmptyResultSet:  # .none(): no agency, nothing visible
            empty.append(key)
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) AS {key}_rows)")
        params.extend(sql_params)
        keys.append(key)
    counts = dict.fromkeys(empty, 0)
    if parts:
        with connections[visible.db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(keys, cursor.fetchone(), strict=True))
    return counts


def count_label(count: int) -> str:
    """ "1 000+" past the cap; thousands grouped with a space as Vietnamese prints them."""
    if count > COUNT_CAP:
        return f"{COUNT_CAP:,}+".replace(",", " ")
    return f"{count:,}".replace(",", " ")


# ---------------------------------------------------------------- search and filters


def search(queryset: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """The search box: an exact dossier code, an exact 12-digit identification
    number, or a name typed with or without diacritics, matched from the start of
    a word of the applicant's folded name: "nguyen van an", "van an" and "an" all
    find "Nguyễn Văn An"; "inh" does not find "Bình".

    Indexes (desk/models/dossier.py, desk/migrations/0004): a pattern btree for
    the prefix of the whole name, a pg_trgm GIN index for a phrase inside it.
    """
    query = " ".join(query.split())
    if not query:
        return queryset
    if CODE_RE.match(query.upper()):
        return queryset.filter(code=query.upper())
    if ID_NUMBER_RE.match(query):
        return queryset.filter(applicant_id_number=query)
    phrase = fold(query)
    if not phrase:
        return queryset.none()
    return queryset.filter(
        Q(applicant_folded__startswith=phrase) | Q(applicant_folded__contains=f" {phrase}")
    )


class QueueFilterForm(forms.Form):
    """The queue's search box and filters (validation only). Bad values are
    ignored with a notice, never a 500: a bookmarked address must keep working."""

    view = forms.ChoiceField(choices=[(t.key, t.label) for t in TABS], required=False)
    q = forms.CharField(label=_("Tìm kiếm"), max_length=100, required=False, strip=True)
    field = forms.TypedChoiceField(
        label=_("Lĩnh vực"), required=False, coerce=int, empty_value=None
    )
    state = forms.TypedChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Mọi trạng thái")), *State.choices],
        required=False,
        coerce=int,
        empty_value=None,
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[("", _("Mọi hình thức")), *Channel.choices],
        required=False,
    )
    # The template writes the controls itself (templates/desk/queue.html).
    received_from = DayMonthYearField(label=_("Tiếp nhận từ ngày"), required=False)
    received_to = DayMonthYearField(label=_("Đến ngày"), required=False)
    per_page = forms.TypedChoiceField(
        label=_("Số dòng mỗi trang"),
        choices=[(n, n) for n in PAGE_SIZES],
        required=False,
        coerce=int,
        empty_value=DEFAULT_PAGE_SIZE,
    )

    def __init__(self, *args: Any, fields: list[tuple[int, str]], **kwargs: Any) -> None:
        """``fields`` are the procedure fields' (pk, name), read once by the view."""
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Mọi lĩnh vực")), *fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def valid_data(self) -> dict[str, Any]:
        """The fields that validated; the others count as not given."""
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name] for name in self.fields if name in data and name not in self.errors
        }

    def ignored_labels(self) -> list[str]:
        return [str(self.fields[name].label or name) for name in self.errors if name in self.fields]


def apply_filters(queryset: QuerySet[Dossier], data: dict[str, Any]) -> QuerySet[Dossier]:
    if data.get("field"):
        queryset = queryset.filter(procedure__field_id=data["field"])
    if data.get("state"):
        queryset = queryset.filter(state=data["state"])
    if data.get("channel"):
        queryset = queryset.filter(channel=data["channel"])
    tz = timezone.get_default_timezone()
    if data.get("received_from"):
        start = dt.datetime.combine(data["received_from"], dt.time.min, tz)
        queryset = queryset.filter(received_at__gte=start)
    if data.get("received_to"):
        end = dt.datetime.combine(data["received_to"] + dt.timedelta(days=1), dt.time.min, tz)
        queryset = queryset.filter(received_at__lt=end)
    return search(queryset, data.get("q") or "")


# ---------------------------------------------------------------- keyset pagination


@dataclass(frozen=True)
class Cursor:
    """A position in (received_at DESC NULLS FIRST, id DESC) order.

    ``backwards`` cursors come from "Trang trước" links: they point at the first
    row of the page being left and ask for the rows before it.
    """

    received_at: dt.datetime | None
    pk: int
    backwards: bool = False

    def sign(self) -> str:
        stamp = self.received_at.isoformat() if self.received_at is not None else None
        return signing.dumps([stamp, self.pk, "p" if self.backwards else "n"], salt=CURSOR_SALT)

    @classmethod
    def load(cls, token: str | None) -> Cursor | None:
        """The cursor in ``token``, or None when absent, forged, or malformed (the
        queue then shows its first page)."""
        if not token:
            return None
        try:
            stamp, pk, direction = signing.loads(token, salt=CURSOR_SALT)
            received_at = dt.datetime.fromisoformat(stamp) if stamp is not None else None
            if received_at is not None and timezone.is_naive(received_at):
                return None
            if not isinstance(pk, int) or isinstance(pk, bool) or pk <= 0:
                return None
            if direction not in ("n", "p"):
                return None
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return cls(received_at=received_at, pk=pk, backwards=direction == "p")

    @classmethod
    def at(cls, dossier: Dossier, *, backwards: bool) -> Cursor:
        return cls(received_at=dossier.received_at, pk=dossier.pk, backwards=backwards)


NEWEST_FIRST = (F("received_at").desc(nulls_first=True), F("pk").desc())
OLDEST_FIRST = (F("received_at").asc(nulls_last=True), F("pk").asc())
# The same order on "received_at + 0": no index can walk it, so PostgreSQL fetches
# the tab's matches through its selective index (state, agency, due date) and
# sorts them. Used for the tabs of open, ready and registered dossiers, which hold
# a few thousand rows at most: walking the (received_at, id) index for them reads
# tens of thousands of rows when the matches are old (overdue dossiers are), and
# the planner cannot know that (bench/README.md, "Work queues").
_RECEIVED_SORT_KEY = ExpressionWrapper(
    F("received_at") + Value(dt.timedelta(0)), output_field=DateTimeField()
)
NEWEST_FIRST_SORTED = (_RECEIVED_SORT_KEY.desc(nulls_first=True), F("pk").desc())
OLDEST_FIRST_SORTED = (_RECEIVED_SORT_KEY.asc(nulls_last=True), F("pk").asc())


def _after(cursor: Cursor) -> Q:
    """Rows after ``cursor`` in NEWEST_FIRST order."""
    if cursor.received_at is None:
        return Q(received_at__isnull=True, pk__lt=cursor.pk) | Q(received_at__isnull=False)
    # The redundant "<=" bound lets PostgreSQL start the index scan at the cursor.
    return Q(received_at__lte=cursor.received_at) & (
        Q(received_at__lt=cursor.received_at) | Q(received_at=cursor.received_at, pk__lt=cursor.pk)
    )


def _before(cursor: Cursor) -> Q:
    """Rows before ``cursor`` in NEWEST_FIRST order (read in OLDEST_FIRST order)."""
    if cursor.received_at is None:
        return Q(received_at__isnull=True, pk__gt=cursor.pk)
    return (
        Q(received_at__gt=cursor.received_at)
        | Q(received_at=cursor.received_at, pk__gt=cursor.pk)
        | Q(received_at__isnull=True)
    )


@dataclass
class Page:
    rows: list[Dossier]
    next_cursor: str | None
    previous_cursor: str | None
    size: int

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def keyset_page(
    queryset: QuerySet[Dossier], cursor: Cursor | None, size: int, *, bounded: bool = False
) -> Page:
    """One page of ``queryset`` in one query, reading ``size`` + 1 rows to know
    whether another page follows.

    ``bounded``: the queryset is one of the small tabs (BOUNDED_TABS). Its
    matches are then ranked inside a subquery that PostgreSQL answers from the
    covering partial indexes alone (dossier_open_due, dossier_waiting: no table
    access), and only the page's rows are read from the table (a "deferred
    join"); the sort key is NEWEST_FIRST_SORTED so that the planner does not walk
    the (received_at, id) index instead.
    """
    newest_first = NEWEST_FIRST_SORTED if bounded else NEWEST_FIRST
    oldest_first = OLDEST_FIRST_SORTED if bounded else OLDEST_FIRST
    backwards = cursor is not None and cursor.backwards
    if cursor is not None:
        queryset = queryset.filter(_before(cursor) if backwards else _after(cursor))
    order = oldest_first if backwards else newest_first
    if bounded:
        page_keys = queryset.order_by(*order).values("pk")[: size + 1]
        queryset = Dossier.objects.filter(pk__in=page_keys)
    rows = list(for_listing(queryset).order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, cursor is not None
    return Page(
        rows=rows,
        next_cursor=Cursor.at(rows[-1], backwards=False).sign() if has_next and rows else None,
        previous_cursor=Cursor.at(rows[0], backwards=True).sign()
        if has_previous and rows
        else None,
        size=size,
    )


# Columns the table shows; everything else stays in the database.
LIST_COLUMNS = (
    "code",
    "applicant_name",
    "received_at",
    "due_at",
    "state",
    "paused_at",
    "extended",
    "channel",
    "procedure",
    "procedure__code",
    "procedure__name",
    "current_holder",
    "current_holder__username",
    "current_holder__first_name",
    "current_holder__last_name",
)


def for_listing(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.select_related("procedure", "current_holder").only(*LIST_COLUMNS)


@dataclass(frozen=True)
class Row:
    """A table row: the dossier and its deadline markers, computed without a query."""

    dossier: Dossier
    overdue: bool
    due_soon: bool
    paused: bool
    state_label: str


def rows_for(page: Page, clock: QueueClock) -> list[Row]:
    # Translated once per page: get_state_display() hashes every lazy label of
    # the field's choices on each call (ten translations per row).
    state_labels = {value: str(label) for value, label in State.choices}
    out = []
    for dossier in page.rows:
        open_ = dossier.state in OPEN_STATES
        paused = open_ and dossier.paused_at is not None
        overdue = dossier.is_overdue(clock.now)
        due_soon = is_due_soon(dossier, clock.now, clock.due_soon_until)
        out.append(
            Row(
                dossier=dossier,
                overdue=overdue,
                due_soon=due_soon,
                paused=paused,
                state_label=state_labels.get(dossier.state, str(dossier.state)),
            )
        )
    return out
