"""The form sweep: every form on every page of the project (tests/sweep/pages.py),
as every demo persona that sees it, submitted as the page renders it, refused,
and with malformed values in each of its fields.

- **As rendered** ("valid"): the values the page put in the form, an empty field
  filled by its type (a date, a number, an address, a tiny PNG for a file). The
  answer has no 5xx, is in the layout (or an htmx partial), with no template syntax
  and no interface text of the other language.
- **Refused**: every field a person fills left empty (hidden fields as rendered).
  The answer is a 4xx page in the layout, or the form again; nothing is written
  to the database (PostgreSQL's per-transaction row counts, tests/sweep/harness.py).
- **Malformed**: each field in turn, the others as rendered, set to a NUL byte,
  100,000 characters, 10**30, a word where a number goes, and invalid UTF-8; and
  each query parameter of a GET form likewise. Never a 5xx.

The admin's forms are among them: its add and change pages are swept for one row
of every model (the first), as the superuser.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterator
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from . import checks, pages
from .harness import HTMX, Findings, Visitor, body, inspect

# What an empty text field gets in the submission "as rendered": not interface text.
TYPED = "Mẫu dữ liệu 42"
BY_TYPE = {
    "email": "mau42@example.com",
    "number": "1",
    "date": datetime.date.today().isoformat(),
    "datetime-local": datetime.datetime.now().strftime("%Y-%m-%dT%H:%M"),
    "month": datetime.date.today().strftime("%Y-%m"),
    "time": "09:00",
    "tel": "0912345678",
    "url": "https://example.com/",
    "password": pages.DEMO_PASSWORD,
    "search": TYPED,
    "color": "#000000",
    "range": "1",
}
# Field kinds a person does not type into.
UNTYPED = {"hidden", "submit", "button", "image", "reset"}

MALFORMED = {
    "nul": "a%00b",
    "long": "x" * 100_000,
    "huge": str(10**30),
    "word": quote("không-phải-số"),
    "utf-8": "%FF%FEa",
}

# Tables a refused request may write to, with the reason.
REFUSAL_MAY_WRITE = {
    "django_session": "the session's own row (a message, the language) is not the form's data",
    "procedures_loginfailure": "a refused sign-in is counted: that is the lock-out (procedures/auth.py)",
}

# Forms for which what ``refused`` sends is a request to honour, with the reason.
EMPTY_IS_VALID = {
    "set_language": "Django's language switch: an unknown language keeps the current one",
    "desk:queue": "the queue's search: an empty one lists every dossier",
}


def accepts_empty(key: str) -> bool:
    """``EMPTY_IS_VALID``, and Django's admin: a list's action form with no action
    chosen is answered on the list with Django's message; a deletion's confirmation
    page has nothing to fill, its POST is the confirmation."""
    admin = key.startswith("admin:") and key.endswith(("_changelist", "_delete"))
    return admin or key in EMPTY_IS_VALID


@dataclasses.dataclass
class Found:
    persona: str | None
    page: pages.Page
    form: checks.Form
    path: str  # where it is submitted
    key: str  # the URL pattern of that address

    @property
    def method(self) -> str:
        return "post" if self.form.method == "post" or self.form.hx_post else "get"

    @property
    def htmx(self) -> bool:
        return bool(self.form.hx_post)

    @property
    def signature(self) -> tuple:
        return (self.key, self.method, tuple(self.form.names()))


def pattern_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name is None:
        return match.route
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def collect(sweep, findings: Findings) -> list[Found]:
    """Every distinct form (by persona, address and field names) of every page."""
    found: dict[tuple, Found] = {}
    for persona in pages.PERSONAS:
        visitor = Visitor(persona)
        for page in sweep.pages:
            if page.heavy or page.key in pages.PARTIALS:
                continue
            response = visitor.get(page.url, "vi")
            html = body(response)
            if response.status_code != 200 or b"<form" not in html:
                continue
            for form in checks.parse(html.decode("utf-8", "replace")).forms:
                target = urljoin(page.url, form.hx_post or form.action or page.url)
                parts = urlsplit(target)
                if parts.netloc:
                    continue  # another site's address: not ours to submit
                key = pattern_key(parts.path)
                if key is None:
                    findings.add("action-404", page.key, persona, "vi", page.url, target)
                    continue
                item = Found(persona, page, form, parts.path, key)
                found.setdefault((persona, *item.signature), item)
    return list(found.values())


def rendered(form: checks.Form) -> list[tuple[str, object]]:
    """The submission a person makes with what the page filled in, empty fields typed."""
    values: list[tuple[str, object]] = []
    radios_done: set[str] = set()
    for field in form.fields:
        if not field.name or field.kind in ("submit", "image", "button"):
            continue
        if field.kind == "radio":
            group = [f for f in form.fields if f.name == field.name and f.kind == "radio"]
            if field.name not in radios_done:
                radios_done.add(field.name)
                chosen = next((f for f in group if f.checked), group[0])
                values.append((field.name, chosen.value or "on"))
        elif field.kind == "checkbox":
            if field.checked or field.required:
                values.append((field.name, field.value or "on"))
        elif field.kind == "select":
            options = [o for o in field.options if o]
            value = field.value or (options[0] if options else "")
            values.append((field.name, value))
        elif field.kind == "file":
            values.append((field.name, SimpleUploadedFile("mau.png", pages._PNG, "image/png")))
        elif field.value or field.kind == "hidden":
            values.append((field.name, field.value))
        else:
            values.append((field.name, BY_TYPE.get(field.kind, TYPED)))
    # The button that submits it (a form with several names the first).
    button = next((f for f in form.fields if f.kind in ("submit", "button") and f.name), None)
    if button is not None:
        values.append((button.name, button.value))
    return values


def refused(form: checks.Form) -> list[tuple[str, object]] | None:
    """A submission the form must refuse: its required fields left empty; for a form
    with none, its hidden fields (the version read, the object chosen) blanked; None
    for a form with neither (a bare button)."""
    values = rendered(form)
    kinds = {f.name: f for f in form.fields if f.name}
    if any(f.required and f.kind not in UNTYPED for f in form.fields):
        return [
            (n, "" if kinds[n].kind not in UNTYPED else v)
            for n, v in values
            if kinds[n].kind not in ("checkbox", "radio", "file") or not kinds[n].required
        ]
    hidden = [n for n, _ in values if kinds[n].kind == "hidden" and n != "csrfmiddlewaretoken"]
    if hidden:
        return [(n, "" if n in hidden else v) for n, v in values]
    return None


def typed_fields(form: checks.Form) -> list[str]:
    """The fields a person fills; of an admin inline's rows the first only (the
    others are the same fields again) and not the empty row it copies from."""
    names: dict[str, str] = {}
    for field in form.fields:
        if not field.name or field.kind in UNTYPED or "__prefix__" in field.name:
            continue
        names.setdefault(re.sub(r"-\d+-", "-N-", field.name), field.name)
    return list(names.values())


def as_data(values: list[tuple[str, object]]) -> dict[str, list]:
    data: dict[str, list] = {}
    for name, value in values:
        data.setdefault(name, []).append(value)
    return data


def encoded(values: list[tuple[str, object]], name: str, raw: str) -> str:
    """An urlencoded body (or query) with ``name`` set to ``raw``, already escaped."""
    pairs = []
    for field, value in values:
        if field == name:
            continue
        pairs.append(f"{quote(field)}={quote(value if isinstance(value, str) else '')}")
    pairs.append(f"{quote(name)}={raw}")
    return "&".join(pairs)


def submit(visitor, item: Found, values, language: str, *, htmx: bool = False):
    headers = HTMX if htmx else {}
    if item.method == "get":
        query = "&".join(f"{quote(n)}={quote(str(v))}" for n, v in values)
        return visitor.get(f"{item.path}?{query}", language, **headers)
    return visitor.request("post", item.path, language, as_data(values), headers=headers)


def submit_raw(visitor, item: Found, payload: str):
    if item.method == "get":
        return visitor.get(f"{item.path}?{payload}", "vi")
    return visitor.request(
        "post", item.path, "vi", payload, content_type="application/x-www-form-urlencoded"
    )


def wrote(response) -> dict[str, int]:
    return {t: n for t, n in response.writes.items() if t not in REFUSAL_MAY_WRITE}


# ---------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def forms(demo):
    findings = Findings()
    found = collect(demo, findings)
    assert not findings.items, findings.report()
    return found


def by_persona(forms, persona) -> Iterator[Found]:
    return (f for f in forms if f.persona == persona)


@pytest.mark.django_db
def test_the_sweep_finds_the_forms_people_use(forms):
    """The collection reaches the forms of every side: a collector that found
    nothing would make the tests below pass without testing anything."""
    keys = {f.key for f in forms}
    for expected in (
        "login",
        "set_language",
        "surveys:lookup",
        "surveys:feedback-submit",
        "desk:intake",
        "desk:action",
        "conduct:tick",
        "procedures:import",
        "admin:procedures_procedure_change",
    ):
        assert expected in keys, expected
    assert len(forms) > 100


@pytest.mark.django_db
@pytest.mark.parametrize("persona", pages.PERSONAS, ids=lambda p: p or "anonymous")
def test_every_form_as_rendered_and_refused(demo, forms, persona):
    visitor = Visitor(persona)
    findings = Findings()
    for item in by_persona(forms, persona):
        for language in pages.LANGUAGES:
            where = (item.key, persona, language, item.path)
            for htmx in (False, True) if item.htmx else (False,):
                response = submit(visitor, item, rendered(item.form), language, htmx=htmx)
                inspect(findings, response, *where, demo.data | {TYPED}, partial=htmx)
                refusal = refused(item.form)
                if item.method != "post" or refusal is None or accepts_empty(item.key):
                    continue
                response = submit(visitor, item, refusal, language, htmx=htmx)
                inspect(findings, response, *where, demo.data, partial=htmx)
                if wrote(response):
                    findings.add("refused-wrote", *where, wrote(response))
                elif 300 <= response.status_code < 400:
                    findings.add("refused-redirect", *where, response.get("Location"))
    findings.settle(KNOWN, "test_every_form_as_rendered_and_refused", persona)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", pages.PERSONAS, ids=lambda p: p or "anonymous")
def test_malformed_values_in_every_field_never_give_a_5xx(demo, forms, persona):
    """Each distinct form once (the first persona that sees it), each field in turn."""
    visitor = Visitor(persona)
    findings = Findings()
    for item in distinct(forms):
        if item.persona != persona:
            continue
        values = rendered(item.form)

        for index, name in enumerate(typed_fields(item.form)):
            for kind, raw in MALFORMED.items():
                if kind == "utf-8" and index and item.key.startswith("admin:"):
                    continue  # Django decodes the body before any admin code reads it
                response = submit_raw(visitor, item, encoded(values, name, raw))
                body(response)
                if response.status_code >= 500:
                    findings.add("5xx", item.key, persona, "vi", item.path, f"{name}={kind}")
    findings.settle(KNOWN, "test_malformed_values_in_every_field_never_give_a_5xx", persona)


def distinct(forms: list[Found]) -> list[Found]:
    """Each form once, as the first persona that sees it; of a model's admin add and
    change forms (the same fields) one."""
    first: dict[tuple, Found] = {}
    for item in forms:
        key, method, names = item.signature
        if key.startswith("admin:") and key.endswith(("_add", "_change")):
            key = key.rsplit("_", 1)[0]
        first.setdefault((key, method, names if key == item.key else ()), item)
    return list(first.values())


@pytest.mark.django_db
def test_every_listed_exception_is_still_needed(forms):
    """An entry of ``EMPTY_IS_VALID`` names a form the sweep finds and would refuse."""
    refusable = {f.key for f in forms if refused(f.form) is not None}
    assert sorted(set(EMPTY_IS_VALID) - refusable) == []


# Known failures, exact: (test, check, URL pattern, persona, language) -> why.
KNOWN: dict[tuple[str, str, str, str, str], str] = {}
