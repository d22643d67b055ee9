"""Work queues: the tabs a clerk, an officer or a leader works from.

The lists mask applicants' names and never show identification numbers
(Decree 13/2023); the full data is on the dossier page, which logs the view.
Query count per page is fixed (tests/desk/test_queues.py asserts it): session,
user, the user's agency (hours; also shown by base.html), the agency subtree for
leaders, the calendar, the tab counts, the procedure fields, the page's rows.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
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


@role_required(*QUEUE_ROLES)
@require_GET
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    """One tab of dossiers, filtered and searched, a page at a time; htmx requests
    (tabs, filters, paging) get only the results partial."""
    fields = list(Field.objects.order_by("name").values_list("pk", "name"))
    form = QueueFilterForm(request.GET, fields=fields)
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

    partial = request.htmx and not request.htmx.history_restore_request
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
        "filtered": any(
            data.get(name)
            for name in ("q", "field", "state", "channel", "received_from", "received_to")
        ),
        "partial": partial,
    }
    template = "desk/queue.html#results" if partial else "desk/queue.html"
    return render(request, template, context)
