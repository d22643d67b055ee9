"""Import and export of the procedure catalog, XLSX or CSV (nhập, xuất danh mục thủ tục).

One row per procedure, one column per part of it, in the layout of ``COLUMNS``
(``layout``; the export writes the same layout, so an exported file imports with
no change). The import goes:

- ``spreadsheet``: the file (size, type, encoding, separator) to rows of cell
  values, and the header row matched to the layout;
- ``parse``: the cell parsers (codes, levels, terms, fees, documents, dates...),
  each a pure function of one cell;
- ``rows``: a row to the canonical content dict of
  ``procedures.services.procedure_content``, every problem with the spreadsheet
  row number (the header is row 1), the column and a reason in Vietnamese;
- ``apply``: the good rows written idempotently. A row whose content hash matches
  the stored one is left alone (importing the same file twice changes nothing), a
  changed row goes through ``save_procedure`` (which records the revision), and new
  codes are created in batches by ``create_procedures`` (a province's first 2,000
  rows load in seconds). Bad rows never stop good ones (each changed row is written
  in its own savepoint, a failed batch is redone row by row) unless the caller asks
  for all-or-nothing;
- ``jobs``: ``import_catalog`` from start to end (a dry run writes nothing) and the
  upload job the worker runs; ``report``: what an import reports.

Problems with the file as a whole (unreadable, wrong headers, too large) raise
``ImportFileError`` before anything is written. ``export`` writes the catalog.

Callers (import from here): the ``import_procedures`` and ``export_procedures``
commands, the upload and download pages (procedures/views/imports.py), the upload's
Celery task (procedures/tasks.py), the demo loader (procedures/demo.py), the example
file builder (procedures/examples/build_example.py), bench/.
"""

from .apply import (
    CREATE_BATCH,
)
from .export import (
    DATE_FORMAT,
    NARROW,
    SHEET_TITLE,
    WIDE,
    WRAP_AFTER,
    catalog_contents,
    content_cells,
    export_catalog,
    write_csv,
    write_xlsx,
)
from .jobs import (
    import_catalog,
)
from .layout import (
    COLUMNS,
    COLUMNS_BY_KEY,
    DEFAULT_VARIANT_NAME,
    HEADERS,
    LEVEL_LABELS,
    NO,
    ONLINE_LABELS,
    STATUS_LABELS,
    SUPPORTED_EXTENSIONS,
    UNIT_LABELS,
    YES,
    Column,
)
from .parse import (
    FALSE_WORDS,
    LEVELS,
    NO_FEE_WORDS,
    ONLINE_LEVELS,
    STATUSES,
    TRUE_WORDS,
    UNITS,
    CellError,
    parse_agencies,
    parse_amount,
    parse_bool,
    parse_code,
    parse_date,
    parse_documents,
    parse_fees,
    parse_level,
    parse_lines,
    parse_online_level,
    parse_status,
    parse_text,
    parse_variants,
)
from .report import (
    ImportFileError,
    ImportReport,
    RowChange,
    RowError,
)
from .rows import (
    ParsedFile,
    RowParser,
    parse_file,
)
from .spreadsheet import (
    Layout,
    check_extension,
    check_file,
    map_headers,
)

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "CREATE_BATCH",
    "DATE_FORMAT",
    "DEFAULT_VARIANT_NAME",
    "FALSE_WORDS",
    "HEADERS",
    "LEVELS",
    "LEVEL_LABELS",
    "NARROW",
    "NO",
    "NO_FEE_WORDS",
    "ONLINE_LABELS",
    "ONLINE_LEVELS",
    "SHEET_TITLE",
    "STATUSES",
    "STATUS_LABELS",
    "SUPPORTED_EXTENSIONS",
    "TRUE_WORDS",
    "UNITS",
    "UNIT_LABELS",
    "WIDE",
    "WRAP_AFTER",
    "YES",
    "CellError",
    "Column",
    "ImportFileError",
    "ImportReport",
    "Layout",
    "ParsedFile",
    "RowChange",
    "RowError",
    "RowParser",
    "catalog_contents",
    "check_extension",
    "check_file",
    "content_cells",
    "export_catalog",
    "import_catalog",
    "map_headers",
    "parse_agencies",
    "parse_amount",
    "parse_bool",
    "parse_code",
    "parse_date",
    "parse_documents",
    "parse_fees",
    "parse_file",
    "parse_level",
    "parse_lines",
    "parse_online_level",
    "parse_status",
    "parse_text",
    "parse_variants",
    "write_csv",
    "write_xlsx",
]
