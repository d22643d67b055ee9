"""The workflow kit every app's services use (desk, surveys, conduct, and the apps
to come): one family of refusals, and one locked read with a version check and one
versioned save, so that two people acting on one record never lose an update.

- ``Refused``: a write refused for a reason the user can act on; ``message`` is in
  the user's language. Each app names its own subclass (``desk.services.DossierError``,
  ``surveys.services.SurveyError``, ``conduct.services.ConductError``); a view may
  catch ``Refused`` for any of them.
- ``Stale``: the record changed since the user read it (the version differs).
- ``locked(queryset, pk, version, stale)``: ``SELECT ... FOR UPDATE`` the row and
  raise ``stale(fresh)`` when the version the user acted on is not the row's.
- ``save_versioned(record, *fields)``: save the fields and bump the version by
  ``F("version") + 1`` in the same UPDATE, then read the new version back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.db.models import F, Model, QuerySet


class Refused(Exception):
    """A refused write; ``message`` is for the user, in their language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = str(message)


class Stale(Refused):
    """The record was changed by someone else since the user read it."""


def locked[M: Model](
    queryset: QuerySet[M], pk: int, version: int | None, stale: Callable[[M], Stale]
) -> M:
    """The row ``pk`` of ``queryset``, locked for this transaction; ``stale(fresh)``
    is raised when ``version`` (the one the user saw; None: not checked) differs."""
    fresh = queryset.select_for_update(of=("self",)).get(pk=pk)
    if version is not None and cast(Any, fresh).version != version:
        raise stale(fresh)
    return fresh


def save_versioned(record: Model, *fields: str) -> None:
    """Save ``fields`` and the next version in one UPDATE; read the version back."""
    cast(Any, record).version = F("version") + 1
    names = [*fields, "version"]
    if any(f.name == "updated_at" for f in record._meta.concrete_fields):
        names.append("updated_at")
    record.save(update_fields=names)
    record.refresh_from_db(fields=["version"])
