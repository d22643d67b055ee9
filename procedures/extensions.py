"""The one way an app adds to another: named extension points.

Dependencies point one way (procedures < desk < surveys, conduct < online, exchange;
pyproject.toml [tool.importlinter]). When a lower app needs something only a later
app knows (a menu entry, a block on the receipt, a panel on the dashboard, a kind of
alert, something to do when a result is returned), the lower app declares an
``ExtensionPoint`` at module level and reads it; the later app adds to it in its
``AppConfig.ready()``. Nothing else is used for this: no bare lists filled in
``ready()``, no custom Django signals.

- Adding is keyed and idempotent: ``ready()`` may run twice (test runners, the
  autoreloader) and still adds each contribution once. The key defaults to the item
  itself; give ``key=`` when the item is not hashable or not stable (a lazy string).
- Items keep the order they were added in; ``first=True`` puts one before the rest
  (the desk's own menu entries lead the staff menu).
- Hooks are extension points of callables; ``ExtensionPoint.call`` runs each one.

Every point is listed by ``points()``; docs/extending.md describes each, and a test
(tests/test_extensions.py) fails when a point is declared and not described there.

Model-change reactions are not extension points: a cache that must forget what a
commit changed listens to Django's own ``post_save``/``post_delete`` for the models it
shows, since those see every write (admin, shell, services) and an extension point
would see only the services' writes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any

_POINTS: dict[str, ExtensionPoint[Any]] = {}


class ExtensionPoint[T]:
    """An ordered, keyed set of contributions from later apps."""

    def __init__(self, name: str, description: str) -> None:
        if name in _POINTS:
            raise ValueError(f"extension point {name!r} is declared twice")
        self.name = name
        self.description = description
        self._items: dict[Hashable, T] = {}
        _POINTS[name] = self

    def add(self, item: T, *, key: Hashable | None = None, first: bool = False) -> None:
        """Contribute ``item`` once: a second add with the same key changes nothing."""
        key = item if key is None else key
        if key in self._items:
            return
        if first:
            self._items = {key: item, **self._items}
        else:
            self._items[key] = item

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def call(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Run every contributed callable with the same arguments; their results."""
        return [hook(*args, **kwargs) for hook in self if callable(hook)]

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}: {len(self)} item(s)>"


def points() -> dict[str, ExtensionPoint[Any]]:
    """Every declared point by name (for the documentation test and the curious)."""
    return dict(_POINTS)


Hook = Callable[..., Any]
