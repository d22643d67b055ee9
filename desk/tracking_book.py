"""The tracking book (sổ theo dõi hồ sơ, docs/domain.md §7): its filter, the
dossiers it lists for a user and one row per dossier, for the HTML page, the PDF
and the workbook (desk/views/documents.py)."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.fields import DayMonthYearField
from procedures.models import Agency, Field, Role, User

from .legal_forms import mask_address
from .models import (
    Delivery,
    Dossier,
    DossierEvent,
    EventKind,
    State,
)
from .pdf import VN_TZ, vn_datetime
from .permissions import can_see_personal_data

# ---------------------------------------------------------------- the tracking book

FORMATS = (("html", "HTML"), ("pdf", "PDF"), ("xlsx", "Excel"))


class TrackingBookFilter(forms.Form):
    """The tracking book's GET parameters: field, period (dd/mm/yyyy), format."""

    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
        error_messages={"invalid_choice": _("Lĩnh vực đã chọn không tồn tại.")},
    )
    start = DayMonthYearField(
        label=_("Từ ngày"),
        required=False,
        error_messages={"invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 01/03/2026.")},
    )
    end = DayMonthYearField(
        label=_("Đến ngày"),
        required=False,
        error_messages={"invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 31/03/2026.")},
    )
    format = forms.ChoiceField(
        label=_("Định dạng"),
        choices=FORMATS,
        required=False,
        error_messages={"invalid_choice": _("Chỉ xuất được HTML, PDF hoặc Excel (.xlsx).")},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        # "from" is a Python keyword: the URL says from/to, the form says start/end.
        if data is not None:
            data = data.copy()
            for outside, inside in (("from", "start"), ("to", "end")):
                if outside in data:
                    data[inside] = data[outside]
        super().__init__(data, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A missing bound completes the month of the other one (or the current month).
        start, end = cleaned.get("start"), cleaned.get("end")
        anchor = start or end or timezone.localdate(timezone=VN_TZ)
        start = start or anchor.replace(day=1)
        if end is None:
            next_month = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            end = next_month - dt.timedelta(days=1)
        if "start" not in self.errors and "end" not in self.errors and start > end:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        cleaned["start"], cleaned["end"] = start, end
        cleaned["format"] = cleaned.get("format") or "html"
        return cleaned


def book_agency_ids(user: User) -> set[int]:
    """The desks whose book ``user`` keeps or reads: their own, or a leader's subtree."""
    if user.agency_id is None:
        return set()
    if user.has_role(Role.LEADER):
        return Agency.objects.subtree_ids(user.agency_id)
    return {user.agency_id}


def tracking_book_queryset(
    user: User, *, field: Field | None, start: dt.date, end: dt.date
) -> QuerySet[Dossier]:
    """Dossiers received at the user's desk(s) in [start, end] (local days), per field.

    Ordered as the book is kept: per field, per desk, in order of receipt.
    """
    first = dt.datetime.combine(start, dt.time.min, VN_TZ)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, VN_TZ)
    # The lead agency is the unit the desk first handed the dossier to.
    lead = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), kind=EventKind.HAND_OVER)
        .order_by("at", "pk")
        .values("to_agency__name")[:1]
    )
    queryset = (
        Dossier.objects.visible_to(user)
        .filter(
            receiving_agency_id__in=book_agency_ids(user),
            received_at__gte=first,
            received_at__lt=after,
        )
        .select_related("procedure", "procedure__field", "receiving_agency")
        .annotate(lead_agency_name=Coalesce(Subquery(lead), F("current_agency__name")))
        .order_by("procedure__field__name", "receiving_agency__name", "received_at", "pk")
    )
    if field is not None:
        queryset = queryset.filter(procedure__field=field)
    return queryset


def tracking_book_rows(
    user: User, dossiers: QuerySet[Dossier] | list[Dossier], *, full: bool
) -> Iterator[dict[str, Any]]:
    """One dict per book line. ``full`` prints address and phone in full (exports)
    where the user's agency handles the dossier; otherwise they are masked."""
    for d in dossiers:
        clear = full and can_see_personal_data(user, d)
        address = d.applicant_address if clear else mask_address(d.applicant_address)
        phone = d.applicant_phone if clear else d.masked_phone
        yield {
            "group": (d.procedure.field.name, d.receiving_agency.name),
            "field": d.procedure.field.name,
            "desk": d.receiving_agency.name,
            "number": d.tracking_number or "",
            "code": d.code,
            "procedure": d.procedure.name,
            "applicant": d.applicant_name if clear else d.masked_applicant_name,
            "address": address,
            "phone": phone,
            "address_phone": " - ".join(filter(None, [address, phone])),
            "lead_agency": d.lead_agency_name or "",
            "received_at": d.received_at,
            "due_at": d.due_at,
            "returned_at": d.returned_at,
            "received": vn_datetime(d.received_at),
            "due": vn_datetime(d.due_at),
            "returned": vn_datetime(d.returned_at),
            "delivery": str(Delivery(d.delivery).label),
            "state": str(State(d.state).label),
        }
