"""Django's {# #} comment ends at the line's end: one left open spills its text,
braces and all, into the page (the work queue printed "{# POSTed, so that..." at
its top). Every template's {# closes on its own line; longer notes use
{% comment %}. The URL sweep checks the rendered pages; this checks every file."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html", "*/templates/**/*.txt")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)


def unclosed_comments(text: str) -> list[int]:
    """The line numbers where a {# is not closed by a #} on the same line."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        rest = line
        while (start := rest.find("{#")) != -1:
            end = rest.find("#}", start + 2)
            if end == -1:
                lines.append(number)
                break
            rest = rest[end + 2 :]
    return lines


def test_the_templates_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in TEMPLATES}
    assert "templates/base.html" in names and "templates/desk/queue.html" in names
    assert any(name.startswith("surveys/templates/") for name in names)


def test_no_template_leaves_a_comment_open():
    open_comments = {
        path.relative_to(ROOT).as_posix(): found
        for path in TEMPLATES
        if (found := unclosed_comments(path.read_text(encoding="utf-8")))
    }
    assert open_comments == {}


def test_the_check_finds_what_the_queue_had():
    assert unclosed_comments("{# one #}\n  {# POSTed, so that\n   the text #}\n") == [2]
    assert unclosed_comments("{# a #} x {# b #}") == []
    assert re.search(r"\{#", "{% comment %}ok{% endcomment %}") is None
