"""The public lookup (tra cứu hồ sơ): from the receipt's QR code or by typing the
code and the lookup key. No sign-in, no personal data, throttled per client.

A wrong key and an unknown code give the same page and status; failed attempts
count towards a much lower limit than lookups do (surveys/throttle.py).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from desk.forms_data import FORMS, FormNotApplicable
from desk.pdf import render_pdf

from ..forms import LookupForm
from ..lookup import PUBLIC_FORMS, find_dossier, mask_name, public_view
from ..throttle import lookup_throttle


def throttled(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    response = render(request, template, {**context, "throttled": True}, status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
@never_cache  # the state changes; a phone must not show yesterday's answer
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET)
    form.is_valid()
    code = form.cleaned_data.get("ma", "")
    key = form.cleaned_data.get("khoa", "")
    context = {"form": form, "searched": bool(code or key)}
    if not context["searched"]:
        return render(request, "surveys/lookup.html", context)
    if not lookup_throttle.allow(request):
        return throttled(request, "surveys/lookup.html", context)
    dossier = find_dossier(code, key)
    if dossier is None:
        lookup_throttle.failed(request)
        return render(request, "surveys/lookup.html", {**context, "not_found": True}, status=404)
    context["view"] = public_view(dossier)
    return render(request, "surveys/lookup.html", context)


@require_GET
@never_cache
def lookup_pdf(request: HttpRequest, form: str) -> HttpResponse:
    """The supplement request, apology or stop notice of the citizen's own dossier,
    with the applicant's details masked (the citizen holds the paper original)."""
    if form not in PUBLIC_FORMS:
        raise Http404
    if not lookup_throttle.allow(request):
        return HttpResponse(status=429, headers={"Retry-After": "60"})
    dossier = find_dossier(request.GET.get("ma", ""), request.GET.get("khoa", ""))
    if dossier is None:
        lookup_throttle.failed(request)
        raise Http404
    legal_form = FORMS[form]
    try:
        context = legal_form.build(dossier, full=False)
    except FormNotApplicable:
        raise Http404 from None
    person = context["person"]
    context["person"] = {
        **person,
        "name": mask_name(person["name"]),
        "filer_name": mask_name(person.get("filer_name", "")),
    }
    response = HttpResponse(
        render_pdf(legal_form.template, context), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form}.pdf"'
    return response
