"""Django 6.1's own strings in Vietnamese (locale/vi): its Vietnamese catalog lacks
the admin's new captions and the forms' "- Select an option -", which the walk
found in the Vietnamese admin and on the conduct app's new-inspection form."""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_user

DJANGO = Path(django.__file__).parent
# Django's admin, its forms and fields: what a user of this project can meet.
SOURCES = {
    "admin": DJANGO / "contrib/admin/locale/en/LC_MESSAGES/django.po",
}
# Written the same in Vietnamese (Django's own Vietnamese catalog agrees).
SAME_IN_VIETNAMESE = {", ", "LogEntry Object", "%(class_name)s %(instance)s"}
NEEDED_CORE = [
    "- Select an option -",
    "That page number is not an integer",
    "Enter a valid domain name.",
    "Null characters are not allowed.",
    "Enter a complete value.",
]


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(match: re.Match) -> str:
    return ESCAPES.get(match.group(1), match.group(0))


def _literal(lines: str) -> str:
    literal = "".join(re.findall(r'^"(.*)"$', lines, re.M))
    return re.sub(r"\\(.)", _unescape, literal)


def msgids(po: Path) -> list[str]:
    """The msgids (singular) of a Django .po file, contexts left out."""
    return [singular for singular, _ in entries(po)]


def entries(po: Path) -> list[tuple[str, str | None]]:
    """(msgid, msgid_plural or None) of a Django .po file, contexts left out."""
    found = []
    text = po.read_text(encoding="utf-8")
    pattern = r'^(msgctxt .*\n)?msgid ((?:".*"\n)+)(msgid_plural ((?:".*"\n)+))?'
    for match in re.finditer(pattern, text, re.M):
        if match.group(1):
            continue
        value = _literal(match.group(2))
        if value:
            found.append((value, _literal(match.group(4)) if match.group(3) else None))
    return found


def test_every_string_of_djangos_admin_has_vietnamese():
    """A Django upgrade that adds admin strings shows here, not in the admin."""
    with translation.override("vi"):
        untranslated = [
            msgid for msgid in msgids(SOURCES["admin"]) if translation.gettext(msgid) == msgid
        ]
    assert [m for m in untranslated if m not in SAME_IN_VIETNAMESE] == []


def test_every_plural_string_of_djangos_admin_has_vietnamese():
    """A plural string is looked up as a plural: a singular entry of the same msgid
    does not translate it ("Please correct the errors below." stayed English)."""
    with translation.override("vi"):
        untranslated = [
            singular
            for singular, plural in entries(SOURCES["admin"])
            if plural is not None
            and (
                translation.ngettext(singular, plural, 1) == singular
                or translation.ngettext(singular, plural, 2) == plural
            )
        ]
    assert untranslated == []


@pytest.mark.parametrize("msgid", NEEDED_CORE)
def test_djangos_form_strings_have_vietnamese(msgid):
    with translation.override("vi"):
        assert translation.gettext(msgid) != msgid


def test_the_catalog_is_compiled():
    po = Path(__file__).resolve().parents[2] / "locale/vi/LC_MESSAGES/django.po"
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid in msgids(po):
        assert compiled.gettext(msgid) != msgid or msgid == ", ", msgid


@pytest.mark.django_db
def test_the_vietnamese_admin_index_has_vietnamese_captions(client, province):
    root = make_user(agency=province, username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    html = client.get(reverse("admin:index")).content.decode()
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in html
    assert "Tên mô hình dữ liệu" in html and "Liên kết thêm mới" in html


@pytest.mark.django_db
def test_the_new_inspection_form_has_a_vietnamese_empty_choice(client, inspector, commune):
    client.force_login(inspector)
    html = client.get(reverse("conduct:inspection-new")).content.decode()
    assert "Select an option" not in html
    assert "— Chọn —" in html
    client.cookies["motcua_language"] = "en"
    english = client.get(reverse("conduct:inspection-new")).content.decode()
    assert "- Select an option -" in english
