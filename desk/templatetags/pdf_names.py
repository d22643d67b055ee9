"""Names on the printed forms never break inside a word (templates/pdf/*, the
conduct record): ``{{ agency.name|agency_name }}`` lets a line break only between
the words of desk.pdf.name_chunks, ``{{ person.name|person_name }}`` keeps a
person's name whole. The spans are styled by ``.nb`` in pdf/forms.css."""

from django import template
from django.utils.html import format_html, format_html_join

from ..pdf import name_chunks

register = template.Library()


@register.filter
def agency_name(name: object, where: str = "") -> str:
    """``|agency_name:"cell"`` in a narrow table cell: "phường" may end a line."""
    # A one-word chunk cannot break anyway: no span, one box less to lay out.
    return format_html_join(
        " ",
        "{}",
        (
            (format_html('<span class="nb">{}</span>', chunk) if " " in chunk else chunk,)
            for chunk in name_chunks(str(name or ""), with_level=where != "cell")
        ),
    )


@register.filter
def person_name(name: object) -> str:
    text = " ".join(str(name or "").split())
    return format_html('<span class="nb">{}</span>', text) if text else ""
