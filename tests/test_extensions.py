"""The extension points (procedures/extensions.py): idempotent, ordered, documented."""

from pathlib import Path

import pytest

from procedures.extensions import ExtensionPoint, points

DOCS = Path(__file__).resolve().parent.parent / "docs" / "extending.md"


def test_adding_twice_adds_once_and_keeps_order():
    point = ExtensionPoint("tests.example", "for this test")
    try:
        point.add("b")
        point.add("c")
        point.add("b")
        point.add("a", first=True)
        point.add(["unhashable"], key="list")
        point.add(["another"], key="list")
        assert list(point) == ["a", "b", "c", ["unhashable"]]
        assert "b" in point and len(point) == 4
    finally:
        from procedures import extensions

        extensions._POINTS.pop("tests.example", None)


def test_a_point_is_declared_once():
    point = ExtensionPoint("tests.once", "for this test")
    try:
        with pytest.raises(ValueError):
            ExtensionPoint("tests.once", "again")
    finally:
        from procedures import extensions

        extensions._POINTS.pop(point.name, None)


def test_hooks_are_called_in_order():
    from procedures import extensions

    calls = []
    point = ExtensionPoint("tests.hooks", "for this test")
    try:
        point.add(lambda n: calls.append(("first", n)) or 1, key="first")
        point.add(lambda n: calls.append(("second", n)) or 2, key="second")
        assert point.call(7) == [1, 2]
        assert calls == [("first", 7), ("second", 7)]
    finally:
        extensions._POINTS.pop(point.name, None)


def test_every_declared_point_is_described_in_docs_extending():
    """A maintainer finds every place a later app can add to in one page."""
    text = DOCS.read_text(encoding="utf-8")
    declared = [name for name in points() if not name.startswith("tests.")]
    missing = [name for name in declared if f"`{name}`" not in text]
    assert not missing, f"describe these extension points in docs/extending.md: {missing}"
