"""The one XLSX writer (procedures/xlsx.py): what people typed with a control
character in it does not fail a download, moments are local wall-clock time."""

import datetime as dt
import io
import zoneinfo

from openpyxl import load_workbook

from procedures import xlsx


def test_a_control_character_typed_by_a_citizen_does_not_fail_the_workbook():
    book = xlsx.Book()
    sheet = book.sheet("Lý do", [("Ngày", 12), ("Lý do", 40)], freeze="A2")
    moment = dt.datetime(2026, 3, 9, 2, 30, tzinfo=dt.UTC)  # 09:30 in Vietnam
    sheet.append([moment, "Chờ lâu\x0b quá\x00", 3])
    buffer = io.BytesIO()
    book.save(buffer)

    rows = list(load_workbook(io.BytesIO(buffer.getvalue()))["Lý do"].iter_rows(values_only=True))
    assert rows[0] == ("Ngày", "Lý do", None)
    assert rows[1] == (dt.datetime(2026, 3, 9, 9, 30), "Chờ lâu quá", 3)


def test_the_response_is_a_download(settings):
    assert zoneinfo.ZoneInfo(settings.TIME_ZONE)
    book = xlsx.Book()
    book.sheet("Tổng hợp").append(["Số lượt", 1])
    response = book.response("tong-hop.xlsx")
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert 'filename="tong-hop.xlsx"' in response["Content-Disposition"]
    assert (
        load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Tổng hợp"]["B1"].value == 1
    )
