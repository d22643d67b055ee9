"""A trigram index for the public catalog search, on PostgreSQL only.

``Procedure.objects.search()`` filters with ``search_folded LIKE '%word%'`` for
each word, which is portable (the SQLite demo runs it as is) but scans the whole
table. On PostgreSQL a GIN index with pg_trgm's operator class answers those
LIKEs from the index: a selective search reads a few dozen rows instead of the
catalog (bench/README.md, "Catalog search"). The queries do not change, so the
index is an optimisation only: where pg_trgm cannot be installed, the migration
skips it and search still works.

Not in ``Meta.indexes``: a GIN index cannot be created on SQLite.
"""

import logging

from django.db import DatabaseError, migrations, transaction

INDEX = "procedures_procedure_search_trgm"
logger = logging.getLogger(__name__)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    try:
        # A savepoint, so that a refused CREATE EXTENSION leaves the migration usable.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may install it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON procedures_procedure "
                "USING gin (search_folded gin_trgm_ops)"
            )
    except DatabaseError as error:
        logger.warning("Catalog search runs without its trigram index: %s", error)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
