"""What the sweep reads in a page: its layout, leftover template syntax, the
interface language of its visible text, and its forms and links."""

from __future__ import annotations

import dataclasses
import functools
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings

# ---------------------------------------------------------------- parsing

# Attributes whose value is interface text a person reads or hears.
TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Elements whose content is not text on the page.
VOID = ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source")
HIDDEN_CONTENT = ("script", "style", "template", "textarea", "code", "pre")


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea" or "button"
    value: str = ""
    options: list[str] = dataclasses.field(default_factory=list)
    required: bool = False
    checked: bool = False
    multiple: bool = False


@dataclasses.dataclass
class Form:
    action: str
    method: str
    fields: list[Field]
    enctype: str = ""
    hx_post: str = ""

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields if f.name))


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.lang = ""
        self._hidden = 0
        # Elements marked with a language of their own (<td lang="vi">): their text
        # is in that language on purpose (a file's column names, the language switch).
        self._marked: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self._option: str | None = None
        self._option_selected = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        elif "lang" in a and tag not in VOID:
            self._marked.append(tag)
        for name in TEXT_ATTRIBUTES:
            if a.get(name) and not self._hidden and not self._marked:
                self.texts.append(a[name])
        for name in ("href", "hx-get"):
            if a.get(name):
                self.links.append(a[name])
        if tag in HIDDEN_CONTENT:
            self._hidden += 1
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                fields=[],
                enctype=a.get("enctype", ""),
                hx_post=a.get("hx-post", ""),
            )
            self.forms.append(self._form)
        if self._form is None:
            return
        required = "required" in a
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image", "reset") and not a.get("name"):
                return
            self._form.fields.append(
                Field(a.get("name", ""), kind, a.get("value", ""), [], required, "checked" in a)
            )
            if kind in ("submit", "image") and a.get("value"):
                self.texts.append(a["value"])
        elif tag == "button" and a.get("name"):
            self._form.fields.append(Field(a["name"], "button", a.get("value", "")))
        elif tag == "select":
            self._select = Field(a.get("name", ""), "select", "", [], required)
            self._select.multiple = "multiple" in a
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            if self._option is not None:
                self._add_option(self._option)
        elif tag == "textarea":
            self._textarea = Field(a.get("name", ""), "textarea", "", [], required)
            self._form.fields.append(self._textarea)

    def _add_option(self, value: str) -> None:
        self._select.options.append(value)
        # The selected option, else the first one.
        if self._option_selected or len(self._select.options) == 1:
            self._select.value = value

    def handle_endtag(self, tag):
        if self._marked and self._marked[-1] == tag:
            self._marked.pop()
        if tag in HIDDEN_CONTENT and self._hidden:
            self._hidden -= 1
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option" and self._option is None and self._select is not None:
            self._option = ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._select is not None and self._option is None:
            # An <option> without value= submits its text.
            text = data.strip()
            if text:
                self._add_option(text)
                self._option = text
        if not self._hidden and not self._marked and data.strip():
            self.texts.append(data)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


# ---------------------------------------------------------------- layout and syntax

LAYOUT_MARKERS = ('<header class="site-header"', '<main id="main"')
# The admin's own layout (django/contrib/admin/templates/admin/base.html).
ADMIN_MARKERS = ('<div id="container"', '<main id="content-start"')
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{#|#\}|\{\{")


def is_full_page(html: str) -> bool:
    return bool(re.match(r"\s*(<!doctype|<html)", html, re.I))


def in_layout(html: str, *, admin: bool) -> bool:
    if all(marker in html for marker in LAYOUT_MARKERS):
        return True
    return admin and all(marker in html for marker in ADMIN_MARKERS)


def template_syntax(html: str) -> list[str]:
    """Pieces of Django template syntax left in the page, outside scripts and styles."""
    text = _SCRIPT_OR_STYLE.sub("", html)
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in TEMPLATE_SYNTAX.finditer(text)]


# ---------------------------------------------------------------- interface language


def _normal(text: str) -> str:
    return " ".join(text.split())


def _catalog(mo: Path) -> dict[str, list[str]]:
    """msgid -> its msgstr forms, context and plural forms folded."""
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    out: dict[str, list[str]] = {}
    for key, msgstr in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04", 1)[-1]
        if msgid and msgstr:
            out.setdefault(msgid, []).append(msgstr)
    return out


def _usable(text: str) -> bool:
    """A whole string a text node can equal: no placeholders or markup, a real word."""
    return (
        len(text) >= 2
        and not re.search(r"%(\(\w+\))?[sdfi]|\{\w*\}|<|>", text)
        and bool(re.search(r"[^\W\d_]", text))
    )


@functools.cache
def interface_strings() -> dict[str, frozenset[str]]:
    """Interface text that must not appear on a page of the other language.

    ``"vi"``: English strings (the project's English msgstrs, Django's English
    msgids that Django translates to Vietnamese); ``"en"``: Vietnamese strings
    (the project's msgids that have an English translation, Django's Vietnamese
    msgstrs). A string that is also interface text of the page's own language
    (the same word in both) is never counted.
    """
    english, vietnamese = set(), set()
    project = [Path(settings.BASE_DIR) / "locale"] + [
        Path(c.path) / "locale" for c in apps.get_app_configs() if c.name in _PROJECT_APPS
    ]
    for folder in project:
        mo = folder / "en" / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            for msgid, msgstrs in _catalog(mo).items():
                for msgstr in msgstrs:
                    if msgstr != msgid:
                        vietnamese.add(_normal(msgid))
                        english.add(_normal(msgstr))
    django_folders = [Path(django.__file__).parent / "conf" / "locale"] + [
        Path(c.path) / "locale" for c in apps.get_app_configs() if c.name not in _PROJECT_APPS
    ]
    for folder in django_folders:
        for name in ("django.mo", "djangojs.mo"):
            mo = folder / "vi" / "LC_MESSAGES" / name
            if mo.exists():
                for msgid, msgstrs in _catalog(mo).items():
                    for msgstr in msgstrs:
                        if msgstr != msgid:
                            english.add(_normal(msgid))
                            vietnamese.add(_normal(msgstr))
    english = {t for t in english if _usable(t)}
    vietnamese = {t for t in vietnamese if _usable(t)}
    return {"vi": frozenset(english - vietnamese), "en": frozenset(vietnamese - english)}


_PROJECT_APPS = ("procedures", "desk", "surveys", "conduct")


# Text people type into the system (a job title, the catalog's names) may equal an
# interface string ("Cán bộ tiếp nhận" is a demo user's title and a role's label):
# such a value on a page is data, not interface text.
DATA_FIELDS = (
    ("procedures", "User", "title"),
    ("procedures", "Agency", "name"),
    ("procedures", "Agency", "desk_name"),
    ("procedures", "Field", "name"),
    ("procedures", "Procedure", "name"),
    ("procedures", "ProcedureStep", "name"),
    ("procedures", "RequiredDocument", "name"),
    ("desk", "ExportJob", "title"),
)


def data_strings() -> set[str]:
    """The values of ``DATA_FIELDS`` in the database now."""
    values = set()
    for app_label, model_name, field in DATA_FIELDS:
        model = apps.get_model(app_label, model_name)
        values.update(_normal(v) for v in model.objects.values_list(field, flat=True).distinct())
    return values


def foreign_text(texts: list[str], language: str, data: set[str] = frozenset()) -> list[str]:
    """The visible text nodes that are interface strings of the other language."""
    forbidden = interface_strings()[language]
    found = []
    for text in texts:
        text = _normal(text)
        if text in data:
            continue
        if text in forbidden or text.rstrip(":.") in forbidden:
            found.append(text)
    return list(dict.fromkeys(found))
