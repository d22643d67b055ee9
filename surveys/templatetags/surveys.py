from django import template
from django.utils.formats import number_format

from ..models.templates import SipasFactor

register = template.Library()


@register.filter
def sipas_label(factor: str) -> str:
    try:
        return str(SipasFactor(factor).label)
    except ValueError:
        return factor


@register.filter
def pct(value) -> str:
    """12.5 -> "12,5%" in Vietnamese, "12.5%" in English; "–" when there is no figure."""
    if value is None:
        return "–"
    return f"{number_format(value, 1)}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def rating_base() -> str:
    """The rating page's address without the codes (printed on the receipt)."""
    from django.conf import settings

    return f"{settings.SITE_URL}/danh-gia/"


@register.simple_tag
def rating_days() -> int:
    """How many days after the return the rating link works (RATING_LINK_DAYS)."""
    from ..services.base import _setting

    return _setting("RATING_LINK_DAYS", 30)
