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
from django.urls import resolve
from django.urls.exceptions import Resolver404
from playwright.sync_api import Error as PlaywrightError

from procedures.demo import DEMO_USERS
from procedures.models import User
from tests.sweep.pages import demo_pages

from .helpers import DESKTOP, axe_violations, phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANONYMOUS = "anonymous"
PERSONAS = (ANONYMOUS, *(username for username, *_ in DEMO_USERS))


# ---------------------------------------------------------------- the page types

# Addresses a browser tab does not open as a page: a language switch (it would turn
# the rest of the persona's visit into English), and answers that are not HTML.
NOT_PAGES = {"choose-language", "set_language", "healthz", "admin:jsi18n", "admin:autocomplete"}


def page_urls() -> list[tuple[str, str]]:
    """(page type, path) for every page of the project on the demo data
    (tests/sweep/pages.py), downloads and PDFs left out. A query string makes another
    type (a dossier looked up is not the empty lookup form); POST-only addresses and
    refusals are opened all the same and left out by their answer."""
    urls = []
    for page in demo_pages():
        if page.heavy or page.key in NOT_PAGES:
            continue
        path, _, query = page.url.partition("?")
        kind = page_type(path, 200)
        if query:
            kind += " ?" + "&".join(sorted(k.split("=")[0] for k in query.split("&")))
        urls.append((kind, page.url))
    return urls


def _admin_models() -> dict[str, type]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


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


def sweep(
    browser, base: str, persona: str, urls: list[tuple[str, str]], *, skip=frozenset()
) -> tuple[list[Visit], set[str]]:
    """Every page type ``persona`` may open, but those in ``skip``: the visits with a
    problem, and the page types opened."""
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
        for kind, path in urls:
            if kind in seen or kind in skip or not _answers_get(path):
                continue
            console.clear()
            response = _open(page, base + path)
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


def _answers_get(path: str) -> bool:
    """False for a POST-only address (require_POST, a view class without get): it
    answers a browser with the 405 page, the error layout the 404 visits already
    check, so it is not opened once more per address."""
    match = resolve(urlsplit(path).path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is not None:
        return "get" in view_class.http_method_names and hasattr(view_class, "get")
    view = match.func
    while view is not None:  # require_http_methods keeps its list in a closure
        for cell in view.__closure__ or ():
            methods = cell.cell_contents
            if (
                isinstance(methods, list)
                and methods
                and all(isinstance(m, str) and m.isupper() for m in methods)
            ):
                return "GET" in methods
        view = getattr(view, "__wrapped__", None)
    return True


def _open(page, url: str):
    """The page's response, or None for an error status with an empty body."""
    try:
        return page.goto(url, wait_until="load")
    except PlaywrightError as error:
        if "ERR_HTTP_RESPONSE_CODE_FAILURE" in error.message:
            page.wait_for_url("chrome-error://**")
            return None
        raise


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
    urls = page_urls()
    problems: list[Visit] = []
    covered: dict[str, set[str]] = {}
    shared: frozenset[str] = frozenset()
    for persona in PERSONAS:
        found, covered[persona] = sweep(browser, base, persona, urls, skip=shared)
        problems += found
        if persona != ANONYMOUS and not shared:
            errors = {kind for kind in covered[persona] if kind.startswith("error ")}
            shared = frozenset(covered[ANONYMOUS] | errors)
    return problems, covered
