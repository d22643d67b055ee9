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
        """Only the shipped fonts and data: URIs; nothing from the network."""

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

# How far a one-page form may shrink to stay on one page (pdf/fit.css): body text
# 13 pt as Decree 30/2020 asks, then 12, 11 and 10 pt, with tables and the
# signature room shrinking alongside. Typical data needs no step; the long data of
# tests/desk/test_pdf_forms.py (ten documents, the catalog's longest procedure
# name, a filer) fits at the second.
FIT_STEPS = (
    {"body": "12pt", "table": "11pt", "small": "10pt", "head": "11.5pt", "room": "14mm"},
    {"body": "11pt", "table": "10pt", "small": "9pt", "head": "11pt", "room": "12mm"},
    {"body": "10pt", "table": "9pt", "small": "8.5pt", "head": "10.5pt", "room": "11mm"},
)


def _prepared() -> tuple[Any, Any, Any, tuple[Any, ...]]:
    """The URL fetcher, the font configuration with the shipped fonts loaded,
    pdf/forms.css and the fitting steps of pdf/fit.css parsed, built once per
    thread (a web worker is one thread: once per process). Building them for
    every form would more than double a receipt's rendering time (the fetcher alone
    loads the system's CA certificates for an HTTPS handler it never uses).

    Per thread because a FontConfiguration wraps Fontconfig and Pango state that
    is not meant to be shared between threads.
    """
    cached = getattr(_resources, "value", None)
    if cached is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fetcher = _fetcher_class()(allowed_protocols={"file", "data"})
        fonts = FontConfiguration()
        base = font_dir().resolve().as_uri()

        def parse(template: str, **context: Any) -> Any:
            return CSS(
                string=render_to_string(template, {"font_url": base, **context}),
                base_url=base + "/",
                url_fetcher=fetcher,
                font_config=fonts,
            )

        css = parse("pdf/forms.css")
        steps = tuple(parse("pdf/fit.css", size=step) for step in FIT_STEPS)
        cached = _resources.value = (fetcher, fonts, css, steps)
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
    template_name: str,
    context: dict[str, Any],
    *,
    base_url: str | None = None,
    one_page: bool = False,
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF bytes.

    Legal forms are Vietnamese documents whatever language the user's interface
    is in, so the template renders under Vietnamese and the Vietnam time zone.
    The shared stylesheet pdf/forms.css comes first; the template's own rules win.

    ``one_page``: a form the law lays out on one page (the receipt, the supplement
    request, the refusal, the apology, the stop notice). When the data overflows
    (a long procedure name, ten documents), the layout is redone with the smaller
    sizes of FIT_STEPS until it fits; only such a form pays for a second layout.
    """
    from weasyprint import HTML

    fetcher, fonts, stylesheet, steps = _prepared()
    with translation.override("vi"), timezone.override(VN_TZ):
        html = render_to_string(template_name, context)
    document = HTML(
        string=html,
        base_url=base_url or font_dir().resolve().as_uri() + "/",
        url_fetcher=fetcher,
    )
    rendered = document.render(stylesheets=[stylesheet], font_config=fonts)
    for step in steps if one_page else ():
        if len(rendered.pages) == 1:
            break
        rendered = document.render(stylesheets=[stylesheet, step], font_config=fonts)
    return rendered.write_pdf()


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


# ---------------------------------------------------------------- names that never break

# Vietnamese writes a space between syllables, not between words: "Nha Trang",
# "hành chính" and "nhân dân" are single words that a line must not split. These
# are the compound words of agency names (the kinds of bodies and offices of the
# two-level local government, Decree 150/2025 and the ministries' names); a
# syllable not listed here stands alone, which costs at worst a break a reader
# would not choose, never one inside a listed word.
_COMPOUNDS = frozenset(
    tuple(words.split())
    for words in [
        "ủy ban",
        "uỷ ban",
        "nhân dân",
        "hội đồng",
        "trung tâm",
        "phục vụ",
        "hành chính công",
        "hành chính",
        "bộ phận",
        "tiếp nhận",
        "trả kết quả",
        "kết quả",
        "một cửa",
        "văn phòng",
        "đăng ký",
        "đất đai",
        "chi nhánh",
        "cơ quan",
        "đơn vị",
        "tư pháp",
        "xây dựng",
        "nông nghiệp",
        "môi trường",
        "tài chính",
        "y tế",
        "giáo dục",
        "đào tạo",
        "công thương",
        "nội vụ",
        "văn hóa",
        "văn hoá",
        "thể thao",
        "du lịch",
        "khoa học",
        "công nghệ",
        "lao động",
        "thương binh",
        "xã hội",
        "kế hoạch",
        "đầu tư",
        "tài nguyên",
        "giao thông",
        "vận tải",
        "thông tin",
        "truyền thông",
        "ngoại vụ",
        "thanh tra",
        "công an",
        "quân sự",
        "quản lý",
        "kinh tế",
        "công nghiệp",
        "dân tộc",
        "tôn giáo",
        "phát triển",
        "nông thôn",
        "bảo hiểm",
        "kho bạc",
        "nhà nước",
        "hộ tịch",
        "chứng thực",
        "cư trú",
        "kinh doanh",
        "doanh nghiệp",
        "hợp tác",
        "bảo vệ",
        "thực vật",
        "thú y",
        "kiểm lâm",
        "thủy lợi",
        "thuỷ lợi",
        "thủy sản",
        "thuỷ sản",
        "quy hoạch",
        "kiến trúc",
        "đô thị",
        "hạ tầng",
        "giải quyết",
        "thủ tục",
        "dịch vụ",
        "công ích",
        "sự nghiệp",
        "chính quyền",
        "địa phương",
        "tổng hợp",
        "kiểm soát",
        "hồ sơ",
    ]
)
# Administrative levels: from one of them to the end of the name (or to a comma or
# "và") is a place name, one unit: "phường Bắc Nha Trang", "tỉnh Khánh Hòa".
_LEVELS = (
    ("thành", "phố"),
    ("đặc", "khu"),
    ("thị", "xã"),
    ("thị", "trấn"),
    ("tỉnh",),
    ("phường",),
    ("xã",),
    ("quận",),
    ("huyện",),
)


def _bare(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower().strip(",;.:()")


def name_chunks(name: str, *, with_level: bool = True) -> list[str]:
    """``name`` cut where a line may break: between words, never inside one.

    "Trung tâm phục vụ hành chính công phường Bắc Nha Trang" ->
    ["Trung tâm", "phục vụ", "hành chính công", "phường Bắc Nha Trang"];
    ``with_level=False`` (a narrow table cell) lets the level go on the line
    before the place: [..., "phường", "Bắc Nha Trang"].
    """
    words = name.split()
    bare = [_bare(word) for word in words]
    chunks, i = [], 0
    while i < len(words):
        size = next((n for n in (3, 2) if tuple(bare[i : i + n]) in _COMPOUNDS), 0)
        level = next((lv for lv in _LEVELS if tuple(bare[i : i + len(lv)]) == lv), ())
        if not size and level:
            size = len(level)
            if not with_level and i + size < len(words):
                # The level on its own, then the place from the next word.
                chunks.append(" ".join(words[i : i + size]))
                i, size = i + size, 1
            while (
                i + size < len(words)
                and not words[i + size - 1].endswith((",", ";"))
                and bare[i + size] not in {"và", "-", "–"}
            ):
                size += 1
        size = size or 1
        chunks.append(" ".join(words[i : i + size]))
        i += size
    return chunks


def qr_image(text: str) -> str:
    """A QR code as an ``<img>`` for the form: a PNG data: URI of one pixel per
    module (segno, pure Python), drawn with ``image-rendering: pixelated``
    (pdf/forms.css), so the PDF marks it not to be interpolated and it prints
    with sharp module edges at any resolution.

    Why not SVG: WeasyPrint pays per number in a path; segno's SVG path cost 10 %
    of the receipt's layout and drawing, the PNG about nothing (bench/README.md).
    Mask 0 is fixed: any of the eight masks is valid for every reader, and
    choosing the "best" one took segno eight trial maskings, most of the code's
    encoding time (about 8 of 12 ms per receipt).
    """
    import segno

    uri = segno.make(text, error="m", mask=0).png_data_uri(scale=1, border=2)
    return f'<img class="qr" src="{uri}" alt="">'
