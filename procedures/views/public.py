"""The public procedure catalog: search and detail pages, no sign-in.

Citizens reach these pages from old links, QR codes and search engines; they
show the catalog only (no personal data, no staff names).
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..forms import CatalogSearchForm
from ..models import Procedure, ProcedureStatus

PAGE_SIZE = 25

# Browsers may keep a page for a minute (back button, re-opened tabs). Not
# "public": the full page embeds the CSRF token (base.html) and sets its cookie,
# which a shared cache must not hand to other visitors.
briefly_cacheable = cache_control(max_age=60, private=True)


@require_GET
@briefly_cacheable
@vary_on_headers("HX-Request")
def catalog(request: HttpRequest) -> HttpResponse:
    """Search and filter the catalog; htmx requests get only the results partial."""
    form = CatalogSearchForm(request.GET)
    form.is_valid()  # invalid filters are ignored below (with a notice), never a 500
    data = form.valid_data()
    procedures = (
        Procedure.objects.public()
        .search(data["q"])
        .filter_catalog(
            field=data["field"],
            level=data["level"],
            agency=data["agency"],
            online_level=data["online"],
        )
        .for_listing()
        .ranked()
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))

    # Page links carry the valid search and filters only.
    params = QueryDict(mutable=True)
    params.update({name: value for name, value in data.items() if value})
    context = {
        "form": form,
        "page": page,
        "params": params,
        "ignored": form.ignored_labels(),
        "searching": bool(params),
    }
    # A history restore (back button after the cache expired) needs the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "procedures/catalog.html#results" if partial else "procedures/catalog.html"
    return render(request, template, context)


@require_GET
@briefly_cacheable
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Every part of a procedure that Decree 63/2010 requires to be published.

    Abolished procedures still answer (old links, printed leaflets) with a clear
    notice; search no longer lists them.
    """
    procedure = get_object_or_404(Procedure.objects.for_detail(), code=code)
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "abolished": procedure.status == ProcedureStatus.ABOLISHED,
            "default_variant": procedure.default_variant(),
        },
    )
