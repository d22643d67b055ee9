"""What the sweeps share: a persona's client whose every request is rolled back,
the findings list with its exact list of known failures, and the checks one
answer gets (tests/sweep/checks.py)."""

import copy
import dataclasses

from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from procedures.models import User

from . import checks, pages


@dataclasses.dataclass
class Sweep:
    demo: pages.Demo
    pages: list[pages.Page]
    data: set[str]  # checks.data_strings(): typed-in values that may equal a label


def prepare() -> Sweep:
    demo = pages.load_demo()
    return Sweep(demo, pages.demo_pages(demo), checks.data_strings())


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
        # The cookies come back too: a sign-out or a sign-in submitted does not
        # change who the next request is from (its session row is rolled back).
        cookies = self.client.cookies
        self.client.cookies = copy.deepcopy(cookies)
        with transaction.atomic():
            before = table_writes()
            response = getattr(self.client, method)(url, *args, **kwargs)
            if response.streaming:
                response.content_bytes = body(response)
            after = table_writes()
            transaction.set_rollback(True)
        self.client.cookies = cookies
        response.writes = {
            t: n - before.get(t, 0) for t, n in after.items() if n != before.get(t, 0)
        }
        return response


# Rows inserted, updated or deleted in each table so far in this transaction, as
# PostgreSQL counts them: the difference around a request is what it wrote, even
# though the savepoint it ran in is rolled back.
_WRITES = "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"


def table_writes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(_WRITES)
        return dict(cursor.fetchall())


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

    def settle(self, known_failures: dict, test: str, persona: str | None) -> None:
        """Fail on every finding that ``KNOWN`` does not list, and on every entry of
        ``KNOWN`` for this test and persona that no longer happens (the list shrinks)."""
        who = persona or "anonymous"
        known = {k for k in known_failures if k[0] == test and k[3] == who}
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


HTMX = {"HX-Request": "true"}
