"""The leaders' dashboard (desk:dashboard), the lists behind its numbers
(desk:dashboard-list), their XLSX exports, the officer view for unit heads, and the
printable PDF report. Who sees what: leaders and administrators their agency's
subtree, unit heads their own unit; no personal data beyond masked names.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from procedures.auth import role_required
from procedures.models import Agency, Role, User

from .. import dashboard
from ..calendar_seed import calendar_notice_texts
from ..forms import DashboardFilterForm
from ..legal_forms import letterhead
from ..models import ExportJob, ExportStatus
from ..pdf import render_pdf, vn_long_date
from ..queues import Cursor, QueueClock, keyset_page, rows_for

DASHBOARD_ROLES = (Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR)
LIST_PAGE_SIZE = 50


def _agencies_for(user: User) -> list[Agency]:
    """The agencies whose dashboard ``user`` may open: a leader's or administrator's
    subtree, a unit head's own unit."""
    if user.has_role(Role.LEADER) or user.has_role(Role.ADMINISTRATOR):
        ids = user.visible_agency_ids()  # None: every agency
        agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
        return list(agencies.order_by("level", "name"))
    return [user.agency] if user.agency_id else []


def _selection(request: HttpRequest) -> tuple[DashboardFilterForm, Agency, dt.date, dt.date]:
    agencies = _agencies_for(request.user)
    if not agencies:
        raise PermissionDenied
    today = timezone.localdate()
    form = DashboardFilterForm(
        request.GET, agencies=agencies, periods=dashboard.period_choices(today)
    )
    form.is_valid()
    data = form.valid_data()
    by_pk = {a.pk: a for a in agencies}
    agency = by_pk.get(data.get("agency")) or by_pk.get(request.user.agency_id) or agencies[0]
    year = data.get("year") or today.year
    start, end = dashboard.period_bounds(
        data.get("period") or "12m",
        today=today,
        month=data.get("month"),
        quarter=(data["quarter"], year) if data.get("quarter") else None,
        year=year if data.get("period") == "year" else None,
        start=data.get("start"),
        end=data.get("end"),
    )
    return form, agency, start, end


def _query(agency: Agency, start: dt.date, end: dt.date, **extra: Any) -> str:
    return urlencode(
        {
            "agency": agency.pk,
            "period": "custom",
            "start": f"{start:%d/%m/%Y}",
            "end": f"{end:%d/%m/%Y}",
            **extra,
        }
    )


def _panels(agency: Agency, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    panels = []
    for name, title in dashboard.PANELS:
        try:
            url = reverse(name)
        except NoReverseMatch:  # the app is not installed here
            continue
        query = _query(agency, start, end, year=end.year)  # conduct's panel is per year
        panels.append({"title": title, "url": f"{url}?{query}"})
    return panels


@role_required(*DASHBOARD_ROLES)
@require_GET
@vary_on_headers("HX-Request")
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The figures of an agency's subtree for a period; htmx swaps the body."""
    form, agency, start, end = _selection(request)
    board = dashboard.build(agency, start, end)
    query = _query(agency, start, end)
    context = {
        "form": form,
        "ignored": form.ignored_labels(),
        "agency": agency,
        "board": board,
        "f": board.figures,
        "rates": board.rates,
        "figure_rows": dashboard.figure_rows(board.figures),
        "query": query,
        "list_url": reverse("desk:dashboard-list"),
        "chart": dashboard.chart(board.trend),
        "panels": _panels(agency, start, end),
        # A year starting within 60 days whose calendar is not loaded or not confirmed.
        "calendar_notices": calendar_notice_texts(),
        "partial": bool(request.htmx) and not request.htmx.history_restore_request,
    }
    template = "desk/dashboard.html#body" if context["partial"] else "desk/dashboard.html"
    return render(request, template, context)


@role_required(*DASHBOARD_ROLES)
@require_GET
def dashboard_procedures(request: HttpRequest) -> HttpResponse:
    """The average processing time per procedure: a panel loaded after the page."""
    _form, agency, start, end = _selection(request)
    ids = sorted(Agency.objects.subtree_ids(agency.pk))
    return render(
        request,
        "desk/dashboard_procedures.html",
        {"procedures": dashboard.procedures(ids, start, end), "partial": bool(request.htmx)},
    )


@role_required(*DASHBOARD_ROLES)
@require_GET
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    """The page's figures for the period as a printable report (A4, WeasyPrint)."""
    _form, agency, start, end = _selection(request)
    board = dashboard.build(agency, start, end)
    head = letterhead(agency, desk=False)
    pdf = render_pdf(
        "pdf/dashboard.html",
        {
            "title": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
            "letterhead": head,
            "doc_number": "      /BC",
            "dateline": f"{head['place']}, {vn_long_date(timezone.now())}",
            "agency": agency,
            "board": board,
            "f": board.figures,
            "figure_rows": dashboard.figure_rows(board.figures),
            "chart": dashboard.chart(board.trend),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-{start:%Y%m%d}-{end:%Y%m%d}.pdf"'
    return response


@role_required(*DASHBOARD_ROLES)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def dashboard_list(request: HttpRequest) -> HttpResponse:
    """The dossiers behind one number, same scope and period, a page at a time;
    POST starts the XLSX export of the whole list."""
    params = request.GET if request.method == "GET" else request.POST
    request.GET = params  # the form reads GET; an export posts the same fields
    _form, agency, start, end = _selection(request)
    figure = params.get("figure", "")
    if figure not in dashboard.FIGURES:
        raise Http404
    ids = sorted(Agency.objects.subtree_ids(agency.pk))
    if request.method == "POST":
        job = dashboard.start_export(
            user=request.user, figure=figure, agency=agency, start=start, end=end
        )
        return redirect("desk:export", pk=job.pk)
    queryset = dashboard.figure_queryset(figure, ids, start, end)
    page = keyset_page(queryset, Cursor.load(params.get("cursor")), LIST_PAGE_SIZE)
    context = {
        "agency": agency,
        "figure": figure,
        "figure_label": dashboard.FIGURES[figure],
        "start": start,
        "end": end,
        "count": queryset.count(),
        "page": page,
        "rows": rows_for(page, QueueClock.for_user(request.user)),
        "query": _query(agency, start, end, figure=figure),
        "back": f"{reverse('desk:dashboard')}?{_query(agency, start, end)}",
    }
    return render(request, "desk/dashboard_list.html", context)


@role_required(*DASHBOARD_ROLES)
@require_GET
@vary_on_headers("HX-Request")
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's progress bar (polled by htmx while it runs) and download link."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    partial = bool(request.htmx)
    template = "desk/export.html#progress" if partial else "desk/export.html"
    return render(request, template, {"job": job, "running": job.status in ("pending", "running")})


@role_required(*DASHBOARD_ROLES)
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportStatus.DONE)
    if not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=f"danh-sach-{job.pk}.xlsx"
    )


@role_required(Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR)
@require_GET
def officer_view(request: HttpRequest) -> HttpResponse:
    """Each officer of a unit: steps handled in the period (early, on time, late),
    dossiers held now and overdue, and what later apps add (ratings, conduct)."""
    form, agency, start, end = _selection(request)
    rows, extra_columns = dashboard.officer_rows(agency, start, end)
    return render(
        request,
        "desk/dashboard_officers.html",
        {
            "form": form,
            "agency": agency,
            "start": start,
            "end": end,
            "rows": rows,
            "extra_columns": extra_columns,
            "back": f"{reverse('desk:dashboard')}?{_query(agency, start, end)}",
        },
    )
