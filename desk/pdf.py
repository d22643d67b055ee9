"""The one PDF helper: a Django template in ``templates/pdf/`` rendered by WeasyPrint.

WeasyPrint is imported inside ``render_pdf`` so that the web process, the tests
and the management commands that never print a form do not load Pango.

The fonts (Liberation Serif 2.1, Times-metric, SIL OFL) ship in ``static/fonts/``
and are referenced with ``file://`` URLs from the PDF stylesheet, so a receipt
looks the same on every machine whatever fonts the system has. The URL fetcher
refuses everything else: no template can make the server fetch a network address.

Dates on the forms are Vietnamese legal dates: dd/mm/yyyy, "ngày 13 tháng 02 năm
2026", times HH:MM, always in Asia/Ho_Chi_Minh.
"""

import atexit
import datetime as dt
import threading
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def font_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "fonts"


@cache
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        """Only the shipped fonts and data: URIs (the QR code); nothing from the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_relative_to(font_dir().resolve()):  # no ../ out of it
                    return super().fetch(url, headers)
            raise ValueError(f"Refused to fetch {url[:80]} while rendering a PDF")

    return LocalFetcher


_resources = threading.local()


def _prepared() -> tuple[Any, Any, Any]:
    """The URL fetcher, the font configuration with the shipped fonts loaded, and
    pdf/forms.css parsed, built once per thread. Building them for every form
    would more than double a receipt's rendering time (the fetcher alone loads the
    system's CA certificates for an HTTPS handler it never uses).

    Per thread because a FontConfiguration wraps Fontconfig and Pango state that
    is not meant to be shared between threads.
    """
    cached = getattr(_resources, "value", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fetcher = _fetcher_class()(allowed_protocols={"file", "data"})
        fonts = FontConfiguration()
        css = CSS(
            string=render_to_string("pdf/forms.css", {"font_url": font_dir().resolve().as_uri()}),
            base_url=font_dir().resolve().as_uri() + "/",
            url_fetcher=fetcher,
            font_config=fonts,
        )
        cached = _resources.value = (fetcher, fonts, css)
    return cached


def url_fetcher() -> Any:
    """This thread's WeasyPrint URL fetcher: the shipped fonts and data: URIs only."""
    return _prepared()[0]


@atexit.register
def _release() -> None:
    # Drop the main thread's fonts before the interpreter tears modules down:
    # FontConfiguration.__del__ needs shutil to delete its temporary folder.
    _resources.__dict__.pop("value", None)


def render_pdf(
    template_name: str, context: dict[str, Any], *, base_url: str | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    Legal forms are Vietnamese documents whatever language the user's interface
    is in, so the template renders under Vietnamese and the Vietnam time zone.
    The shared stylesheet pdf/forms.css comes first; the template's own rules win.
    """
    from weasyprint import HTML

    fetcher, fonts, stylesheet = _prepared()
    with translation.override("vi"), timezone.override(VN_TZ):
        html = render_to_string(template_name, context)
    document = HTML(
        string=html,
        base_url=base_url or font_dir().resolve().as_uri() + "/",
        url_fetcher=fetcher,
    )
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)


# ---------------------------------------------------------------- dates and times


def local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value, VN_TZ) if timezone.is_aware(value) else value


def _day(value: dt.datetime | dt.date) -> dt.date:
    return local(value).date() if isinstance(value, dt.datetime) else value


def vn_date(value: dt.datetime | dt.date | None) -> str:
    """13/02/2026"""
    return _day(value).strftime("%d/%m/%Y") if value else ""


def vn_time(value: dt.datetime | None) -> str:
    """10:05"""
    return local(value).strftime("%H:%M") if value else ""


def vn_datetime(value: dt.datetime | None) -> str:
    """10:05 13/02/2026 (tables, where space is short)"""
    return f"{vn_time(value)} {vn_date(value)}" if value else ""


def vn_long_date(value: dt.datetime | dt.date | None) -> str:
    """ngày 13 tháng 02 năm 2026 (the place/date line of Decree 30/2020)"""
    if not value:
        return "ngày ... tháng ... năm ......"
    day = _day(value)
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def vn_clock(value: dt.datetime | None) -> str:
    """10 giờ 05 phút, ngày 13/02/2026 (the receipt's "giờ, phút, ngày")"""
    if not value:
        return ""
    moment = local(value)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def vn_weekday(value: dt.datetime | dt.date) -> str:
    return WEEKDAYS[_day(value).weekday()]


def vn_money(amount: Any) -> str:
    """50.000 (Vietnamese thousands separator)"""
    return f"{int(amount or 0):,}".replace(",", ".")


# ---------------------------------------------------------------- places and QR codes

# Prefixes stripped from the province's committee name to get the place name of
# the date line ("Ủy ban nhân dân tỉnh Khánh Hòa" -> "Khánh Hòa").
_PLACE_PREFIXES = (
    "ủy ban nhân dân tỉnh ",
    "ủy ban nhân dân thành phố ",
    "uỷ ban nhân dân tỉnh ",
    "uỷ ban nhân dân thành phố ",
    "ubnd tỉnh ",
    "ubnd thành phố ",
    "tỉnh ",
    "thành phố ",
)


def place_name(agency: Any) -> str:
    """The province's short name, from the top of ``agency``'s tree."""
    top = agency
    while top.parent_id is not None:
        top = top.parent
    name = unicodedata.normalize("NFC", " ".join(top.name.split()))
    lowered = name.lower()
    for prefix in _PLACE_PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :]
    return name


def qr_data_uri(text: str) -> str:
    """A QR code as a PNG data: URI for an <img> (segno, pure Python).

    PNG rather than SVG: WeasyPrint parses segno's SVG path in ~15 ms per receipt,
    a tenth of the whole budget; the PNG is drawn without smoothing
    (``image-rendering: pixelated`` in pdf/forms.css), so it prints as sharp.
    """
    import segno

    return segno.make(text, error="m").png_data_uri(scale=4, border=2)
