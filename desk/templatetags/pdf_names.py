"""Names on the printed forms never break inside a word (templates/pdf/*):
``{{ agency.name|agency_name }}`` lets a line break only between the words of
desk.pdf.name_chunks, ``{{ person.name|person_name }}`` keeps a person's name whole.

The spaces inside a word are no-break spaces (U+00A0), not ``white-space: nowrap``
spans: the text stays one run for WeasyPrint, which lays out and draws an inline
box per span (about 8 % of a receipt's CPU time, bench/bench_forms.py). pdftotext
and Python's ``str.split`` read U+00A0 as a space."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..pdf import name_chunks

register = template.Library()

NBSP = "\u00a0"


def _unbroken(words: str) -> str:
    return words.replace(" ", NBSP)


@register.filter
def agency_name(name: object, where: str = "") -> str:
    """``|agency_name:"cell"`` in a narrow table cell: "phường" may end a line."""
    chunks = name_chunks(str(name or ""), with_level=where != "cell")
    return mark_safe(" ".join(_unbroken(conditional_escape(chunk)) for chunk in chunks))


@register.filter
def person_name(name: object) -> str:
    return mark_safe(_unbroken(conditional_escape(" ".join(str(name or "").split()))))
