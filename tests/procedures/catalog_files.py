"""Catalog files for the import tests, and a real Celery worker for the job tests.

Files are built cell by cell (not through the export) so that a test can put
exactly the bad value it is about in exactly one cell.
"""

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from openpyxl import Workbook

from procedures.catalog_io import COLUMNS, HEADERS

AGENCY = "000.00.21.H56"  # the commune of tests/conftest.py
DEPARTMENT = "000.17.00.H56"  # its Sở Tư pháp


def good_row(code: str = "1.900001", **overrides: Any) -> dict[str, Any]:
    """A complete, valid row (by column key) for a commune procedure."""
    row = {
        "code": code,
        "name": f"Đăng ký khai sinh thử nghiệm {code}",
        "field_code": "HT",
        "field_name": "Hộ tịch",
        "level": "Cấp xã",
        "is_interlevel": "Không",
        "implementing_body": "Ủy ban nhân dân cấp xã",
        "agencies": AGENCY,
        "steps": "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả.",
        "accepts_at_desk": "Có",
        "accepts_by_post": "Có",
        "accepts_online": "Có",
        "filing_notes": "",
        "documents": "Tờ khai đăng ký khai sinh | 1 | 0 | 0 | Mẫu TP/HT-01\nGiấy chứng sinh",
        "variants": "Trường hợp thông thường | trả ngay\nTrường hợp cần xác minh | 3 | ngày làm việc",
        "applicants": "Cá nhân",
        "result": "Giấy khai sinh",
        "result_form": "",
        "fees": "Lệ phí đăng ký khai sinh | 8.000 | Miễn cho hộ nghèo",
        "conditions": "",
        "application_forms": "Tờ khai đăng ký khai sinh",
        "legal_basis": "Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP",
        "decision_number": "Quyết định số 1523/QĐ-UBND",
        "decision_date": "01/07/2025",
        "status": "Đang áp dụng",
        "effective_from": "01/07/2025",
        "effective_to": "",
        "online_level": "Toàn trình",
        "file_anywhere": "Có",
        "restart_term_after_supplement": "Không",
    }
    row.update(overrides)
    return row


def as_list(row: dict[str, Any]) -> list[Any]:
    return [row.get(column.key) for column in COLUMNS]


def xlsx_bytes(rows: list[dict[str, Any] | list[Any]], headers: list[Any] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(as_list(row) if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: list[dict[str, Any]], headers: list[Any] = HEADERS, delimiter: str = ",") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in as_list(row)]
        )
    return buffer.getvalue()


def cp1258(text: str) -> bytes:
    """``text`` as Excel saves "CSV" on a Vietnamese Windows (cp1258, tone marks apart)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        # A letter of its own (â, ê, ô, ơ, ư, ă) plus a tone mark.
        for i, mark in enumerate(marks):
            letter = unicodedata.normalize("NFC", base + mark)
            rest = "".join(marks[:i] + marks[i + 1 :])
            try:
                out += letter.encode("cp1258") + rest.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def _close_worker_connections(**kwargs: Any) -> None:
    # The worker thread opens its own database connections; the test database
    # can only be flushed and dropped once they are closed.
    connections.close_all()


@contextmanager
def running_worker() -> Iterator[None]:
    """A real Celery worker (in a thread) on the broker of CELERY_BROKER_URL, which
    starts from an empty queue: messages other test modules left there (after their
    commits, for rows long flushed) are not this test's work."""
    from config.celery import app

    app.control.purge()
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=60):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connections)
