"""The English catalogs (locale/en and each app's own <app>/locale/en): complete,
not fuzzy, compiled, and used by the pages.

The .po file is read with a small parser of our own rather than polib, which
is not a project dependency."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import make_procedure

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
# Apps that keep their strings in their own catalog (makemessages puts a file's
# strings in the nearest locale folder above it).
PO_PATHS = [PO_PATH, *sorted(Path(settings.BASE_DIR).glob("*/locale/en/LC_MESSAGES/django.po"))]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{.*?\}\}")
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


@dataclass
class Entry:
    line: int
    flags: list[str] = field(default_factory=list)
    context: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid[:70]!r}"


def parse_po(path: Path) -> list[Entry]:
    """Entries in file order; obsolete (#~) entries are skipped, as gettext ignores them."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            # A comment opens a new entry unless the current one has not reached its msgid yet.
            if entry is None or entry.msgstr:
                entry = Entry(line=number)
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags += [flag.strip() for flag in line[2:].split(",")]
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            if keyword in ("msgctxt", "msgid") and (entry is None or entry.msgstr):
                entry = Entry(line=number)
                entries.append(entry)
            assert entry is not None
            value = ast.literal_eval(literal)
            if keyword == "msgctxt":
                entry.context, target = value, ("context", 0)
            elif keyword == "msgid":
                entry.msgid, target = value, ("msgid", 0)
            elif keyword == "msgid_plural":
                entry.msgid_plural, target = value, ("msgid_plural", 0)
            else:
                slot = int(index) if index is not None else 0
                entry.msgstr[slot], target = value, ("msgstr", slot)
            continue
        assert line.startswith('"') and entry is not None and target is not None, (
            f"{path}:{number}: cannot parse {raw!r}"
        )
        value = ast.literal_eval(line)
        name, slot = target
        if name == "msgstr":
            entry.msgstr[slot] += value
        else:
            setattr(entry, name, getattr(entry, name) + value)
    return entries


@pytest.fixture(
    scope="module", params=PO_PATHS, ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def po_path(request) -> Path:
    return request.param


@pytest.fixture(scope="module")
def messages(po_path) -> list[Entry]:
    entries = parse_po(po_path)
    assert entries and entries[0].msgid == "", "the header entry comes first"
    return entries[1:]


def test_catalog_has_the_ui_strings():
    # Guards the parser too: a parser that found nothing would pass every test below.
    messages = parse_po(PO_PATH)[1:]
    assert len(messages) > 500
    assert any(m.msgid == "Đăng nhập cán bộ" and m.msgstr[0] == "Staff sign-in" for m in messages)
    assert any(m.msgid_plural is not None for m in messages)


def test_every_string_is_translated(messages):
    untranslated = [
        str(m) for m in messages if not m.msgstr or any(not s.strip() for s in m.msgstr.values())
    ]
    assert untranslated == []


def test_no_translation_is_fuzzy(po_path):
    # The header's own fuzzy flag counts too: gettext drops a fuzzy header's plural rule.
    fuzzy = [str(m) for m in parse_po(po_path) if "fuzzy" in m.flags]
    assert fuzzy == []


def test_plural_entries_have_both_english_forms(messages):
    broken = [str(m) for m in messages if m.msgid_plural is not None and sorted(m.msgstr) != [0, 1]]
    assert broken == []


def test_translations_keep_every_placeholder(messages):
    broken = []
    for m in messages:
        for source in filter(None, (m.msgid, m.msgid_plural)):
            expected = set(PLACEHOLDER.findall(source))
            for translated in m.msgstr.values():
                if set(PLACEHOLDER.findall(translated)) != expected:
                    broken.append(f"{m}: {translated!r}")
    assert broken == []


def test_compiled_catalog_matches_the_po_file(messages):
    # A .po edited without running compilemessages leaves the old django.mo in use.
    stale = []
    with translation.override("en"):
        for m in messages:
            if m.msgid_plural is not None:
                got = [translation.ngettext(m.msgid, m.msgid_plural, n) for n in (1, 2)]
                if m.context is not None:
                    got = [
                        translation.npgettext(m.context, m.msgid, m.msgid_plural, n) for n in (1, 2)
                    ]
                want = [m.msgstr[0], m.msgstr[1]]
            elif m.context is not None:
                got, want = translation.pgettext(m.context, m.msgid), m.msgstr[0]
            else:
                got, want = translation.gettext(m.msgid), m.msgstr[0]
            if got != want:
                stale.append(str(m))
    assert stale == []


@pytest.mark.django_db
def test_public_catalog_page_is_shown_in_english(client):
    make_procedure(name="Đăng ký khai sinh")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("procedures:catalog")).content.decode()

    assert '<html lang="en">' in page
    assert "Search administrative procedures" in page
    assert "The catalog has 1 procedure" in page
    assert "Tra cứu thủ tục hành chính" not in page
    assert "Danh mục có 1 thủ tục" not in page
    # Catalog data stays as published, in Vietnamese.
    assert "Đăng ký khai sinh" in page


@pytest.mark.django_db
def test_public_catalog_page_stays_vietnamese_by_default(client):
    page = client.get(reverse("procedures:catalog")).content.decode()

    assert "Tra cứu thủ tục hành chính" in page
    assert "Search administrative procedures" not in page
