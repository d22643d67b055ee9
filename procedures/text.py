"""Text folding for search that ignores Vietnamese diacritics and case.

Citizens type "dang ky khai sinh" on a phone without a Vietnamese keyboard; the
catalog stores a folded copy of the searchable text (``Procedure.name_folded``,
``Procedure.search_folded``) so that the same comparison works in SQLite and
PostgreSQL without database extensions.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z.]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: "ĐĂNG KÝ khai sinh" -> "dang ky khai sinh".

    "đ"/"Đ" are letters of their own in Unicode (no combining mark), so they are
    mapped explicitly before the marks are stripped.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", stripped.lower())).strip()


def tokens(text: str) -> list[str]:
    """Distinct folded words of a query, longest first, empty words dropped."""
    seen: dict[str, None] = {}
    for word in fold(text).split(" "):
        word = word.strip(".")
        if word:
            seen.setdefault(word, None)
    return sorted(seen, key=len, reverse=True)
