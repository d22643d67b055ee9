"""Work queues: the tabs a clerk, an officer or a leader works from.

The lists mask applicants' names and never show identification numbers
(Decree 13/2023); the full data is on the dossier page, which logs the view.
What a clerk searches for (a 12-digit identification number, a name) is personal
data too: the search form is POSTed and the text kept in the session under a
short random token, so addresses, history and server logs carry ``?tim=<token>``,
never the text itself.
Query count per page is fixed (tests/desk/test_queues.py asserts it): session,
user, the user's agency (hours; also shown by base.html), the agency subtree for
leaders, the calendar, the tab counts, the procedure fields, the page's rows.
"""

import secrets

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from procedures.auth import role_required
from procedures.models import Field

from ..models import Dossier
from ..queues import (
    BOUNDED_TABS,
    QUEUE_ROLES,
    TABS,
    Cursor,
    QueueClock,
    QueueFilterForm,
    apply_filters,
    count_label,
    default_tab,
    keyset_page,
    rows_for,
    tab_counts,
    tab_queryset,
)

SEARCHES_KEY = "desk_queue_searches"
SEARCHES_KEPT = 20
FILTER_NAMES = ("view", "field", "state", "channel", "received_from", "received_to", "per_page")


def remember_search(request: HttpRequest, text: str) -> str:
    """Keep ``text`` in the session; return the token that stands for it in URLs."""
    searches = dict(request.session.get(SEARCHES_KEY, {}))
    for token, known in searches.items():
        if known == text:
            return token
    token = secrets.token_urlsafe(6)
    searches[token] = text
    request.session[SEARCHES_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
    return token


@role_required(*QUEUE_ROLES)
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    """One tab of dossiers, filtered and searched, a page at a time; htmx requests
    (tabs, filters, paging) get only the results partial.

    POST (the search form): the search text goes into the session and the browser
    is sent to the GET address with its token (303), or, for htmx, gets the results
    with that address to push.
    """
    if request.method == "POST":
        params = QueryDict(mutable=True)
        for name in FILTER_NAMES:
            value = request.POST.get(name, "").strip()
            if value:
                params[name] = value
        text = request.POST.get("q", "").strip()
        if text:
            params["tim"] = remember_search(request, text[:100])
        address = f"{reverse('desk:queue')}?{params.urlencode()}"
        if not request.htmx:
            see_other = HttpResponseRedirect(address)
            see_other.status_code = 303  # the GET that follows is the page to keep
            return see_other
        request.GET = params  # the pagination and tab links are built from it
        response = _queue_page(request, partial=True)
        response["HX-Push-Url"] = address
        return response
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    return _queue_page(request, partial=partial)


def _queue_page(request: HttpRequest, *, partial: bool) -> HttpResponse:
    params = request.GET.copy()
    expired = False
    token = params.get("tim")
    if token:
        text = request.session.get(SEARCHES_KEY, {}).get(token)
        if text is None:  # another browser's or an old address: search forgotten
            expired = True
        else:
            params["q"] = text
    fields = list(Field.objects.order_by("name").values_list("pk", "name"))
    form = QueueFilterForm(params, fields=fields)
    form.is_valid()  # invalid filters are ignored below (with a notice), never a 500
    data = form.valid_data()
    tab = data.get("view") or default_tab(request.user)
    page_size = data.get("per_page") or form.fields["per_page"].empty_value

    clock = QueueClock.for_user(request.user)
    visible = Dossier.objects.visible_to(request.user)
    counts = tab_counts(visible, request.user, clock)
    listing = apply_filters(tab_queryset(visible, tab, request.user, clock), data)
    cursor = Cursor.load(request.GET.get("cursor"))
    page = keyset_page(listing, cursor, page_size, bounded=tab in BOUNDED_TABS)

    context = {
        "form": form,
        "tab": next(t for t in TABS if t.key == tab),
        "tabs": [
            {
                "tab": t,
                "count": counts.get(t.key),
                "label": count_label(counts[t.key]) if t.key in counts else "",
            }
            for t in TABS
        ],
        "page": page,
        "rows": rows_for(page, clock),
        "clock": clock,
        "ignored": form.ignored_labels(),
        "search_expired": _("Tìm kiếm trước đó đã hết hiệu lực; vui lòng nhập lại.")
        if expired
        else "",
        "filtered": any(
            data.get(name)
            for name in ("q", "field", "state", "channel", "received_from", "received_to")
        ),
        "partial": partial,
    }
    template = "desk/queue.html#results" if partial else "desk/queue.html"
    return render(request, template, context)
