"""The sweep: every URL of the project (tests/sweep/pages.py), on the demo data,
as every demo persona and anonymous, in Vietnamese and English."""

import re
import time
from urllib.parse import quote

import pytest
from django.db import transaction
from django.urls import resolve

from . import pages
from .harness import HTMX, Findings, Visitor, body, inspect, varies_on_htmx


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


# Known failures, exact: (test, check, URL pattern, persona, language) -> why.
# A finding not listed fails; a listed one that stops happening fails too.
KNOWN: dict[tuple[str, str, str, str, str], str] = {}


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
            where = (page.key, persona, language, page.url)
            if page.key in pages.PARTIALS:
                response = visitor.get(page.url, language, **HTMX)
                inspect(findings, response, *where, demo.data, partial=True)
                continue
            response = visitor.get(page.url, language)
            inspect(findings, response, *where, demo.data)
            if varies_on_htmx(response):
                response = visitor.get(page.url, language, **HTMX)
                inspect(findings, response, *where, demo.data, partial=True)
    findings.settle(KNOWN, "test_every_page_as_every_persona_in_both_languages", persona)


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
    findings.settle(KNOWN, "test_malformed_path_parameters_never_give_a_5xx", persona)


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


# ---------------------------------------------------------------- Redis away

# The personas whose pages are visited with Redis away: the public side, a desk,
# a province's leader and the superuser who reaches every page (the admin's too).
REDIS_PERSONAS = (None, "canbo", "lanhdaotinh", "quantri")
# Seconds a page may take while Redis is away: a page takes milliseconds, with
# Redis hung at most one REDIS_TIMEOUT (0.5 s) before the breaker opens for the
# next few seconds (config/redis.py). A hang detector, not a benchmark.
HANG = 5.0


@pytest.mark.worker
@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_every_page_answers_with_redis_stopped_or_frozen(demo, fault, redis_server, private_redis):
    """Every page of the sweep, with this process's cache and broker on a private
    redis-server that is stopped, or frozen with SIGSTOP (the port accepts
    connections and nothing answers). The jobs queued meanwhile finishing after it
    returns is tests/test_redis_faults.py's part."""
    from config import redis as redis_config

    findings = Findings()
    if fault == "stopped":
        redis_server.stop()
    else:
        redis_server.freeze()
    try:
        for persona in REDIS_PERSONAS:
            visitor = Visitor(persona)
            for page in demo.pages:
                started = time.monotonic()
                response = visitor.get(page.url, "vi")
                body(response)
                seconds = time.monotonic() - started
                if response.status_code >= 500:
                    findings.add("5xx", page.key, persona, "vi", page.url, fault)
                elif seconds >= HANG:
                    findings.add("hang", page.key, persona, "vi", page.url, f"{seconds:.1f} s")
    finally:
        if fault == "stopped":
            redis_server.start()
        else:
            redis_server.thaw()
        redis_config.breaker.reset()
    assert not findings.items, findings.report()
