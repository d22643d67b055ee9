"""Ratings: by link or QR code (the receipt's code and key), at the counter's kiosk,
and the longer questionnaires (SIPAS-style for citizens, nine criteria for staff)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from desk.models import Dossier
from procedures.auth import role_required
from procedures.forms import parse_id
from procedures.models import Role

from ..forms import RatingForm
from ..lookup import find_dossier
from ..models import Kiosk, RatingChannel, RatingChoice, SurveyKind, SurveyTemplate
from ..services import SurveyError, claim_kiosk, kiosk_dossier, record_rating, submit_survey
from ..throttle import lookup_throttle
from .lookup import throttled


def _quick_prompt() -> str:
    """The active template's question; the default one (surveys/migrations/0002)
    is also a msgid, so it reads in the visitor's language: a question an
    administrator wrote stays as written."""
    template = SurveyTemplate.active(SurveyKind.QUICK)
    return _(template.intro) if template and template.intro else ""


@require_http_methods(["GET", "POST"])
@never_cache
def rate(request: HttpRequest) -> HttpResponse:
    """The rating page of the link and QR code: /danh-gia/?ma=CODE&khoa=KEY."""
    code = request.GET.get("ma", "")
    key = request.GET.get("khoa", "")
    context = {"code": code, "key": key, "prompt": _quick_prompt()}
    if request.method == "GET" and not (code or key):
        return render(request, "surveys/rate.html", {**context, "ask_code": True})
    if not lookup_throttle.allow(request):
        return throttled(request, "surveys/rate.html", context)
    dossier = find_dossier(code, key)
    if dossier is None:
        lookup_throttle.failed(request)
        return render(request, "surveys/rate.html", {**context, "not_found": True}, status=404)
    context["dossier"] = dossier
    if _rated(dossier):
        return render(request, "surveys/rate.html", {**context, "already": True})
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_rating(
                dossier=dossier,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
                channel=RatingChannel.LINK,
            )
        except SurveyError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "surveys/rate.html", {**context, "thanks": True})
    from ..services import rating_refusal

    context["refusal"] = rating_refusal(dossier)
    context["form"] = form
    context["sipas"] = SurveyTemplate.active(SurveyKind.SIPAS)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/rate.html", context, status=status)


def _rated(dossier: Dossier) -> bool:
    from ..models import Rating

    return Rating.objects.filter(dossier=dossier).exists()


# ---------------------------------------------------------------- kiosk


@require_http_methods(["GET", "POST"])
@never_cache
def kiosk(request: HttpRequest, token: str) -> HttpResponse:
    """The counter's tablet: the dossier just returned here, three large choices; a
    reason is asked for "dissatisfied". The page reloads itself while it waits."""
    device = get_object_or_404(Kiosk.objects.select_related("agency"), token=token, is_active=True)
    now = timezone.now()
    dossier = kiosk_dossier(device, now=now)
    context = {"kiosk": device, "dossier": dossier, "prompt": _quick_prompt()}
    if request.method == "GET":
        return render(request, "surveys/kiosk.html", context)
    # A POST names the dossier it was shown; if another took its place meanwhile
    # (or it was rated), the citizen sees the current state instead.
    if dossier is None or str(dossier.pk) != request.POST.get("dossier"):
        context["stale"] = True
        return render(request, "surveys/kiosk.html", context, status=409)
    choice = request.POST.get("choice", "")
    reason = request.POST.get("reason", "")
    if choice == RatingChoice.DISSATISFIED and not reason.strip():
        # First tap: ask for the reason. The reason step sent empty: say it is required.
        missing = "reason" in request.POST
        context.update({"ask_reason": True, "reason_missing": missing})
        return render(request, "surveys/kiosk.html", context, status=400 if missing else 200)
    try:
        record_rating(
            dossier=dossier, choice=choice, reason=reason, channel=RatingChannel.KIOSK, kiosk=device
        )
    except SurveyError as error:
        context["error_message"] = error.message
        return render(request, "surveys/kiosk.html", context, status=400)
    return render(request, "surveys/kiosk.html", {**context, "dossier": None, "thanks": True})


@role_required(Role.CLERK)
@require_http_methods(["GET", "POST"])
def kiosks(request: HttpRequest) -> HttpResponse:
    """The clerk's counters: open a kiosk on the tablet, say which counter she serves."""
    devices = Kiosk.objects.filter(agency_id=request.user.agency_id, is_active=True).select_related(
        "clerk"
    )
    if request.method == "POST":
        device = get_object_or_404(devices, pk=parse_id(request.POST.get("kiosk")))
        try:
            claim_kiosk(kiosk=device, clerk=request.user)
        except SurveyError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Quầy %(name)s sẽ hiển thị hồ sơ Ông/Bà trả kết quả.") % {"name": device.name},
            )
        return redirect("surveys:kiosks")
    return render(request, "surveys/kiosks.html", {"kiosks": devices})


# ---------------------------------------------------------------- questionnaires


def _answers(request: HttpRequest, template: SurveyTemplate) -> dict[int, int]:
    answers = {}
    for question in template.questions.all():
        raw = request.POST.get(f"q{question.pk}", "").strip()
        # ASCII digits only ("²".isdigit() is true), a scale point has one or two.
        if raw.isascii() and raw.isdigit() and len(raw) <= 2:
            answers[question.pk] = int(raw)
    return answers


@require_http_methods(["GET", "POST"])
@never_cache
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The five-factor questionnaire for a returned dossier (code and key again)."""
    template = SurveyTemplate.active(SurveyKind.SIPAS)
    if template is None:
        raise Http404
    code, key = request.GET.get("ma", ""), request.GET.get("khoa", "")
    if not lookup_throttle.allow(request):
        return throttled(request, "surveys/questionnaire.html", {"template": template})
    dossier = find_dossier(code, key)
    if dossier is None:
        lookup_throttle.failed(request)
        raise Http404
    context = {"template": template, "dossier": dossier, "scale": range(1, 6)}
    if request.method == "POST":
        from ..services import rating_refusal

        refusal = rating_refusal(dossier)
        try:
            if refusal:
                raise SurveyError(refusal)
            submit_survey(template=template, dossier=dossier, answers=_answers(request, template))
        except SurveyError as error:
            context["error_message"] = error.message
            return render(request, "surveys/questionnaire.html", context, status=400)
        context["thanks"] = True
    return render(request, "surveys/questionnaire.html", context)


@role_required(Role.UNIT_HEAD, Role.LEADER, Role.INSPECTOR)
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, code: str) -> HttpResponse:
    """The nine-criterion evaluation of one dossier's handling (2/1/0 each, max 18)."""
    template = SurveyTemplate.active(SurveyKind.NINE_CRITERIA)
    if template is None:
        raise Http404
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user), code=code)
    if not request.user.can_see_agency(dossier.receiving_agency_id):
        raise PermissionDenied
    context = {"template": template, "dossier": dossier, "scale": (2, 1, 0)}
    existing = dossier.survey_responses.filter(template=template).first()
    if request.method == "POST" and existing is None:
        try:
            existing = submit_survey(
                template=template,
                dossier=dossier,
                answers=_answers(request, template),
                user=request.user,
            )
        except SurveyError as error:
            context["error_message"] = error.message
            return render(request, "surveys/evaluation.html", context, status=400)
        return redirect(reverse("surveys:evaluation", args=[dossier.code]))
    context["response"] = existing
    return render(request, "surveys/evaluation.html", context)
