"""Follow-ups of violations, and each officer's own results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from procedures.models import User

from .. import access, services
from ..access import ConductAction
from ..forms import CloseFollowUpForm, YearForm
from ..scores import officer_year
from ..services import ConductError

FILTERS = ("open", "overdue", "done", "all")


@login_required
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Follow-ups the user owns, or of the user's scope (unit head: own unit)."""
    return _follow_up_page(request)


def _follow_up_page(request: HttpRequest, refusal: dict | None = None) -> HttpResponse:
    """The list; after a refused close, with the message and the text sent kept in
    that follow-up's form (400)."""
    qs = access.follow_ups_for(request.user).select_related(
        "owner", "agency", "finding", "finding__officer", "finding__inspection", "done_by"
    )
    show = request.GET.get("loc", "open")
    if show not in FILTERS:
        show = "open"
    now = timezone.now()
    if show == "open":
        qs = qs.filter(done_at__isnull=True)
    elif show == "overdue":
        qs = qs.filter(done_at__isnull=True, due_at__lt=now)
    elif show == "done":
        qs = qs.filter(done_at__isnull=False).order_by("-done_at")
    rows = [
        {
            "follow_up": f,
            "overdue": f.is_overdue(now),
            "can_close": access.CONDUCT.allows(request.user, f, ConductAction.CLOSE_FOLLOW_UP),
        }
        for f in qs[:500]
    ]
    if refusal is not None and not any(r["follow_up"].pk == refusal["pk"] for r in rows):
        rows.insert(0, refusal["row"])  # not in the tab shown: the refused one first
    return render(
        request,
        "conduct/follow_ups.html",
        {"rows": rows, "show": show, "refusal": refusal},
        status=200 if refusal is None else 400,
    )


@login_required
@require_POST
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(access.follow_ups_for(request.user), pk=pk)
    if not access.CONDUCT.allows(request.user, follow_up, ConductAction.CLOSE_FOLLOW_UP):
        raise PermissionDenied
    form = CloseFollowUpForm(request.POST)
    try:
        if not form.is_valid():
            raise ConductError(_("Cần ghi kết quả khắc phục."))
        services.close_follow_up(
            follow_up=follow_up, by=request.user, resolution=form.cleaned_data["resolution"]
        )
    except ConductError as error:
        follow_up.refresh_from_db()
        row = {
            "follow_up": follow_up,
            "overdue": follow_up.is_overdue(timezone.now()),
            "can_close": access.CONDUCT.allows(
                request.user, follow_up, ConductAction.CLOSE_FOLLOW_UP
            ),
        }
        refusal = {
            "pk": follow_up.pk,
            "row": row,
            "message": str(error),
            "resolution": request.POST.get("resolution", ""),
        }
        return _follow_up_page(request, refusal)
    messages.success(request, _("Đã ghi nhận hoàn thành khắc phục."))
    return redirect("conduct:follow-ups")


def _summary(request: HttpRequest, officer: User) -> HttpResponse:
    year = YearForm(request.GET).year_or_current()
    summary = officer_year(officer, year)
    return render(
        request,
        "conduct/officer_year.html",
        {
            "summary": summary,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "own": officer.pk == request.user.pk,
        },
    )


@login_required
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    """Every member of staff sees the findings about themselves."""
    return _summary(request, request.user)


@login_required
@require_GET
def officer_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer's year for the year-end rating: the officer, their unit head,
    leaders and inspectors whose scope covers the officer's agency."""
    officer = User.objects.filter(pk=pk).select_related("agency").first()
    if officer is None or not access.CONDUCT.allows(
        request.user, officer, ConductAction.SEE_OFFICER
    ):
        raise Http404
    return _summary(request, officer)
