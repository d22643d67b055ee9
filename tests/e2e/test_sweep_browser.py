"""The browser part of the sweep: on the demo data, every page type (one URL per URL
pattern the persona may open, GET and HTML only) is opened once in Chromium by each
demo persona and by an anonymous citizen on a phone. A JavaScript console error
(Content-Security-Policy refusals and failed resource loads included), an uncaught
exception, or an axe-core violation of serious or critical impact fails the test,
with one report of every problem: persona, URL, rule, nodes.

One browser for the whole test, one context per persona (signed in by a session
cookie made on the server: the login page itself is opened by the anonymous
citizen), one tab reused for every page. A page counts as loaded at its `load`
event and once htmx has no request in flight (the panels that load themselves);
the notification badge polls every 30 s and would keep `networkidle` away."""

import io
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from playwright.sync_api import Error as PlaywrightError

from procedures.demo import DEMO_USERS
from procedures.models import User

from .helpers import DESKTOP, axe_violations, phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANONYMOUS = "anonymous"
PERSONAS = (ANONYMOUS, *(username for username, *_ in DEMO_USERS))

# Patterns whose answer is never an HTML page for a browser tab to open.
NOT_HTML = ("healthz", "set_language", "admin:jsi18n", "admin:autocomplete", "admin:view_on_site")


# ---------------------------------------------------------------- the page types


def _patterns(resolver=None, namespace: str = "", prefix: str = ""):
    """(name, route, parameter names) of every named URL pattern, the admin's too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner, route)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route, set(entry.pattern.regex.groupindex)


def _admin_models() -> dict[str, type]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def _first(queryset):
    return queryset.order_by("pk").first()


def _parameters(name: str, params: set[str], user: User | None) -> dict | None:
    """Path parameters for ``name`` from the demo data, chosen so that ``user`` may
    open the page where the demo has such an object; None when nothing fits."""
    from conduct.models import ChecklistTemplate, ChecklistVersion, Inspection, InspectionPlan
    from desk.models import Dossier, ExportJob
    from procedures.models import ImportJob, Procedure
    from surveys.models import Feedback, Kiosk

    if not params:
        return {}
    dossiers = Dossier.objects.visible_to(user) if user else Dossier.objects.all()
    if name.startswith("admin:"):
        if params == {"app_label"}:
            return {"app_label": "desk"}
        model = _admin_models().get(name.removeprefix("admin:").rsplit("_", 1)[0])
        obj = _first(model.objects) if model else None
        return {"object_id": obj.pk} if obj else None
    if (params == {"code"} and name.startswith("desk:")) or name == "surveys:evaluation":
        held = dossiers.filter(current_holder=user) if user else dossiers.none()
        dossier = _first(held) or _first(dossiers) or _first(Dossier.objects)
        return {"code": dossier.code} if dossier else None
    objects = {
        "procedures:detail": lambda: {"code": _first(Procedure.objects).code},
        "procedures:import-job": lambda: {"pk": _first(ImportJob.objects).pk},
        "desk:export": lambda: {"pk": _first(ExportJob.objects).pk},
        "surveys:kiosk": lambda: {"token": _first(Kiosk.objects).token},
        "surveys:feedback-detail": lambda: {"pk": _first(Feedback.objects).pk},
        "conduct:inspection": lambda: {"public_id": _first(Inspection.objects).public_id},
        "conduct:officers": lambda: {"public_id": _first(Inspection.objects).public_id},
        "conduct:officer": lambda: {"pk": User.objects.get(username="canbo").pk},
        "conduct:plan": lambda: {"pk": _first(InspectionPlan.objects).pk},
        "conduct:version": lambda: {"pk": _first(ChecklistVersion.objects).pk},
        "conduct:version-new": lambda: {"pk": _first(ChecklistTemplate.objects).pk},
    }
    try:
        return objects[name]()
    except (KeyError, AttributeError):  # not a page, or nothing of the kind in the demo
        return None


def page_urls(user: User | None) -> list[tuple[str, str]]:
    """(page type, path) for every URL pattern, filled from the demo data for ``user``,
    and the pages a query string turns into another page (a dossier looked up, an
    intake with its procedure chosen).

    Patterns that answer POST only, files or a refusal are opened all the same and
    left out by their answer (405, not HTML, or a page type seen already)."""
    from django.urls import reverse

    from desk.models import Dossier, State
    from surveys.models import Feedback

    urls = []
    for name, route, params in _patterns():
        if name in NOT_HTML or route.endswith((".pdf", ".xlsx", ".<str:extension>")):
            continue
        kwargs = _parameters(name, params, user)
        if kwargs is not None:
            path = reverse(name, kwargs=kwargs)
            urls.append((page_type(path, 200), path))
    if user is None:  # a citizen's answers, not only the forms that ask
        returned = _first(Dossier.objects.filter(state=State.RETURNED))
        key = f"ma={returned.code}&khoa={returned.lookup_key}"
        urls += [
            ("lookup answer", f"{reverse('surveys:lookup')}?{key}"),
            ("rating form", f"{reverse('surveys:rate')}?{key}"),
            ("questionnaire", f"{reverse('surveys:questionnaire')}?{key}"),
        ]
        if feedback := _first(Feedback.objects):
            key = f"ma={feedback.code}&khoa={feedback.lookup_key}"
            urls.append(("feedback answer", f"{reverse('surveys:feedback-follow')}?{key}"))
    elif user.is_clerk:
        procedure = _first(user.agency.procedures.all())
        if procedure:
            urls.append(("intake form", f"{reverse('desk:intake')}?procedure={procedure.code}"))
    return urls


def page_type(path: str, status: int) -> str:
    """What makes two pages the same kind: their view (for the admin, the kind of
    view whatever the model), or the error they show."""
    if status >= 400:
        return f"error {status}"
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    if match.namespace == "admin":  # changelist, add, change... of any model: one kind each
        model, _, kind = (match.url_name or "").rpartition("_")
        return f"admin:{kind}" if model in _admin_models() else f"admin:{match.url_name}"
    view = getattr(match.func, "view_class", match.func)
    return f"{view.__module__}.{view.__qualname__}"


# ---------------------------------------------------------------- the visit


@dataclass
class Visit:
    persona: str
    url: str
    console: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"{self.persona} {self.url}"]
        lines += [f"  console: {text}" for text in self.console]
        for v in self.violations:
            lines.append(f"  axe {v['id']} ({v['impact']}): {v['help']}")
            lines += [f"      {n['target']}" for n in v["nodes"][:5]]
            if len(v["nodes"]) > 5:
                lines.append(f"      … and {len(v['nodes']) - 5} more")
        return "\n".join(lines)


def _context(browser, base: str, persona: str):
    if persona == ANONYMOUS:
        return phone(browser)
    client = Client()
    client.force_login(User.objects.get(username=persona))
    context = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context


def sweep(browser, base: str, persona: str, *, skip=frozenset()) -> tuple[list[Visit], set[str]]:
    """Every page type ``persona`` may open, but those in ``skip``: the visits with a
    problem, and the page types opened."""
    user = None if persona == ANONYMOUS else User.objects.get(username=persona)
    context = _context(browser, base, persona)
    page = context.new_page()
    console: list[str] = []

    def on_console(message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        # An error page's own status is logged as a failed load: not a fault of the page.
        if "Failed to load resource" in message.text and where == page.url:
            return
        console.append(f"{message.text} ({where}:{message.location.get('lineNumber', '?')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: console.append(f"uncaught {error}"))
    seen: set[str] = set()
    problems: list[Visit] = []
    try:
        for kind, path in page_urls(user):
            if kind in seen or kind in skip:
                continue
            console.clear()
            try:
                response = page.goto(base + path, wait_until="load")
            except PlaywrightError as error:
                # An error status with an empty body (405 on a POST-only URL): Chromium
                # shows its own page. Anything else is a failure of the page.
                if "ERR_HTTP_RESPONSE_CODE_FAILURE" in error.message:
                    page.wait_for_url("chrome-error://**")  # or it cuts the next one short
                    continue
                raise
            if response is None or response.status == 405:
                continue
            if "text/html" not in (response.header_value("content-type") or ""):
                continue
            final = page.url.removeprefix(base)
            if final != path or response.status >= 400:  # redirected, or refused
                kind = page_type(final, response.status)
            if kind in seen or kind in skip:
                continue
            seen.add(kind)
            page.wait_for_function("() => !document.querySelector('.htmx-request')")
            fragment = _fragment(page)
            violations = (
                []
                if fragment == "control"
                else [
                    v
                    for v in axe_violations(page, fragment=bool(fragment))
                    if not _upstream(final, v)
                ]
            )
            visit = Visit(persona, final, list(console), violations)
            if visit.console or visit.violations:
                problems.append(visit)
    finally:
        context.close()
    return problems, seen


def _fragment(page) -> str:
    """ "" for a page; "fragment" for an htmx partial opened on its own (the browser
    wrapped it in a document); "control" for a partial that is one form field, which
    replaces a field of the page that holds its label."""
    return page.evaluate(
        """() => document.querySelector('title') ? '' :
            document.body.children.length === 1 &&
            document.body.firstElementChild.matches('select, input, textarea')
            ? 'control' : 'fragment'"""
    )


# Django's own admin widgets, which this project does not write: SelectFilter2.js
# puts aria-label on a plain <span>, and select2 (the autocomplete fields) leaves its
# combobox unnamed. Only on admin pages, only these rules and nodes.
UPSTREAM = {
    "aria-prohibited-attr": ".search-label-icon",
    "aria-input-field-name": "select2",
}


def _upstream(path: str, violation: dict) -> bool:
    mark = UPSTREAM.get(violation["id"])
    return bool(
        mark and path.startswith("/admin/") and all(mark in n["target"] for n in violation["nodes"])
    )


def test_every_page_type_runs_without_console_errors_and_passes_axe(browser, live_server):
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    print(f"demo loaded in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    problems, covered = sweep_all(browser, live_server.url)
    print(
        f"browser sweep: {sum(map(len, covered.values()))} pages in {time.monotonic() - started:.0f} s"
    )
    assert all(covered.values()), covered
    assert not problems, "\n\n".join(v.report() for v in problems)


def sweep_all(browser, base: str) -> tuple[list[Visit], dict[str, set[str]]]:
    """Every persona's sweep. The citizens' pages and the error pages differ between
    signed-in personas by their header only: the first staff persona opens them, the
    others go straight to the pages of their roles."""
    problems: list[Visit] = []
    covered: dict[str, set[str]] = {}
    shared: frozenset[str] = frozenset()
    for persona in PERSONAS:
        found, covered[persona] = sweep(browser, base, persona, skip=shared)
        problems += found
        if persona != ANONYMOUS and not shared:
            errors = {kind for kind in covered[persona] if kind.startswith("error ")}
            shared = frozenset(covered[ANONYMOUS] | errors)
    return problems, covered
