"""Indexes for the work queues at a million dossiers (bench/README.md, "Work queues").

Portable part (Meta.indexes): the (received_at, id) order for a leader's "all"
queue; a pattern btree on the folded applicant name (LIKE 'prefix%' whatever the
collation); a partial index on registrations, supplements and ready results.

PostgreSQL part (RunPython, skipped elsewhere, as procedures/migrations/_trigram.py does):
* dossier_open_due and dossier_waiting rebuilt as covering indexes (INCLUDE),
  so the tab counts and the ranking of a small tab read no table rows. Meta
  keeps their key columns and conditions; only the INCLUDE list is extra.
* a pg_trgm GIN index on the folded name for the search's '% word%' branch; if
  the extension cannot be installed, search still works, more slowly.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)

OPEN_DUE = (
    "CREATE INDEX {name} ON desk_dossier (due_at) INCLUDE (id, state, paused_at, "
    "receiving_agency_id, current_agency_id, current_holder_id, received_at) "
    "WHERE state IN (2, 4, 5, 6, 7)"
)
WAITING = (
    "CREATE INDEX {name} ON desk_dossier (state) INCLUDE (id, receiving_agency_id, "
    "current_agency_id, received_at) WHERE state IN (1, 5, 9)"
)
PLAIN_OPEN_DUE = "CREATE INDEX {name} ON desk_dossier (due_at) WHERE state IN (2, 4, 5, 6, 7)"
PLAIN_WAITING = "CREATE INDEX {name} ON desk_dossier (state) WHERE state IN (1, 5, 9)"
TRIGRAM = "dossier_applicant_trgm"


def _rebuild(schema_editor, name: str, definition: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(definition.format(name=name))


def covering_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    _rebuild(schema_editor, "dossier_open_due", OPEN_DUE)
    _rebuild(schema_editor, "dossier_waiting", WAITING)
    try:
        # A savepoint, so that a refused CREATE EXTENSION leaves the migration usable.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may install it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TRIGRAM} ON desk_dossier "
                "USING gin (applicant_folded gin_trgm_ops)"
            )
    except DatabaseError as error:
        logger.warning("Queue name search runs without its trigram index: %s", error)


def plain_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")
    _rebuild(schema_editor, "dossier_open_due", PLAIN_OPEN_DUE)
    _rebuild(schema_editor, "dossier_waiting", PLAIN_WAITING)
