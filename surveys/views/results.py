"""Satisfaction results for unit heads, leaders and administrators: the page, its
XLSX export and the panel the leaders' dashboard includes (its own URL; the
dashboard fetches it with hx-get, so the desk never imports this app)."""

import datetime as dt

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from procedures import xlsx
from procedures.auth import role_required
from procedures.forms import parse_id
from procedures.models import Agency, Role, User

from ..forms import ResultsFilter
from ..models import RatingChoice
from ..results import compute
from ..templatetags.surveys import sipas_label

RESULT_ROLES = (Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR)


def _scope(user: User):
    ids = user.visible_agency_ids()
    agencies = Agency.objects.all() if ids is None else Agency.objects.filter(pk__in=ids)
    officers = User.objects.filter(is_active=True).exclude(agency__isnull=True)
    if ids is not None:
        officers = officers.filter(agency_id__in=ids)
    return ids, agencies.order_by("level", "name"), officers.order_by("last_name", "first_name")


def _filtered(request: HttpRequest):
    ids, agencies, officers = _scope(request.user)
    form = ResultsFilter(request.GET or None, agencies=agencies, officers=officers)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = ResultsFilter({}, agencies=agencies, officers=officers)
        form.is_valid()
    data = form.cleaned_data
    agency = data.get("agency")
    scope = ids
    if agency is not None:
        subtree = Agency.objects.subtree_ids(agency.pk)
        scope = subtree if ids is None else subtree & ids
    results = compute(
        agency_ids=scope, start=data["start"], end=data["end"], officer=data.get("officer")
    )
    return form, results


@role_required(*RESULT_ROLES)
@require_GET
def results(request: HttpRequest) -> HttpResponse:
    form, figures = _filtered(request)
    if figures is None:
        return render(request, "surveys/results.html", {"form": form}, status=400)
    if request.GET.get("format") == "xlsx":
        return _xlsx(figures)
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "surveys/results.html",
        {"form": form, "r": figures, "xlsx_query": query.urlencode()},
    )


@role_required(*RESULT_ROLES)
@require_GET
@vary_on_headers("HX-Request")
def dashboard_panel(request: HttpRequest) -> HttpResponse:
    """The leaders' dashboard panel: this year in the user's scope; an htmx request
    gets the partial alone, a plain request a small page around it."""
    ids, _agencies, _officers = _scope(request.user)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1), today
    # The dashboard passes its agency and period (?agency=&start=&end=, dd/mm/yyyy);
    # an agency outside the user's scope or a bad date falls back to the defaults.
    agency_id = parse_id(request.GET.get("agency"))
    if agency_id is not None and (ids is None or agency_id in ids):
        ids = Agency.objects.subtree_ids(agency_id)
    try:
        start = dt.datetime.strptime(request.GET.get("start", ""), "%d/%m/%Y").date()
        end = dt.datetime.strptime(request.GET.get("end", ""), "%d/%m/%Y").date()
    except ValueError:
        start, end = today.replace(month=1, day=1), today
    if start > end:
        start, end = today.replace(month=1, day=1), today
    figures = compute(agency_ids=ids, start=start, end=end, reasons_limit=5)
    template = "surveys/panel.html#panel" if request.htmx else "surveys/panel.html"
    return render(request, template, {"r": figures})


def _xlsx(figures) -> FileResponse:
    book = xlsx.Book()
    sheet = book.sheet(_("Tổng hợp"))
    sheet.append([_("Từ ngày"), figures.start.strftime("%d/%m/%Y")])
    sheet.append([_("Đến ngày"), figures.end.strftime("%d/%m/%Y")])
    sheet.append([_("Số lượt đánh giá"), figures.total])
    for bar in figures.bars:
        sheet.append([str(bar["label"]), bar["count"], float(bar["percent"] or 0)])
    sheet.append([_("Tỷ lệ hài lòng (%)"), float(figures.satisfaction or 0)])
    sheet.append([_("Hồ sơ đã giải quyết"), figures.finished])
    sheet.append([_("Hồ sơ trễ hạn"), figures.late])
    sheet.append([_("Hồ sơ bị phản ánh hoặc không hài lòng"), figures.complained])
    sheet.append([_("Chỉ số hài lòng theo Quyết định 766 (%)"), float(figures.indicator or 0)])
    for factor, mean in figures.sipas.items():
        sheet.append([sipas_label(factor), float(mean)])

    trend = book.sheet(_("Theo tháng"))
    trend.header(
        [_("Tháng"), _("Số lượt"), *[str(c.label) for c in RatingChoice], _("Tỷ lệ hài lòng (%)")]
    )
    for row in figures.trend:
        trend.append(
            [
                row["month"].strftime("%m/%Y"),
                row["total"],
                *[row["counts"][c] for c in RatingChoice.values],
                float(row["satisfaction"] or 0),
            ]
        )

    officers = book.sheet(_("Theo cán bộ"))
    officers.header(
        [
            _("Cán bộ"),
            _("Số lượt"),
            _("Hài lòng"),
            _("Không hài lòng"),
            _("Tỷ lệ hài lòng (%)"),
            _("Bị phản ánh"),
        ]
    )
    for row in figures.officers:
        officers.append(
            [
                str(row.officer),
                row.ratings,
                row.satisfied,
                row.dissatisfied,
                float(row.satisfaction or 0),
                row.complaints,
            ]
        )

    # Reasons carry the dossier code and procedure only: no applicant's data.
    reasons = book.sheet(_("Lý do không hài lòng"))
    reasons.header([_("Ngày"), _("Mã hồ sơ"), _("Thủ tục"), _("Lý do")])
    for rating in figures.reasons:
        reasons.append(
            [
                timezone.localtime(rating.created_at).strftime("%d/%m/%Y"),
                rating.dossier.code,
                rating.dossier.procedure.name,
                rating.reason,
            ]
        )
    name = f"muc-do-hai-long-{figures.start:%Y%m%d}-{figures.end:%Y%m%d}.xlsx"
    return book.response(name)
