"""The leaders' dashboard pages: who sees what, fixed queries, the numbers link to
lists that match them, the export, the PDF report, the officer view."""

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from desk import dashboard
from desk.models import ExportJob
from desk.services import complete_dossier, hand_over
from tests.factories import make_dossier, make_procedure, make_user

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=TZ)
URL = reverse("desk:dashboard")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


@pytest.fixture
def world(clerk, officer, commune, other_commune):
    """At the commune: one returned early, one overdue now, one within term; at
    the other commune: one overdue now."""
    procedure = make_procedure(agencies=(commune, other_commune), time_value=5)
    done = make_dossier(clerk=clerk, procedure=procedure, received_at=at("2026-03-02 09:00"))
    hand_over(dossier=done, version=None, user=clerk, to_agency=commune, to_user=officer)
    complete_dossier(
        dossier=done,
        version=None,
        user=officer,
        result_number="1/GCN",
        result_signer="Lê Văn A",
        at=at("2026-03-04 09:00"),
    )
    overdue = make_dossier(clerk=clerk, procedure=procedure, received_at=at("2026-03-09 09:00"))
    current = make_dossier(clerk=clerk, procedure=procedure, received_at=at("2026-03-19 09:00"))
    other_clerk = make_user(agency=other_commune, roles=("clerk",))
    elsewhere = make_dossier(
        clerk=other_clerk, procedure=procedure, received_at=at("2026-03-10 09:00")
    )
    return {"done": done, "overdue": overdue, "current": current, "elsewhere": elsewhere}


def figure(html: str, key: str) -> int:
    return int(re.search(rf'data-figure="{key}">([\d.,]+)<', html).group(1).replace(".", ""))


@pytest.mark.django_db
def test_a_provincial_leader_sees_the_whole_province(client, provincial_leader, world):
    client.force_login(provincial_leader)
    html = client.get(URL).content.decode()

    assert figure(html, "received") == 4
    assert figure(html, "overdue") == 2
    assert figure(html, "finished_early") == 1
    assert "Số liệu cập nhật lần cuối lúc" in html
    assert html.count("data-unit=") == 2  # both communes ranked


@pytest.mark.django_db
def test_a_commune_leader_never_sees_another_commune(client, commune_leader, other_commune, world):
    client.force_login(commune_leader)
    html = client.get(URL, {"agency": other_commune.pk}).content.decode()

    assert figure(html, "received") == 3  # their own commune, not the one asked for
    assert other_commune.name not in html
    listing = client.get(
        reverse("desk:dashboard-list"), {"agency": other_commune.pk, "figure": "received"}
    ).content.decode()
    assert world["elsewhere"].code not in listing


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["clerk", "officer", "outsider", "inspector"])
def test_staff_without_a_leading_role_are_refused(client, persona, request, world):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("desk:dashboard-list"), {"figure": "overdue"}).status_code == 403


@pytest.mark.django_db
def test_the_page_costs_a_fixed_number_of_queries(
    client, provincial_leader, world, django_assert_max_num_queries
):
    client.force_login(provincial_leader)
    cache.clear()  # the catalog's counts are one query, cached after
    with django_assert_max_num_queries(20):  # 17 here, +2 from the ratings' sources
        client.get(URL)
    counts = []
    for params in ({}, {"period": "month", "month": "02/2026"}, {"period": "year", "year": "2025"}):
        with CaptureQueriesContext(connection) as queries:
            client.get(URL, params)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]  # live or snapshot stocks: one query either way
    more = make_procedure(agencies=(world["done"].receiving_agency,))
    make_dossier(clerk=world["done"].received_by, procedure=more)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) == counts[0]  # more data, the same queries


@pytest.mark.django_db
def test_periods_and_a_bad_value_never_break_the_page(client, provincial_leader, world):
    client.force_login(provincial_leader)
    march = client.get(URL, {"period": "month", "month": "03/2026"}).content.decode()
    assert "từ 01/03/2026 đến 20/03/2026" in march
    quarter = client.get(URL, {"period": "quarter", "quarter": "4", "year": "2025"})
    assert "từ 01/10/2025 đến 31/12/2025" in quarter.content.decode()
    assert figure(quarter.content.decode(), "received") == 0
    bad = client.get(URL, {"period": "custom", "start": "31/02/2026", "end": "x"})
    assert bad.status_code == 200
    assert "Giá trị không hợp lệ nên đã được bỏ qua" in bad.content.decode()
    partial = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and 'data-figure="received"' in partial


@pytest.mark.django_db
def test_every_number_opens_the_list_behind_it(client, provincial_leader, world):
    client.force_login(provincial_leader)
    html = client.get(URL).content.decode()
    for key in dashboard.FIGURES:
        link = re.search(rf'href="([^"]+)" data-figure="{key}"', html).group(1)
        listing = client.get(link.replace("&amp;", "&")).content.decode()
        assert listing.count("<tr data-row>") == figure(html, key), key
    overdue = client.get(
        reverse("desk:dashboard-list"),
        {"figure": "overdue", "agency": world["overdue"].receiving_agency_id},
    ).content.decode()
    assert world["overdue"].code in overdue and world["current"].code not in overdue
    assert world["overdue"].applicant_name not in overdue  # masked


@pytest.mark.django_db(transaction=True)
def test_a_list_is_exported_in_the_background_for_its_owner_only(
    client, provincial_leader, administrator, world, django_capture_on_commit_callbacks
):
    client.force_login(provincial_leader)
    data = {"figure": "received", "period": "12m", "agency": provincial_leader.agency_id}
    response = client.post(reverse("desk:dashboard-list"), data)
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("desk:export", args=[job.pk])
    assert 'hx-trigger="every 1s"' in client.get(response["Location"]).content.decode()

    assert dashboard.write_export(job.pk) == "done"
    assert dashboard.write_export(job.pk) == "skipped"  # a retried task does nothing
    page = client.get(reverse("desk:export", args=[job.pk])).content.decode()
    assert "data-download" in page
    download = client.get(reverse("desk:export-download", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    codes = {row[0] for row in rows[2:]}
    assert codes == {d.code for d in world.values()}
    assert world["done"].applicant_name not in str(rows)

    client.force_login(administrator)
    assert client.get(reverse("desk:export-download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_report_pdf_holds_the_figures(client, provincial_leader, world, tmp_path):
    client.force_login(provincial_leader)
    response = client.get(reverse("desk:dashboard-pdf"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Điểm đánh giá theo Quyết định 766/QĐ-TTg" in text
    assert "3. Xếp hạng đơn vị" in text and "xã Cam Lâm" in text


@pytest.mark.django_db
def test_the_unit_head_sees_each_officer(client, unit_head, officer, world):
    client.force_login(unit_head)
    html = client.get(reverse("desk:dashboard-officers")).content.decode()
    row = re.search(rf'<tr data-officer="{officer.pk}">(.*?)</tr>', html, re.S).group(1)
    numbers = re.findall(r'<td class="number">([^<]+)</td>', row)
    assert numbers[:2] == ["1", "100,0%"]  # one step finished, on time (Vietnamese decimal comma)


@pytest.mark.django_db
def test_processing_times_per_procedure_load_as_their_own_panel(client, provincial_leader, world):
    client.force_login(provincial_leader)
    page = client.get(URL).content.decode()
    assert reverse("desk:dashboard-procedures") in page
    panel = client.get(
        reverse("desk:dashboard-procedures"), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in panel
    assert panel.count("<tr data-procedure>") == 1  # one procedure, one dossier finished
    assert "<html" in client.get(reverse("desk:dashboard-procedures")).content.decode()


@pytest.mark.django_db
def test_the_chart_shows_the_numbers_of_its_table(client, provincial_leader, world):
    client.force_login(provincial_leader)
    html = client.get(URL).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    labels = re.findall(r'font-size="10">([\d/]+)</text>\s*<text[^>]*>(\d\d/\d\d)</text>', svg)
    table = html[html.index('id="dash-trend"') :]
    rows = re.findall(
        r'<th scope="row">(\d\d)/20(\d\d)</th><td class="number">[\d.]+</td>'
        r'<td class="number">([\d.]+)</td>\s*<td class="number">([\d.]+)</td>',
        table,
    )
    assert len(labels) == len(rows) == 12
    for (value, month), (mm, yy, finished, late) in zip(labels, rows, strict=True):
        assert month == f"{mm}/{yy}"
        assert value == (f"{finished}/{late}" if late != "0" else finished)


@pytest.mark.django_db
def test_old_exports_are_deleted_with_their_files(provincial_leader, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = dashboard.start_export(
        user=provincial_leader,
        figure="received",
        agency=provincial_leader.agency,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 20),
    )
    dashboard.write_export(old.pk)
    old.refresh_from_db()
    path = old.file.path
    ExportJob.objects.filter(pk=old.pk).update(created_at=NOW - dt.timedelta(days=8))
    recent = dashboard.start_export(
        user=provincial_leader,
        figure="overdue",
        agency=provincial_leader.agency,
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 20),
    )

    assert dashboard.purge_exports(now=NOW) == 1

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Path(path).exists()


@pytest.mark.django_db
def test_a_unit_with_no_dossiers_is_listed_apart_not_ranked(
    client, provincial_leader, province, department, commune, other_commune, world
):
    # The department has no dossier at all: its catalog indicators alone would give it
    # full marks; it comes after the units that work, with no rank and no score.
    board = dashboard.build(province, *dashboard.period_bounds("12m", today=NOW.date()))
    assert [(row["agency"], row["rank"]) for row in board.ranking][-1] == (department, None)
    assert {row["agency"] for row in board.ranking if row["rank"]} == {commune, other_commune}
    assert sorted(row["rank"] for row in board.ranking if row["rank"]) == [1, 2]

    client.force_login(provincial_leader)
    html = client.get(URL).content.decode()
    rows = re.findall(r'<tr data-unit="(\d+)"( data-unranked)?>\s*<td data-rank>(\d*)</td>', html)
    assert rows[-1] == (str(department.pk), " data-unranked", "")
    assert [rank for _pk, _mark, rank in rows[:2]] == ["1", "2"]
    last_row = html[html.index(f'data-unit="{department.pk}"') :].split("</tr>")[0]
    assert "Không áp dụng" in last_row


def test_ties_go_to_more_dossiers_then_to_the_name():
    def row(name: str, score: str | None, received: int) -> dict:
        flows = dict.fromkeys(dashboard.stats.FLOW_FIELDS, 0) | {"received": received}
        figures = dashboard.stats.Figures(NOW.date(), NOW.date(), flows, {}, NOW, None)
        return {"agency": name, "score100": score and Decimal(score), "figures": figures}

    rows = [
        row("Xã A", None, 0),
        row("Phường C", "80.0", 10),
        row("Phường B", "80.0", 10),
        row("Xã D", "80.0", 25),
        row("Phường E", "95.5", 1),
        row("Phường A", None, 0),
    ]
    ordered = [r["agency"] for r in sorted(rows, key=dashboard.ranking_order)]
    assert ordered == ["Phường E", "Xã D", "Phường B", "Phường C", "Phường A", "Xã A"]


@pytest.mark.django_db
def test_the_default_periods_label_says_its_first_and_last_day(client, provincial_leader, world):
    first, last = dashboard.period_bounds("12m", today=NOW.date())
    assert (first, last) == (dt.date(2025, 3, 21), dt.date(2026, 3, 20))  # twelve months
    client.force_login(provincial_leader)
    html = client.get(URL).content.decode()
    assert '<option value="12m" selected>12 tháng gần nhất (21/03/2025 – 20/03/2026)' in html
    assert "từ 21/03/2025 đến 20/03/2026" in html
    assert dashboard.period_bounds("12m", today=dt.date(2028, 2, 29))[0] == dt.date(2027, 3, 1)


@pytest.mark.django_db
def test_every_period_field_is_in_the_page_and_the_script_shows_the_chosen_kinds(
    client, provincial_leader, world
):
    client.force_login(provincial_leader)
    html = client.get(URL).content.decode()
    # Without JavaScript every field is there and none is hidden.
    assert html.count('data-period-kinds="custom"') == 2
    form = html.split('class="form card dashboard-filters"')[1].split("</form>")[0]
    assert " hidden" not in form and "disabled" not in form
    assert re.search(r'<select name="period" id="[\w-]+" data-period-kind>', html)
    assert '<script src="/static/js/dashboard.js" defer></script>' in html
    script = (Path(__file__).resolve().parents[2] / "static/js/dashboard.js").read_text()
    assert "data-period-kinds" in script and "select[data-period-kind]" in script
    # Every kind the form knows has its fields in the page.
    for kind, names in dashboard.PERIOD_FIELDS.items():
        for name in names:
            assert re.search(
                rf'data-period-kinds="[a-z ]*\b{kind}\b[a-z ]*">\s*<label for="dash-{name}"', html
            )


@pytest.mark.django_db
def test_only_the_chosen_kinds_fields_are_read(client, provincial_leader, world):
    client.force_login(provincial_leader)
    # Left-overs of other kinds, even malformed, are neither used nor reported.
    response = client.get(
        URL, {"period": "year", "year": "2025", "month": "13/20x", "start": "x", "end": "1"}
    )
    html = response.content.decode()
    assert "từ 01/01/2025 đến 31/12/2025" in html
    assert "Giá trị không hợp lệ" not in html
    month = client.get(URL, {"period": "month", "month": "02/2026", "year": "abc"})
    assert "từ 01/02/2026 đến 28/02/2026" in month.content.decode()
    assert "Giá trị không hợp lệ" not in month.content.decode()
