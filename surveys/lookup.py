"""What the public lookup shows about a dossier (tra cứu hồ sơ), and nothing more.

The citizen holds the receipt: the code, the lookup key, their own name. The page
shows the masked name at most, no identification number, address or phone, and no
staff names: the timeline names units and steps only (domain.md §12).

Reads are kept to a handful of indexed queries: this page is the one citizens
reload on their phones, and its benchmark runs on a million dossiers.
"""

import datetime as dt
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.models import Delivery, Dossier, DossierEvent, EventKind, State

from .models import Rating

# A fixed key to compare against when the code is unknown, so that a wrong code
# and a wrong key take the same path (constant-time comparison either way).
_DUMMY_KEY = "X" * 16

# What each state means for the citizen, in plain words (domain.md §5).
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

# The columns the public pages read (the rest load on access, e.g. for a PDF): one
# narrow indexed query, without the procedure's long published texts.
LOOKUP_FIELDS = (
    "code",
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
    "procedure__name",
    "procedure__code",
    "receiving_agency__name",
    "receiving_agency__desk_name",
    "receiving_agency__address",
    "receiving_agency__morning_start",
    "receiving_agency__morning_end",
    "receiving_agency__afternoon_start",
    "receiving_agency__afternoon_end",
)

# Forms a citizen may download from the lookup page (masked, see views/lookup.py).
PUBLIC_FORMS = ("supplement", "apology", "stop")


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" -> "N***** V** An", as ``Dossier.masked_applicant_name``."""
    parts = name.split()
    if not parts:
        return ""
    if len(parts) == 1:
        return name[:1] + "***"
    return " ".join([p[0] + "*" * (len(p) - 1) for p in parts[:-1]] + [parts[-1]])


def find_dossier(code: str, key: str) -> Dossier | None:
    """The dossier with this code if ``key`` is its lookup key; None otherwise.

    A wrong key and an unknown code give the same None after the same comparison.
    """
    code = (code or "").strip().upper()[:40]
    key = (key or "").strip().upper().replace(" ", "").replace("-", "")[:32]
    dossier = None
    if code and key:
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency")
            .only(*LOOKUP_FIELDS)
            .annotate(rated=Exists(Rating.objects.filter(dossier=OuterRef("pk"))))
            .filter(code=code)
            .first()
        )
    expected = dossier.lookup_key if dossier is not None else _DUMMY_KEY
    matches = hmac.compare_digest(expected.encode(), key.encode())
    return dossier if matches and dossier is not None else None


@dataclass
class TimelineRow:
    at: dt.datetime
    label: str
    unit: str


@dataclass
class PublicDossier:
    """Everything the lookup page shows, computed once."""

    dossier: Dossier
    meaning: Any
    timeline: list[TimelineRow] = field(default_factory=list)
    supplement_items: list[dict[str, str]] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    overdue: bool = False
    moved_from: dt.datetime | None = None
    apology_moved: bool = False
    collect_here: bool = False
    can_rate: bool = False
    rated: bool = False

    @property
    def masked_name(self) -> str:
        return self.dossier.masked_applicant_name


def _unit(kind: str, source: str | None, target: str | None, desk_name: str) -> str:
    """The unit a step happened at: the desk for intake and return, else where it went."""
    if kind in (EventKind.RECEIVE, EventKind.RETURN, EventKind.REGISTER):
        return desk_name
    return target or source or desk_name


def public_view(dossier: Dossier, *, now: dt.datetime | None = None) -> PublicDossier:
    now = now or timezone.now()
    desk = dossier.receiving_agency
    desk_name = str(desk.desk_name or desk.display_desk_name)
    view = PublicDossier(dossier=dossier, meaning=STATE_MEANINGS[State(dossier.state)])
    # Plain values: no model instances for a read-only list.
    events = (
        DossierEvent.objects.filter(dossier_id=dossier.pk)
        .exclude(kind__in=[EventKind.NOTE, EventKind.CORRECT])
        .order_by("at", "pk")
        .values_list("kind", "at", "from_agency__name", "to_agency__name")
    )
    view.timeline = [
        TimelineRow(at=at, label=EventKind(kind).label, unit=_unit(kind, source, target, desk_name))
        for kind, at, source, target in events
    ]
    view.overdue = dossier.is_overdue(now)
    if dossier.original_due_at and dossier.due_at and dossier.original_due_at != dossier.due_at:
        view.moved_from = dossier.original_due_at
        view.apology_moved = dossier.extended
    if dossier.state == State.SUPPLEMENT:
        request = dossier.supplements.filter(supplied_at__isnull=True).order_by("-pk").first()
        view.supplement_items = list(request.items) if request else []
    elif dossier.state == State.REGISTERED and dossier.intake_guidance:
        view.supplement_items = [
            {"name": line, "reason": ""}
            for line in dossier.intake_guidance.splitlines()
            if line.strip()
        ]
    if dossier.intake_guidance or dossier.supplement_count:
        view.forms.append("supplement")
    if dossier.extended:
        view.forms.append("apology")
    if dossier.state == State.STOPPED:
        view.forms.append("stop")
    view.collect_here = dossier.state == State.PROCESSED and dossier.delivery == Delivery.DESK
    if dossier.state == State.RETURNED:
        from .services import rating_refusal

        view.rated = _has_rating(dossier)
        view.can_rate = not view.rated and rating_refusal(dossier, now=now) is None
    return view


def _has_rating(dossier: Dossier) -> bool:
    rated = getattr(dossier, "rated", None)  # annotated by find_dossier
    if rated is None:
        rated = Rating.objects.filter(dossier=dossier).exists()
    return rated


def rating_url(dossier: Dossier) -> str:
    """The rating address printed on the receipt and mailed after the return."""
    from urllib.parse import urlencode

    query = urlencode({"ma": dossier.code, "khoa": dossier.lookup_key})
    return f"{settings.SITE_URL}/danh-gia/?{query}"
