"""The legal forms as PDFs (desk:pdf) and the tracking book (desk:tracking-book)."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from procedures import xlsx
from procedures.auth import role_required
from procedures.models import Role

from ..legal_forms import FORMS, FormNotApplicable, letterhead
from ..pdf import render_pdf, vn_date, vn_long_date
from ..tracking_book import (
    TrackingBookFilter,
    book_agency_ids,
    tracking_book_queryset,
    tracking_book_rows,
)
from .common import get_dossier_for_user, log_personal_data, personal_data_visible

# Lines per export. The workbook is streamed and stays cheap (20,000 lines in a
# few seconds); WeasyPrint needs ~15-30 ms of CPU per book line (a 2,000-line PDF
# took 68 s and 570 MB here), so a PDF is capped far lower to finish well inside
# a web worker's timeout. Settings, so that an installation and the tests can
# change them.
DEFAULT_MAX_EXPORT_ROWS = {"xlsx": 20_000, "pdf": 1_000}
SETTING_NAMES = {"xlsx": "TRACKING_BOOK_MAX_ROWS", "pdf": "TRACKING_BOOK_MAX_PDF_ROWS"}
HTML_PAGE_SIZE = 100


def _no_store(response: HttpResponse) -> HttpResponse:
    # Personal data: neither the browser nor a proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def dossier_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    """One legal form of one dossier, inline. 404 for an unknown form or one that
    does not apply to the dossier's state or history."""
    legal_form = FORMS.get(form)
    if legal_form is None:
        raise Http404
    dossier = get_dossier_for_user(request, code)
    full = personal_data_visible(request, dossier)
    try:
        context = legal_form.build(dossier, full=full)
    except FormNotApplicable:
        raise Http404 from None
    pdf = legal_form.render(context)
    if full:  # as the dossier page does: the access log records full personal data seen
        log_personal_data(request, dossier, "pdf", form)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return _no_store(response)


# ---------------------------------------------------------------- tracking book


def _max_rows(fmt: str) -> int:
    return int(getattr(settings, SETTING_NAMES[fmt], DEFAULT_MAX_EXPORT_ROWS[fmt]))


def _query_string(cleaned: dict[str, Any], fmt: str) -> str:
    params = {"from": vn_date(cleaned["start"]), "to": vn_date(cleaned["end"])}
    if cleaned.get("field"):
        params["field"] = cleaned["field"].pk
    if fmt != "html":
        params["format"] = fmt
    return urlencode(params)


@role_required(Role.CLERK, Role.UNIT_HEAD, Role.LEADER)
@require_GET
def tracking_book(request: HttpRequest) -> HttpResponse:
    """The tracking book per field and period: a page with the filter, and PDF/XLSX exports."""
    form = TrackingBookFilter(request.GET)
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(request, "desk/tracking_book.html", context, status=400)
    cleaned = form.cleaned_data
    dossiers = tracking_book_queryset(
        request.user, field=cleaned["field"], start=cleaned["start"], end=cleaned["end"]
    )
    fmt = cleaned["format"]
    context.update(
        {
            "start": cleaned["start"],
            "end": cleaned["end"],
            "field": cleaned["field"],
            "pdf_query": _query_string(cleaned, "pdf"),
            "xlsx_query": _query_string(cleaned, "xlsx"),
        }
    )
    if fmt != "html":
        total = dossiers.count()
        if total > _max_rows(fmt):
            context.update({"too_many": total, "max_rows": _max_rows(fmt), "too_many_format": fmt})
        else:
            detail = (
                f"tracking-book {fmt} {vn_date(cleaned['start'])}-{vn_date(cleaned['end'])} "
                f"field={cleaned['field'].pk if cleaned['field'] else 'all'} rows={total}"
            )
            log_personal_data(request, None, "export", detail=detail)
            if fmt == "pdf":
                return _book_pdf(request, dossiers, cleaned, total)
            return _book_xlsx(request, dossiers, cleaned)
    page = Paginator(dossiers, HTML_PAGE_SIZE).get_page(request.GET.get("page"))
    context["page"] = page
    context["rows"] = list(tracking_book_rows(request.user, page.object_list, full=False))
    context["page_query"] = _query_string(cleaned, "html")
    return _no_store(render(request, "desk/tracking_book.html", context))


def _filename(cleaned: dict[str, Any], extension: str) -> str:
    field = f"-{cleaned['field'].code}" if cleaned["field"] else ""
    return f"so-theo-doi{field}-{cleaned['start']:%Y%m%d}-{cleaned['end']:%Y%m%d}.{extension}"


def _book_pdf(request: HttpRequest, dossiers, cleaned: dict[str, Any], total: int) -> HttpResponse:
    agency = request.user.agency
    head = letterhead(agency, desk=len(book_agency_ids(request.user)) == 1)
    rows = list(tracking_book_rows(request.user, dossiers.iterator(chunk_size=2000), full=True))
    context = {
        "title": "Sổ theo dõi hồ sơ",
        "letterhead": head,
        "doc_number": "......./......",
        "dateline": f"{head['place']}, {vn_long_date(timezone.now())}",
        "field_label": cleaned["field"].name if cleaned["field"] else "tất cả lĩnh vực",
        "start": vn_date(cleaned["start"]),
        "end": vn_date(cleaned["end"]),
        "rows": rows,
        "total": total,
    }
    response = HttpResponse(
        render_pdf("pdf/tracking_book.html", context), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(cleaned, "pdf")}"'
    return _no_store(response)


BOOK_COLUMNS = (
    ("Lĩnh vực", 24),
    ("Nơi tiếp nhận", 24),
    ("STT", 7),
    ("Mã hồ sơ", 26),
    ("Tên thủ tục hành chính", 40),
    ("Tên người nộp hồ sơ", 24),
    ("Địa chỉ", 36),
    ("Số điện thoại", 14),
    ("Cơ quan chủ trì giải quyết", 28),
    ("Ngày, giờ nhận hồ sơ", 17),
    ("Ngày, giờ hẹn trả kết quả", 17),
    ("Ngày, giờ trả kết quả", 17),
    ("Hình thức nhận kết quả", 24),
    ("Trạng thái", 18),
    ("Ký nhận", 12),
)


def _book_xlsx(request: HttpRequest, dossiers, cleaned: dict[str, Any]) -> FileResponse:
    """A write-only workbook spooled to a temporary file and streamed from it: memory
    stays flat however many lines the period holds (procedures/xlsx.py)."""
    book = xlsx.Book()
    sheet = book.sheet("Sổ theo dõi hồ sơ", BOOK_COLUMNS, freeze="E2")
    for row in tracking_book_rows(request.user, dossiers.iterator(chunk_size=2000), full=True):
        sheet.append(
            [
                row["field"],
                row["desk"],
                row["number"],
                row["code"],
                row["procedure"],
                row["applicant"],
                row["address"],
                row["phone"],
                row["lead_agency"],
                row["received_at"],
                row["due_at"],
                row["returned_at"],
                row["delivery"],
                row["state"],
                None,
            ]
        )
    return _no_store(book.response(_filename(cleaned, "xlsx")))
