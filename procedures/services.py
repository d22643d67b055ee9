"""Writes to the catalog that span several models: one procedure with its
variants, documents, fees and agencies, plus the revision that records it.

The canonical content of a procedure is a plain dict (``procedure_content``);
the import, the export and the admin all go through it, so "same content"
means the same thing everywhere and an import of an unchanged row writes nothing.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import transaction

from .models import (
    Agency,
    Fee,
    Field,
    Procedure,
    ProcedureRevision,
    ProcedureVariant,
    RequiredDocument,
    User,
)

SCALAR_FIELDS = [
    "name",
    "level",
    "is_interlevel",
    "implementing_body",
    "steps",
    "accepts_at_desk",
    "accepts_by_post",
    "accepts_online",
    "filing_notes",
    "applicants",
    "result",
    "result_form",
    "conditions",
    "application_forms",
    "legal_basis",
    "decision_number",
    "decision_date",
    "status",
    "effective_from",
    "effective_to",
    "online_level",
    "file_anywhere",
    "restart_term_after_supplement",
]
DATE_FIELDS = {"decision_date", "effective_from", "effective_to"}
# The content's lists of a procedure's parts: key, model, and the keys of an entry,
# which are the model's field names (a fee's amount is whole đồng in the content).
CHILDREN = (
    ("variants", ProcedureVariant, ("name", "time_value", "time_unit", "is_default")),
    (
        "documents",
        RequiredDocument,
        ("name", "originals", "certified_copies", "copies", "form_name"),
    ),
    ("fees", Fee, ("name", "amount", "exemptions")),
)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class SaveResult:
    procedure: Procedure
    outcome: Outcome
    changed_fields: list[str]


def _date_str(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def procedure_content(procedure: Procedure) -> dict[str, Any]:
    """The canonical content of a saved procedure (what an import row describes)."""
    content: dict[str, Any] = {"code": procedure.code}
    for name in SCALAR_FIELDS:
        value = getattr(procedure, name)
        content[name] = _date_str(value) if name in DATE_FIELDS else value
    content["field_code"] = procedure.field.code
    content["field_name"] = procedure.field.name
    content["agencies"] = sorted(a.identifier for a in procedure.agencies.all())
    for key, _model, keys in CHILDREN:
        content[key] = [{k: getattr(row, k) for k in keys} for row in getattr(procedure, key).all()]
    for fee in content["fees"]:
        fee["amount"] = int(fee["amount"])
    return content


def content_hash(content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _field(code: str, name: str) -> Field:
    """The field ``code``, created or renamed to ``name``."""
    field, _ = Field.objects.get_or_create(code=code, defaults={"name": name})
    if field.name != name:
        field.name = name
        field.save(update_fields=["name"])
    return field


def _set_scalars(procedure: Procedure, content: dict[str, Any]) -> None:
    for name in SCALAR_FIELDS:
        value = content[name]
        if name in DATE_FIELDS:
            value = dt.date.fromisoformat(value) if value else None
        setattr(procedure, name, value)


def _child_rows(procedure: Procedure, content: dict[str, Any], key: str, model: type) -> list:
    """The unsaved rows of the content's list ``key`` (see ``CHILDREN``), in order."""
    entries = content[key]
    if model is Fee:
        entries = [{**entry, "amount": Decimal(entry["amount"])} for entry in entries]
    return [model(procedure=procedure, order=i, **entry) for i, entry in enumerate(entries)]


def _changed_keys(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    if old is None:
        return sorted(new)
    return sorted(key for key in new if old.get(key) != new.get(key))


@transaction.atomic
def save_procedure(
    *, content: dict[str, Any], source: str, changed_by: User | None = None
) -> SaveResult:
    """Create or update the procedure ``content["code"]`` to match ``content``.

    ``content`` has the shape of ``procedure_content`` with valid values (the
    import validates rows first). Agencies are referred to by identifier and must
    exist. Writes nothing and returns ``UNCHANGED`` when the content is the same.
    """
    new_hash = content_hash(content)
    procedure = Procedure.objects.select_for_update().filter(code=content["code"]).first()
    if procedure is not None and procedure.content_hash == new_hash:
        return SaveResult(procedure, Outcome.UNCHANGED, [])
    old = procedure_content(procedure) if procedure is not None else None
    changed = _changed_keys(old, content)
    if not changed and procedure is not None:
        # Same content but a stale or missing hash (e.g. edited in the admin).
        Procedure.objects.filter(pk=procedure.pk).update(content_hash=new_hash)
        return SaveResult(procedure, Outcome.UNCHANGED, [])

    field = _field(content["field_code"], content["field_name"])
    outcome = Outcome.CREATED if procedure is None else Outcome.UPDATED
    procedure = procedure or Procedure(code=content["code"])
    _set_scalars(procedure, content)
    procedure.field = field
    procedure.refresh_search_fields()
    procedure.content_hash = new_hash
    procedure.full_clean(exclude=["decision_file"])
    procedure.save()

    procedure.agencies.set(Agency.objects.filter(identifier__in=content["agencies"]))
    for key, model, _keys in CHILDREN:
        if old is None or old[key] != content[key]:
            getattr(procedure, key).all().delete()
            model.objects.bulk_create(_child_rows(procedure, content, key, model))
    ProcedureRevision.objects.create(
        procedure=procedure,
        source=source[:255],
        changed_by=changed_by,
        changed_fields=changed,
        snapshot=content,
    )
    return SaveResult(procedure, outcome, changed)


@transaction.atomic
def create_procedures(
    *, contents: list[dict[str, Any]], source: str, changed_by: User | None = None
) -> list[Procedure]:
    """Create many new procedures in a fixed number of queries: the catalog
    import's fast path for a first load (procedures/catalog_io/apply.py).

    Each result is what ``save_procedure`` would have written for that content
    (same rows, same hash, a revision each). Preconditions: the codes are
    distinct and none exists yet (an existing one raises ``IntegrityError``;
    the import then falls back to ``save_procedure`` row by row), and the
    content is valid as for ``save_procedure``.
    """
    fields: dict[str, Field] = {}
    for content in contents:
        code, name = content["field_code"], content["field_name"]
        if code not in fields:
            fields[code] = _field(code, name)
    identifiers = {identifier for content in contents for identifier in content["agencies"]}
    agency_ids = dict(
        Agency.objects.filter(identifier__in=identifiers).values_list("identifier", "pk")
    )

    procedures = []
    for content in contents:
        procedure = Procedure(code=content["code"], field=fields[content["field_code"]])
        _set_scalars(procedure, content)
        procedure.refresh_search_fields()
        procedure.content_hash = content_hash(content)
        # Uniqueness is the database's job here; the field was fetched above.
        procedure.full_clean(
            exclude=["decision_file", "field"], validate_unique=False, validate_constraints=False
        )
        procedures.append(procedure)
    Procedure.objects.bulk_create(procedures)

    through = Procedure.agencies.through
    links, revisions = [], []
    children: dict[str, list] = {key: [] for key, _model, _keys in CHILDREN}
    for procedure, content in zip(procedures, contents, strict=True):
        links += [
            through(procedure_id=procedure.pk, agency_id=agency_ids[identifier])
            for identifier in content["agencies"]
            if identifier in agency_ids
        ]
        for key, model, _keys in CHILDREN:
            children[key] += _child_rows(procedure, content, key, model)
        revisions.append(
            ProcedureRevision(
                procedure=procedure,
                source=source[:255],
                changed_by=changed_by,
                changed_fields=_changed_keys(None, content),
                snapshot=content,
            )
        )
    through.objects.bulk_create(links)
    for key, model, _keys in CHILDREN:
        model.objects.bulk_create(children[key])
    ProcedureRevision.objects.bulk_create(revisions)
    return procedures


@transaction.atomic
def record_admin_change(*, procedure: Procedure, changed_by: User | None) -> None:
    """After an edit in the admin: refresh search columns and record a revision."""
    procedure.refresh_search_fields()
    content = procedure_content(procedure)
    previous = procedure.revisions.first()
    changed = _changed_keys(previous.snapshot if previous else None, content)
    Procedure.objects.filter(pk=procedure.pk).update(
        name_folded=procedure.name_folded,
        search_folded=procedure.search_folded,
        content_hash=content_hash(content),
    )
    if changed:
        ProcedureRevision.objects.create(
            procedure=procedure,
            source="admin",
            changed_by=changed_by,
            changed_fields=changed,
            snapshot=content,
        )
