"""The catalog import (procedures/catalog_io/), called directly."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from bench.catalog_data import ensure_agencies, generate_procedures
from procedures.catalog_io import (
    COLUMNS,
    HEADERS,
    ImportFileError,
    ImportReport,
    RowParser,
    content_cells,
    import_catalog,
    map_headers,
    write_xlsx,
)
from procedures.catalog_io.apply import RowWriter
from procedures.demo import EXAMPLE_CATALOG
from procedures.models import (
    Fee,
    OnlineLevel,
    Procedure,
    ProcedureRevision,
    ProcedureStatus,
    TimeUnit,
)
from procedures.services import content_hash, procedure_content
from tests.factories import make_procedure

from .catalog_files import DEPARTMENT, cp1258, csv_text, good_row, xlsx_bytes

EXAMPLE_CSV = EXAMPLE_CATALOG.with_suffix(".csv")


def run(data: bytes, filename: str = "danh-muc.xlsx", **options) -> ImportReport:
    return import_catalog(io.BytesIO(data), filename=filename, **options)


@pytest.fixture
def demo_agencies(db) -> None:
    """The demo province's agencies, which the example file refers to."""
    ensure_agencies()


@pytest.fixture
def agencies(commune, department) -> None:
    """The commune (000.00.21.H56) and department (000.17.00.H56) of the personas."""


# ---------------------------------------------------------------- good files


def test_example_xlsx_creates_every_procedure_with_its_parts(demo_agencies):
    report = run(EXAMPLE_CATALOG.read_bytes(), EXAMPLE_CATALOG.name)

    assert report.errors == []
    assert report.created == Procedure.objects.count() >= 40
    assert (report.updated, report.unchanged, report.failed) == (0, 0, 0)
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Đăng ký khai sinh"
    assert birth.field.name == "Hộ tịch"
    assert birth.level == "commune"
    assert birth.agencies.count() == 20
    assert birth.online_level == OnlineLevel.FULL
    variants = list(birth.variants.all())
    assert variants[0].time_unit == TimeUnit.IMMEDIATE and variants[0].is_default
    assert (variants[1].time_value, variants[1].time_unit) == (3, TimeUnit.WORKING_DAYS)
    signature = Procedure.objects.get(code="2.000884")
    assert signature.default_variant().time_limit_display == "2 giờ làm việc"
    assert Fee.objects.filter(procedure__code="2.000635", amount=8000).exists()
    criminal_record = Procedure.objects.get(code="2.000488")
    assert [a.identifier for a in criminal_record.agencies.all()] == ["000.17.00.H56"]
    assert criminal_record.decision_date == dt.date(2025, 7, 10)
    assert ProcedureRevision.objects.filter(procedure=birth).count() == 1


def test_example_csv_twin_holds_the_same_catalog_as_the_xlsx(demo_agencies):
    first = run(EXAMPLE_CSV.read_bytes(), EXAMPLE_CSV.name)
    assert first.errors == [] and first.created >= 40

    second = run(EXAMPLE_CATALOG.read_bytes(), EXAMPLE_CATALOG.name)

    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)


def test_created_procedure_matches_the_row_exactly(agencies):
    report = run(xlsx_bytes([good_row()]))

    assert report.created == 1
    procedure = Procedure.objects.get(code="1.900001")
    content = procedure_content(procedure)
    assert content["documents"] == [
        {
            "name": "Tờ khai đăng ký khai sinh",
            "originals": 1,
            "certified_copies": 0,
            "copies": 0,
            "form_name": "Mẫu TP/HT-01",
        },
        # Counts left out: one original.
        {
            "name": "Giấy chứng sinh",
            "originals": 1,
            "certified_copies": 0,
            "copies": 0,
            "form_name": "",
        },
    ]
    assert content["fees"] == [
        {"name": "Lệ phí đăng ký khai sinh", "amount": 8000, "exemptions": "Miễn cho hộ nghèo"}
    ]
    assert content["legal_basis"] == "Luật Hộ tịch 2014\nNghị định 123/2015/NĐ-CP"
    assert content["decision_date"] == "2025-07-01"
    assert content["file_anywhere"] is True and content["is_interlevel"] is False
    assert procedure.content_hash == content_hash(content)


def test_csv_is_read_with_and_without_a_byte_order_mark(agencies):
    text = csv_text([good_row("1.900001")])
    assert run(text.encode("utf-8"), "a.csv").created == 1

    bom = csv_text([good_row("1.900002")]).encode("utf-8-sig")
    report = run(bom, "b.csv")

    assert report.errors == [] and report.created == 1
    assert Procedure.objects.filter(code__in=["1.900001", "1.900002"]).count() == 2


def test_csv_saved_by_a_vietnamese_excel_with_semicolons_is_read(agencies):
    text = csv_text([good_row()], delimiter=";")

    report = run(text.encode("utf-8-sig"), "danh-muc.csv")

    assert report.errors == [] and report.created == 1


def test_headers_match_ignoring_case_diacritics_spaces_order_and_extra_columns(agencies):
    row = good_row()
    keys = ["variants", "code", "level", "field_name", "name", "field_code", "agencies"]
    headers = [
        "  THỜI HẠN   GIẢI QUYẾT ",
        "ma thu tuc",
        "Cap thuc hien (*)",
        "Tên Lĩnh Vực",
        "ten thu tuc *",
        "MÃ LĨNH VỰC",
        "Mã cơ quan thực hiện",
        "Ghi chú nội bộ",
    ]
    data = xlsx_bytes([[*(row[k] for k in keys), "không nhập cột này"]], headers=headers)

    report = run(data)

    assert report.errors == [] and report.created == 1
    assert any("Ghi chú nội bộ" in w and "cột H" in w for w in report.warnings)
    # Absent optional columns take their defaults, and the report says so.
    assert any("Phí, lệ phí" in w for w in report.warnings)
    procedure = Procedure.objects.get(code="1.900001")
    assert procedure.accepts_at_desk is True and procedure.accepts_online is False
    assert procedure.status == ProcedureStatus.PUBLISHED
    assert procedure.variants.count() == 2


def test_real_excel_date_cells_and_a_code_typed_as_a_number_are_accepted(agencies):
    row = good_row(
        decision_date=dt.datetime(2025, 7, 1),
        effective_from=dt.date(2025, 7, 15),
        effective_to="31/12/2030",
        decision_number=1523,
    )
    cells = [row[c.key] for c in COLUMNS]
    cells[0] = 1.0107  # Excel shows 1.010700 once the code loses its apostrophe
    report = run(xlsx_bytes([cells]))

    assert report.errors == []
    procedure = Procedure.objects.get(code="1.010700")
    assert procedure.decision_date == dt.date(2025, 7, 1)
    assert procedure.effective_from == dt.date(2025, 7, 15)
    assert procedure.effective_to == dt.date(2030, 12, 31)
    assert procedure.decision_number == "1523"


def test_synonyms_of_the_documented_values_are_accepted(agencies):
    row = good_row(
        level="province",
        agencies=f"{DEPARTMENT}\n",
        is_interlevel="x",
        accepts_by_post="1",
        accepts_online="yes",
        variants="Thông thường | 15 | working_days\n02 giờ làm việc",
        fees="Không",
        status="Được sửa đổi, bổ sung",
        online_level="Một phần",
    )

    report = run(xlsx_bytes([row]))

    assert report.errors == []
    content = procedure_content(Procedure.objects.get(code="1.900001"))
    assert content["level"] == "province" and content["agencies"] == [DEPARTMENT]
    assert content["is_interlevel"] and content["accepts_by_post"] and content["accepts_online"]
    assert content["fees"] == []
    assert content["status"] == "amended" and content["online_level"] == "partial"
    assert [(v["time_value"], v["time_unit"]) for v in content["variants"]] == [
        (15, "working_days"),
        (2, "working_hours"),
    ]


# ---------------------------------------------------------------- idempotence and history


def test_same_file_twice_changes_nothing_and_says_so(agencies):
    data = xlsx_bytes([good_row("1.900001"), good_row("1.900002")])
    run(data)
    revisions = ProcedureRevision.objects.count()
    updated_at = dict(Procedure.objects.values_list("code", "updated_at"))

    report = run(data)

    assert (report.created, report.updated, report.unchanged, report.failed) == (0, 0, 2, 0)
    assert "không có thay đổi" in report.summary()
    assert ProcedureRevision.objects.count() == revisions
    assert dict(Procedure.objects.values_list("code", "updated_at")) == updated_at


def test_changed_row_is_updated_and_its_revision_names_the_changed_fields(agencies, administrator):
    run(xlsx_bytes([good_row("1.900001"), good_row("1.900002")]))
    changed = good_row("1.900002", name="Tên mới", fees="Lệ phí | 10.000")

    report = run(
        xlsx_bytes([good_row("1.900001"), changed]),
        source="import: lan-2.xlsx",
        changed_by=administrator,
    )

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert [(c.row, c.code, c.changed_fields) for c in report.changes] == [
        (3, "1.900002", ["fees", "name"])
    ]
    procedure = Procedure.objects.get(code="1.900002")
    assert procedure.name == "Tên mới"
    assert list(procedure.fees.values_list("amount", flat=True)) == [10000]
    revision = procedure.revisions.first()
    assert revision.changed_fields == ["fees", "name"]
    assert revision.source == "import: lan-2.xlsx" and revision.changed_by == administrator
    assert procedure.revisions.count() == 2


def test_procedure_entered_outside_the_import_is_matched_without_a_new_revision(agencies, commune):
    procedure = make_procedure(code="1.900001", agencies=(commune,), documents=("Tờ khai",))
    content = procedure_content(procedure)
    assert procedure.content_hash == ""

    report = run(xlsx_bytes([content_cells(content)]))

    assert report.unchanged == 1 and report.errors == []
    procedure.refresh_from_db()
    assert procedure.content_hash == content_hash(content)
    assert procedure.revisions.count() == 0


# ---------------------------------------------------------------- bad rows


def test_every_bad_row_is_reported_with_row_column_and_reason_and_good_rows_are_saved(agencies):
    rows = [
        good_row("1.900001"),  # row 2
        good_row("1.23"),  # 3
        good_row("1.900003", name=""),  # 4
        good_row("1.900004", level="Cấp huyện"),  # 5
        good_row("1.900005", agencies="000.00.21.H56; 000.99.98.H56"),  # 6
        good_row("1.900006", decision_date="31/02/2025"),  # 7
        good_row("1.900007", documents="Tờ khai | một"),  # 8
        good_row("1.900008", fees="Lệ phí | 8.5"),  # 9
        good_row("1.900009", status="Còn dùng"),  # 10
        good_row("1.900010", online_level="Mức 5"),  # 11
        good_row("1.900001", name="Trùng mã"),  # 12
        good_row("1.900012", variants="Thông thường | 5 | tuần"),  # 13
        good_row("1.900013", accepts_online="Có thể"),  # 14
        good_row("1.900014", effective_from="2025/07/01"),  # 15
        good_row("1.900015", field_name="Tư pháp"),  # 16: HT is "Hộ tịch" on row 2
        good_row("1.900016", variants=""),  # 17
        good_row("1.900017"),  # 18
    ]

    report = run(xlsx_bytes(rows))

    found = {(e.row, e.column): e.message for e in report.errors}
    assert sorted(found) == [
        (3, "Mã thủ tục"),
        (4, "Tên thủ tục"),
        (5, "Cấp thực hiện"),
        (6, "Mã cơ quan thực hiện"),
        (7, "Ngày quyết định công bố"),
        (8, "Thành phần hồ sơ"),
        (9, "Phí, lệ phí"),
        (10, "Tình trạng"),
        (11, "Mức độ DVC trực tuyến"),
        (12, "Mã thủ tục"),
        (13, "Thời hạn giải quyết"),
        (14, "Nộp trực tuyến"),
        (15, "Ngày có hiệu lực"),
        (16, "Tên lĩnh vực"),
        (17, "Thời hạn giải quyết"),
    ]
    assert "1.23" in found[3, "Mã thủ tục"] and "1.010708" in found[3, "Mã thủ tục"]
    assert "không được để trống" in found[4, "Tên thủ tục"]
    assert "Cấp huyện" in found[5, "Cấp thực hiện"] and "Cấp xã" in found[5, "Cấp thực hiện"]
    assert "000.99.98.H56" in found[6, "Mã cơ quan thực hiện"]
    assert "000.00.21.H56" not in found[6, "Mã cơ quan thực hiện"]
    assert "không có thật" in found[7, "Ngày quyết định công bố"]
    assert "Giấy tờ thứ 1" in found[8, "Thành phần hồ sơ"] and "một" in found[8, "Thành phần hồ sơ"]
    assert "8.5" in found[9, "Phí, lệ phí"]
    assert "Còn dùng" in found[10, "Tình trạng"]
    assert "Toàn trình" in found[11, "Mức độ DVC trực tuyến"]
    assert "trùng với dòng 2" in found[12, "Mã thủ tục"]
    assert "tuần" in found[13, "Thời hạn giải quyết"]
    assert "Có hoặc Không" in found[14, "Nộp trực tuyến"]
    assert "dd/mm/yyyy" in found[15, "Ngày có hiệu lực"]
    assert "Hộ tịch" in found[16, "Tên lĩnh vực"] and "dòng 2" in found[16, "Tên lĩnh vực"]
    assert "ít nhất một thời hạn" in found[17, "Thời hạn giải quyết"]

    assert report.failed == 15 and report.created == 2
    assert sorted(Procedure.objects.values_list("code", flat=True)) == ["1.900001", "1.900017"]
    assert Procedure.objects.get(code="1.900001").name != "Trùng mã"
    assert "lỗi 15" in report.summary()


def test_a_row_with_several_bad_cells_reports_each_of_them(agencies):
    report = run(xlsx_bytes([good_row("9", level="", decision_date="hôm qua")]))

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Mã thủ tục"),
        (2, "Cấp thực hiện"),
        (2, "Ngày quyết định công bố"),
    ]
    assert report.failed == 1


def test_expiry_before_the_effective_date_is_refused(agencies):
    report = run(xlsx_bytes([good_row(effective_from="01/07/2025", effective_to="30/06/2025")]))

    assert [(e.row, e.column) for e in report.errors] == [(2, "Ngày hết hiệu lực")]


def test_blank_rows_are_skipped_and_numbering_follows_the_sheet(agencies):
    report = run(xlsx_bytes([good_row("1.900001"), [None] * len(HEADERS), good_row("x")]))

    assert report.total == 2 and report.created == 1
    assert [(e.row, e.column) for e in report.errors] == [(4, "Mã thủ tục")]


# ---------------------------------------------------------------- modes


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(agencies):
    data = xlsx_bytes([good_row("1.900001"), good_row("1.900002", level="?")])

    report = run(data, all_or_nothing=True)

    assert report.rolled_back and not report.written
    assert (report.created, report.failed) == (0, 1)
    assert "Không ghi thủ tục nào" in report.summary()
    assert Procedure.objects.count() == 0 and ProcedureRevision.objects.count() == 0


def test_all_or_nothing_writes_everything_when_every_row_is_good(agencies):
    report = run(xlsx_bytes([good_row("1.900001"), good_row("1.900002")]), all_or_nothing=True)

    assert report.written and report.created == 2
    assert Procedure.objects.count() == 2


def test_dry_run_writes_nothing_and_tells_what_an_import_would_do(agencies):
    rows = [good_row("1.900001"), good_row("1.900002"), good_row("1.900003", level="?")]

    report = run(xlsx_bytes(rows), dry_run=True)

    assert report.dry_run and not report.written
    assert (report.created, report.updated, report.unchanged, report.failed) == (2, 0, 0, 1)
    assert report.summary().startswith("Chạy thử, không ghi gì")
    assert Procedure.objects.count() == 0 and ProcedureRevision.objects.count() == 0


def test_dry_run_after_an_import_names_the_fields_a_change_would_touch(agencies):
    run(xlsx_bytes([good_row("1.900001"), good_row("1.900002")]))
    revisions = ProcedureRevision.objects.count()
    changed = good_row("1.900002", variants="Trường hợp thông thường | 5 | ngày làm việc")

    report = run(xlsx_bytes([good_row("1.900001"), changed, good_row("1.900003")]), dry_run=True)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert [(c.code, c.outcome, c.changed_fields) for c in report.changes] == [
        ("1.900002", "updated", ["variants"]),
        ("1.900003", "created", sorted(c.key for c in COLUMNS)),
    ]
    assert Procedure.objects.get(code="1.900002").variants.count() == 2
    assert not Procedure.objects.filter(code="1.900003").exists()
    assert ProcedureRevision.objects.count() == revisions


def test_progress_is_reported_from_zero_to_the_last_row(agencies):
    calls = []

    report = run(
        xlsx_bytes([good_row(f"1.90000{i}") for i in range(1, 6)]),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert report.created == 5
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_a_code_created_meanwhile_falls_back_to_row_by_row_saving(agencies, commune):
    report = ImportReport(filename="x.xlsx")
    writer = RowWriter(report, source="import: x.xlsx", changed_by=None)
    contents = [procedure_content_of(good_row(f"1.90000{i}")) for i in range(1, 4)]
    # Someone else creates one of the codes after the import looked at the catalog.
    make_procedure(code="1.900002", agencies=(commune,))

    for row, content in enumerate(contents, start=2):
        writer.add(row, content)
    writer.flush()

    assert (report.created, report.updated, report.failed) == (2, 1, 0)
    assert procedure_content(Procedure.objects.get(code="1.900002")) == contents[1]


def procedure_content_of(row: dict) -> dict:
    """The content dict the import makes of ``row``."""
    parser = RowParser(map_headers(HEADERS), agency_identifiers={"000.00.21.H56"})
    content, errors = parser.parse(2, [row.get(c.key) for c in COLUMNS])
    assert errors == []
    return content


def test_a_catalog_of_2000_rows_imports_and_reimports_unchanged(demo_agencies):
    contents = generate_procedures(2000)
    buffer = io.BytesIO()
    write_xlsx(contents, buffer)

    first = run(buffer.getvalue(), "lon.xlsx")

    assert first.errors == [] and first.created == 2000
    assert Procedure.objects.count() == 2000
    assert ProcedureRevision.objects.count() == 2000
    sample = Procedure.objects.get(code=contents[1234]["code"])
    assert procedure_content(sample) == contents[1234]

    second = run(buffer.getvalue(), "lon.xlsx")

    assert (second.created, second.updated, second.unchanged) == (0, 0, 2000)
    assert ProcedureRevision.objects.count() == 2000


# ---------------------------------------------------------------- bad files


def test_missing_required_headers_are_named(agencies):
    headers = [h for h in HEADERS if h not in ("Tên thủ tục *", "Thời hạn giải quyết *")]

    with pytest.raises(ImportFileError) as error:
        run(xlsx_bytes([], headers=headers))

    assert "Tên thủ tục" in str(error.value) and "Thời hạn giải quyết" in str(error.value)
    assert "Mã thủ tục" not in str(error.value)


def test_a_column_given_twice_is_refused(agencies):
    with pytest.raises(ImportFileError, match="xuất hiện hai lần"):
        run(xlsx_bytes([], headers=[*HEADERS, "Mã thủ tục"]))


def test_a_title_row_above_the_headers_is_refused_with_the_reason(agencies):
    data = xlsx_bytes([HEADERS, good_row()], headers=["DANH MỤC THỦ TỤC HÀNH CHÍNH"])

    with pytest.raises(ImportFileError, match="Thiếu cột bắt buộc"):
        run(data)


def test_an_empty_file_is_refused(db):
    with pytest.raises(ImportFileError, match="Tệp rỗng"):
        run(b"")
    with pytest.raises(ImportFileError, match="Tệp rỗng"):
        run(b"", "danh-muc.csv")


def test_an_empty_workbook_and_a_header_only_file_are_refused(db):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    with pytest.raises(ImportFileError, match="không có dòng nào"):
        run(buffer.getvalue())

    with pytest.raises(ImportFileError, match="chỉ có dòng tiêu đề"):
        run(xlsx_bytes([]))


def test_a_file_that_is_not_excel_but_named_xlsx_is_refused(db):
    with pytest.raises(ImportFileError, match="không phải là tệp Excel"):
        run(b"%PDF-1.7 this is a scanned decision", "danh-muc.xlsx")

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportFileError, match="không phải là tệp Excel"):
        run(archive.getvalue(), "danh-muc.xlsx")

    with pytest.raises(ImportFileError, match="Excel 97-2003"):
        run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "danh-muc.xlsx")


def test_unsupported_extensions_are_refused(db):
    with pytest.raises(ImportFileError, match=r"\.xlsx hoặc \.csv"):
        run(b"code,name", "danh-muc.txt")
    with pytest.raises(ImportFileError, match="Excel 97-2003"):
        run(b"\xd0\xcf\x11\xe0", "danh-muc.xls")


def test_csv_not_in_utf8_is_refused_with_a_clear_message(agencies):
    data = cp1258(csv_text([good_row()]))

    with pytest.raises(ImportFileError) as error:
        run(data, "danh-muc.csv")

    assert "UTF-8" in str(error.value) and "dòng 1" in str(error.value)
    assert Procedure.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(agencies, settings):
    settings.IMPORT_MAX_BYTES = 1000

    with pytest.raises(ImportFileError, match="Tệp quá lớn"):
        run(xlsx_bytes([good_row()]))


# ---------------------------------------------------------------- command line


def test_command_imports_a_file_and_prints_progress_and_summary(agencies, tmp_path, capsys):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(xlsx_bytes([good_row("1.900001"), good_row("1.900002")]))

    call_command("import_procedures", str(path))
    call_command("import_procedures", str(path))

    out = capsys.readouterr().out
    assert "Đã xử lý 2/2 dòng" in out
    assert "Tạo mới 2, cập nhật 0, không đổi 0, lỗi 0" in out
    assert "Danh mục không có thay đổi nào" in out
    assert ProcedureRevision.objects.filter(source="import: danh-muc.xlsx").count() == 2


def test_command_reports_bad_rows_and_exits_non_zero(agencies, tmp_path, capsys):
    path = tmp_path / "danh-muc.csv"
    path.write_text(csv_text([good_row("1.900001"), good_row("1.900002", level="?")]))

    with pytest.raises(CommandError) as error:
        call_command("import_procedures", str(path), "--all-or-nothing")

    assert error.value.returncode == 2
    assert "Dòng 3, cột Cấp thực hiện" in capsys.readouterr().err
    assert Procedure.objects.count() == 0


def test_command_dry_run_writes_nothing(agencies, tmp_path, capsys):
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(xlsx_bytes([good_row()]))

    call_command("import_procedures", str(path), "--dry-run")

    assert "Chạy thử" in capsys.readouterr().out
    assert Procedure.objects.count() == 0


def test_command_refuses_an_unreadable_file(db, tmp_path):
    path = tmp_path / "danh-muc.xlsx"
    path.write_text("not a workbook")

    with pytest.raises(CommandError, match="không phải là tệp Excel"):
        call_command("import_procedures", str(path))
