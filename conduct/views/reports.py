"""Scores per agency and officer (page and XLSX), and the leaders' dashboard panel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from procedures import xlsx
from procedures.forms import parse_id
from procedures.models import Agency, Role

from .. import access
from ..forms import YearForm
from ..scores import agency_scores, officer_scores, panel, year_bounds

OFFICERS_PER_PAGE = 100
READER_ROLES = (Role.LEADER, Role.INSPECTOR, Role.UNIT_HEAD, Role.ADMINISTRATOR)


def _scope(request: HttpRequest) -> set[int] | None:
    if not any(request.user.has_role(role) for role in READER_ROLES):
        raise PermissionDenied
    ids = access.scope_ids(request.user)
    if ids is not None and not ids:
        raise PermissionDenied
    return ids


@login_required
@require_GET
def scores(request: HttpRequest) -> HttpResponse:
    ids = _scope(request)
    form = YearForm(request.GET)
    year = form.year_or_current()
    start, end = year_bounds(year)
    agencies = agency_scores(ids, start, end)
    officers = officer_scores(ids, start, end)
    if form.is_valid() and form.cleaned_data.get("format") == "xlsx":
        return _xlsx(year, agencies, officers)
    page = Paginator(officers, OFFICERS_PER_PAGE).get_page(request.GET.get("page"))
    current = timezone.localdate().year
    return render(
        request,
        "conduct/scores.html",
        {
            "year": year,
            "years": range(current, current - 6, -1),
            "agencies": agencies,
            "page": page,
            "officer_count": len(officers),
        },
    )


def _xlsx(year: int, agencies: list, officers: list) -> FileResponse:
    book = xlsx.Book()

    def pct(value) -> float | None:
        return float(value) if value is not None else None

    sheet = book.sheet(
        "Đơn vị",
        [
            ("Đơn vị", 44),
            ("Số cuộc kiểm tra", 12),
            ("Đạt", 10),
            ("Không đạt", 10),
            ("Không áp dụng", 10),
            ("Tỷ lệ đạt (%)", 12),
            ("Vi phạm", 10),
            ("Biểu dương", 10),
        ],
    )
    for row in agencies:
        sheet.append(
            [
                row.name,
                row.inspections,
                row.met,
                row.not_met,
                row.not_applicable,
                pct(row.share),
                row.violations,
                row.commendations,
            ]
        )
    sheet = book.sheet(
        "Cán bộ",
        [
            ("Họ và tên", 30),
            ("Đơn vị", 40),
            ("Số lần được kiểm tra", 12),
            ("Đạt", 10),
            ("Không đạt", 10),
            ("Tỷ lệ đạt (%)", 12),
            ("Vi phạm", 10),
            ("Tái phạm", 10),
            ("Biểu dương", 10),
        ],
    )
    for row in officers:
        sheet.append(
            [
                row.name,
                row.agency_name,
                row.inspections,
                row.met,
                row.not_met,
                pct(row.share),
                row.violations,
                row.repeats,
                row.commendations,
            ]
        )
    response = book.response(f"diem-van-hoa-cong-so-{year}.xlsx")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
@vary_on_headers("HX-Request")
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    """The conduct panel of the leaders' dashboard: a page of its own, or (htmx)
    the partial the dashboard page loads with hx-get."""
    ids = _scope(request)
    year = YearForm(request.GET).year_or_current()
    # The leaders' dashboard passes the agency it shows (?agency=): narrowed to its
    # subtree when the user may see it, ignored otherwise.
    agency_id = parse_id(request.GET.get("agency"))
    if agency_id is not None and (ids is None or agency_id in ids):
        ids = Agency.objects.subtree_ids(agency_id)
    context = {"panel": panel(request.user, ids, year), "year": year}
    template = "conduct/panel.html#panel" if request.htmx else "conduct/panel.html"
    return render(request, template, context)
