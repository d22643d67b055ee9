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
    content["variants"] = [
        {
            "name": v.name,
            "time_value": v.time_value,
            "time_unit": v.time_unit,
            "is_default": v.is_default,
        }
        for v in procedure.variants.all()
    ]
    content["documents"] = [
        {
            "name": d.name,
            "originals": d.originals,
            "certified_copies": d.certified_copies,
            "copies": d.copies,
            "form_name": d.form_name,
        }
        for d in procedure.documents.all()
    ]
    content["fees"] = [
        {"name": f.name, "amount": int(f.amount), "exemptions": f.exemptions}
        for f in procedure.fees.all()
    ]
    return content


def content_hash(content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


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

    field, _ = Field.objects.get_or_create(
        code=content["field_code"], defaults={"name": content["field_name"]}
    )
    if field.name != content["field_name"]:
        field.name = content["field_name"]
        field.save(update_fields=["name"])

    outcome = Outcome.CREATED if procedure is None else Outcome.UPDATED
    procedure = procedure or Procedure(code=content["code"])
    for name in SCALAR_FIELDS:
        value = content[name]
        if name in DATE_FIELDS:
            value = dt.date.fromisoformat(value) if value else None
        setattr(procedure, name, value)
    procedure.field = field
    procedure.refresh_search_fields()
    procedure.content_hash = new_hash
    procedure.full_clean(exclude=["decision_file"])
    procedure.save()

    procedure.agencies.set(Agency.objects.filter(identifier__in=content["agencies"]))
    if old is None or old["variants"] != content["variants"]:
        procedure.variants.all().delete()
        ProcedureVariant.objects.bulk_create(
            ProcedureVariant(procedure=procedure, order=i, **v)
            for i, v in enumerate(content["variants"])
        )
    if old is None or old["documents"] != content["documents"]:
        procedure.documents.all().delete()
        RequiredDocument.objects.bulk_create(
            RequiredDocument(procedure=procedure, order=i, **d)
            for i, d in enumerate(content["documents"])
        )
    if old is None or old["fees"] != content["fees"]:
        procedure.fees.all().delete()
        Fee.objects.bulk_create(
            Fee(
                procedure=procedure,
                order=i,
                name=f["name"],
                amount=Decimal(f["amount"]),
                exemptions=f["exemptions"],
            )
            for i, f in enumerate(content["fees"])
        )
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
        if code in fields:
            continue
        field, _ = Field.objects.get_or_create(code=code, defaults={"name": name})
        if field.name != name:
            field.name = name
            field.save(update_fields=["name"])
        fields[code] = field
    identifiers = {identifier for content in contents for identifier in content["agencies"]}
    agency_ids = dict(
        Agency.objects.filter(identifier__in=identifiers).values_list("identifier", "pk")
    )

    procedures = []
    for content in contents:
        procedure = Procedure(code=content["code"], field=fields[content["field_code"]])
        for name in SCALAR_FIELDS:
            value = content[name]
            if name in DATE_FIELDS:
                value = dt.date.fromisoformat(value) if value else None
            setattr(procedure, name, value)
        procedure.refresh_search_fields()
        procedure.content_hash = content_hash(content)
        # Uniqueness is the database's job here; the field was fetched above.
        procedure.full_clean(
            exclude=["decision_file", "field"], validate_unique=False, validate_constraints=False
        )
        procedures.append(procedure)
    Procedure.objects.bulk_create(procedures)

    through = Procedure.agencies.through
    links, variants, documents, fees, revisions = [], [], [], [], []
    for procedure, content in zip(procedures, contents, strict=True):
        links += [
            through(procedure_id=procedure.pk, agency_id=agency_ids[identifier])
            for identifier in content["agencies"]
            if identifier in agency_ids
        ]
        variants += [
            ProcedureVariant(procedure=procedure, order=i, **v)
            for i, v in enumerate(content["variants"])
        ]
        documents += [
            RequiredDocument(procedure=procedure, order=i, **d)
            for i, d in enumerate(content["documents"])
        ]
        fees += [
            Fee(
                procedure=procedure,
                order=i,
                name=f["name"],
                amount=Decimal(f["amount"]),
                exemptions=f["exemptions"],
            )
            for i, f in enumerate(content["fees"])
        ]
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
    ProcedureVariant.objects.bulk_create(variants)
    RequiredDocument.objects.bulk_create(documents)
    Fee.objects.bulk_create(fees)
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
