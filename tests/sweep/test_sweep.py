"""The sweep: every URL of the project (tests/sweep/pages.py), on the demo data,
as every demo persona and anonymous, in Vietnamese and English."""

import dataclasses
import io
import logging
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import resolve

from procedures.models import User
from tests.conftest import rolled_back

from . import checks, pages


@dataclasses.dataclass
class Sweep:
    demo: pages.Demo
    pages: list[pages.Page]
    data: set[str]  # checks.data_strings(): typed-in values that may equal a label


def prepare() -> Sweep:
    demo = pages.load_demo()
    return Sweep(demo, pages.demo_pages(demo), checks.data_strings())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    for cache in settings.CACHES:  # this run's own Redis databases: no throttle left over
        caches[cache].clear()
    # 403, 404 and 405 answers are expected by the thousand; a 5xx fails the test.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with rolled_back(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        yield prepare()
    request_log.setLevel(level)


def test_every_url_pattern_is_filled_or_listed_with_a_reason():
    """A page added without a way to fill its address fails here, not in production."""
    assert pages.uncovered() == []
    assert pages.stale() == []
    assert all(reason.strip() for reason in pages.UNFILLED.values())


@pytest.mark.django_db
def test_every_filled_address_resolves_to_its_own_pattern(demo):
    every_page = demo.pages
    by_key = {p.key: p for p in pages.patterns()}
    for page in every_page:
        match = resolve(page.url.split("?")[0])
        route = match.route if match.url_name is None else None
        key = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        assert page.key in (key, route) or by_key[page.key].callback is match.func, page
    filled = {p.key for p in every_page}
    missing = [
        p.key for p in pages.patterns() if p.key not in filled and p.key not in pages.UNFILLED
    ]
    assert missing == []


# ---------------------------------------------------------------- visiting


class Visitor:
    """One persona's browser: the Django test client, signed in once, the language
    cookie set before every request (a language switch visited changes it)."""

    def __init__(self, persona: str | None) -> None:
        self.persona = persona
        self.client = Client(raise_request_exception=False)
        if persona is not None:
            self.client.force_login(User.objects.get(username=persona))

    def get(self, url: str, language: str, **headers):
        return self.request("get", url, language, headers=headers)

    def request(self, method: str, url: str, language: str, *args, **kwargs):
        """One request in a savepoint rolled back after it: what it wrote (or a
        database error that would abort the transaction) does not reach the next."""
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        with transaction.atomic():
            response = getattr(self.client, method)(url, *args, **kwargs)
            if response.streaming:
                response.content_bytes = body(response)
            transaction.set_rollback(True)
        return response


def body(response) -> bytes:
    if hasattr(response, "content_bytes"):
        return response.content_bytes
    if response.streaming:
        # Consuming it closes it (the test client's wrapper); closing it again would
        # fire request_finished and close the database connection of the test.
        return b"".join(response.streaming_content)
    return response.content


class Findings:
    """Failures, each "check | pattern | persona | language | url | detail"."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str, str, str, str]] = []

    def add(self, check, page_key, persona, language, url, detail="") -> None:
        self.items.append((check, page_key, persona or "anonymous", language, url, detail))

    def report(self) -> str:
        return "\n".join(" | ".join(map(str, item))[:400] for item in self.items)

    def settle(self, test: str, persona: str | None) -> None:
        """Fail on every finding that ``KNOWN`` does not list, and on every entry of
        ``KNOWN`` for this test and persona that no longer happens (the list shrinks)."""
        who = persona or "anonymous"
        known = {k for k in KNOWN if k[0] == test and k[3] == who}
        seen = set()
        remaining = []
        for item in self.items:
            key = (test, item[0], item[1], item[2], item[3])
            if key in known:
                seen.add(key)
            else:
                remaining.append(item)
        self.items = remaining
        fixed = sorted(known - seen)
        assert not remaining and not fixed, self.report() + "".join(
            f"\nnow passes, remove from KNOWN: {k}" for k in fixed
        )


# Known failures, exact: (test, check, URL pattern, persona, language) -> why.
# A finding not listed fails; a listed one that stops happening fails too.
KNOWN: dict[tuple[str, str, str, str, str], str] = {}


def inspect(findings, response, page_key, persona, language, url, data, *, partial=False):
    """Every check that applies to one answer."""
    if response.status_code >= 500:
        findings.add("5xx", page_key, persona, language, url, response.status_code)
        return
    content_type = response.get("Content-Type", "")
    if not content_type.startswith("text/html"):
        body(response)
        return
    html = body(response).decode("utf-8", "replace")
    if not html.strip():
        return
    admin = page_key.startswith("admin")
    if partial and not checks.is_full_page(html):
        pass  # an htmx partial: checked for syntax and words below
    elif not checks.in_layout(html, admin=admin):
        findings.add("layout", page_key, persona, language, url, response.status_code)
    leftovers = checks.template_syntax(html)
    if leftovers:
        findings.add("template-syntax", page_key, persona, language, url, leftovers[0])
    parsed = checks.parse(html)
    if parsed.lang and parsed.lang != language:
        findings.add("html-lang", page_key, persona, language, url, parsed.lang)
    foreign = checks.foreign_text(parsed.texts, language, data)
    if foreign:
        findings.add("words", page_key, persona, language, url, foreign[:5])
    return parsed


def varies_on_htmx(response) -> bool:
    return "hx-request" in response.get("Vary", "").lower()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", pages.PERSONAS, ids=lambda p: p or "anonymous")
def test_every_page_as_every_persona_in_both_languages(demo, persona):
    """No 5xx; every HTML page in the layout (or an htmx partial of one), with no
    template syntax and no interface text of the other language."""
    every_page = demo.pages
    visitor = Visitor(persona)
    findings = Findings()
    for page in every_page:
        for language in pages.LANGUAGES[:1] if page.heavy else pages.LANGUAGES:
            if page.key in pages.PARTIALS:
                response = visitor.get(page.url, language, **HTMX)
                inspect(
                    findings,
                    response,
                    page.key,
                    persona,
                    language,
                    page.url,
                    demo.data,
                    partial=True,
                )
                continue
            response = visitor.get(page.url, language)
            inspect(findings, response, page.key, persona, language, page.url, demo.data)
            if varies_on_htmx(response):
                response = visitor.get(page.url, language, **HTMX)
                inspect(
                    findings,
                    response,
                    page.key,
                    persona,
                    language,
                    page.url,
                    demo.data,
                    partial=True,
                )
    findings.settle("test_every_page_as_every_persona_in_both_languages", persona)


HTMX = {"HX-Request": "true"}


# ---------------------------------------------------------------- malformed input

INVALID_UTF8 = "%FF%FEa"
# The personas whose path parameters are probed: the public side, a desk, the
# inspectors' side and the superuser who reaches every page.
PATH_PERSONAS = (None, "canbo", "kiemtra", "quantri")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PATH_PERSONAS, ids=lambda p: p or "anonymous")
def test_malformed_path_parameters_never_give_a_5xx(demo, persona):
    visitor = Visitor(persona)
    findings = Findings()
    values = {
        "nul": "a%00b",
        "long": "x" * 100_000,
        "huge": str(10**30),
        "word": "kh%C3%B4ng-ph%E1%BA%A3i",
        "utf-8": INVALID_UTF8,
    }
    filled = {}
    for page in demo.pages:
        filled.setdefault(page.key, page.kwargs)
    for pattern in pages.patterns():
        route = pattern.route
        if not pattern.converters or "(?P" in route or pattern.key not in filled:
            continue
        sample = {name: str(value) for name, value in filled[pattern.key].items()}
        if set(PARAMETER.findall(route)) - set(sample):
            continue
        for parameter, converter in pattern.converters.items():
            for kind, value in values.items():
                if converter == "IntConverter" and not value.isdigit():
                    continue  # the pattern itself refuses it (a 404 from the resolver)
                url = "/" + route
                for name in PARAMETER.findall(route):
                    url = url.replace(
                        PARAMETER.search(url)[0],
                        value if name == parameter else quote(sample[name]),
                        1,
                    )
                with transaction.atomic():
                    response = visitor.get(url, "vi")
                    body(response)
                    if response.status_code >= 500:
                        findings.add("5xx", pattern.key, persona, "vi", url[:200], kind)
                    transaction.set_rollback(True)
    findings.settle("test_malformed_path_parameters_never_give_a_5xx", persona)


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
