"""The catalog export (procedures/catalog_io/export.py): the import's layout, round trip exact."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from bench.catalog_data import ensure_agencies
from procedures.catalog_io import HEADERS, export_catalog, import_catalog
from procedures.demo import EXAMPLE_CATALOG
from procedures.models import Fee, Procedure, ProcedureRevision, TimeUnit
from tests.factories import make_procedure

from .catalog_files import good_row, xlsx_bytes


def exported() -> bytes:
    buffer = io.BytesIO()
    export_catalog(buffer)
    return buffer.getvalue()


def reimport(data: bytes, filename: str = "xuat.xlsx"):
    return import_catalog(io.BytesIO(data), filename=filename)


@pytest.fixture
def example_catalog(db) -> int:
    ensure_agencies()
    with EXAMPLE_CATALOG.open("rb") as stream:
        report = import_catalog(stream, filename=EXAMPLE_CATALOG.name, source="demo")
    assert report.errors == []
    return report.created


def test_export_writes_the_import_headers_in_order_bold_and_frozen(example_catalog):
    workbook = load_workbook(io.BytesIO(exported()))
    sheet = workbook.worksheets[0]

    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet.max_row == example_catalog + 1
    # One procedure per row, by code.
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == sorted(codes)


def test_export_then_import_changes_nothing(example_catalog):
    revisions = ProcedureRevision.objects.count()

    report = reimport(exported())

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, example_catalog)
    assert ProcedureRevision.objects.count() == revisions


def test_export_writes_values_in_the_import_syntax(db, commune, department):
    import_catalog(
        io.BytesIO(
            xlsx_bytes(
                [
                    good_row(
                        "1.900001",
                        fees="Lệ phí | 1.200.000 | Miễn cho hộ nghèo\nPhí | 0",
                        agencies="000.17.00.H56; 000.00.21.H56",
                    )
                ]
            )
        ),
        filename="a.xlsx",
    )
    sheet = load_workbook(io.BytesIO(exported())).worksheets[0]
    row = dict(zip(HEADERS, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))

    assert row["Phí, lệ phí"] == "Lệ phí | 1.200.000 | Miễn cho hộ nghèo\nPhí | 0"
    assert row["Thời hạn giải quyết *"] == (
        "Trường hợp thông thường | trả ngay\nTrường hợp cần xác minh | 3 | ngày làm việc"
    )
    assert row["Thành phần hồ sơ"] == (
        "Tờ khai đăng ký khai sinh | 1 | 0 | 0 | Mẫu TP/HT-01\nGiấy chứng sinh | 1 | 0 | 0"
    )
    assert row["Mã cơ quan thực hiện"] == "000.00.21.H56; 000.17.00.H56"
    assert row["Cấp thực hiện *"] == "Cấp xã"
    assert row["Nộp trực tuyến"] == "Có" and row["Liên thông"] == "Không"
    # A real date cell, shown as dd/mm/yyyy in Excel.
    assert row["Ngày quyết định công bố"] == dt.datetime(2025, 7, 1)
    assert row["Tình trạng"] == "Đang áp dụng" and row["Mức độ DVC trực tuyến"] == "Toàn trình"


def test_procedures_entered_in_the_admin_round_trip_too(db, commune, other_commune):
    procedure = make_procedure(
        agencies=(commune, other_commune),
        documents=("Đơn đề nghị", "Giấy tờ tùy thân"),
        time_unit=TimeUnit.WORKING_HOURS,
        time_value=4,
        legal_basis="Luật A\nNghị định B",
        effective_from=dt.date(2025, 7, 1),
    )
    Fee.objects.create(procedure=procedure, name="Lệ phí", amount=50000)

    report = reimport(exported())

    assert report.errors == [] and (report.updated, report.unchanged) == (0, 1)
    assert procedure.revisions.count() == 0


def test_export_of_an_empty_catalog_has_just_the_headers(db):
    sheet = load_workbook(io.BytesIO(exported())).worksheets[0]

    assert sheet.max_row == 1
    assert [cell.value for cell in sheet[1]] == HEADERS


def test_export_command_writes_xlsx_and_csv_that_reimport_unchanged(example_catalog, tmp_path):
    for name in ("xuat.xlsx", "xuat.csv"):
        path = tmp_path / name
        call_command("export_procedures", str(path))

        report = reimport(path.read_bytes(), name)

        assert report.errors == [], name
        assert report.unchanged == example_catalog == Procedure.objects.count()
