"""The administrators' import pages: upload, job progress and report, example, export."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from procedures.catalog_io import HEADERS
from procedures.models import ImportJob, ImportJobStatus, Procedure
from procedures.tasks import run_import_job
from tests.factories import make_user

from .catalog_files import good_row, running_worker, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF_WITHOUT_THE_ROLE = [
    "clerk",
    "officer",
    "unit_head",
    "commune_leader",
    "provincial_leader",
    "inspector",
    "outsider",
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(data: bytes, name: str = "danh-muc.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def file_with_two_bad_rows() -> bytes:
    return xlsx_bytes(
        [
            good_row("1.900001"),
            good_row("1.900002", level="Cấp huyện"),
            good_row("1.900003"),
            good_row("1.900004", fees="Lệ phí | tám nghìn"),
        ]
    )


def make_job(user, data: bytes | None = None, **fields) -> ImportJob:
    job = ImportJob(original_name="danh-muc.xlsx", created_by=user, **fields)
    job.file.save("danh-muc.xlsx", io.BytesIO(data or file_with_two_bad_rows()), save=False)
    job.save()
    return job


def urls(job: ImportJob) -> list[str]:
    return [
        reverse("procedures:import"),
        reverse("procedures:import-job", args=[job.pk]),
        reverse("procedures:import-example", args=["xlsx"]),
        reverse("procedures:import-example", args=["csv"]),
        reverse("procedures:export"),
    ]


# ---------------------------------------------------------------- who may see what


def test_anonymous_visitors_are_sent_to_the_login_page(client, administrator):
    job = make_job(administrator)
    for url in urls(job):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", STAFF_WITHOUT_THE_ROLE)
def test_staff_without_the_administrator_role_are_refused(client, administrator, persona, request):
    job = make_job(administrator)
    client.force_login(request.getfixturevalue(persona))
    for url in urls(job):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("procedures:import"), {"file": upload(xlsx_bytes([]))})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 1


def test_administrator_sees_every_page(client, administrator):
    job = make_job(administrator)
    client.force_login(administrator)
    for url in urls(job):
        assert client.get(url).status_code == 200, url


def test_a_job_is_visible_to_its_creator_and_superusers_only(client, administrator, province):
    job = make_job(administrator)
    colleague = make_user(agency=province, roles=("administrator",))
    client.force_login(colleague)
    assert client.get(reverse("procedures:import-job", args=[job.pk])).status_code == 404

    superuser = make_user(is_superuser=True)
    client.force_login(superuser)
    assert client.get(reverse("procedures:import-job", args=[job.pk])).status_code == 200


# ---------------------------------------------------------------- upload


def test_upload_page_offers_the_form_the_example_and_the_export(client, administrator):
    client.force_login(administrator)

    page = client.get(reverse("procedures:import")).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert "Chỉ kiểm tra, không ghi" in page
    assert "Chỉ ghi khi tất cả các dòng hợp lệ" in page
    assert reverse("procedures:import-example", args=["xlsx"]) in page
    assert reverse("procedures:export") in page
    assert "Thời hạn giải quyết *" in page  # the column layout is explained


def test_good_upload_queues_a_job_after_commit_and_shows_it(
    client, administrator, commune, django_capture_on_commit_callbacks
):
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("procedures:import"),
            {"file": upload(file_with_two_bad_rows()), "dry_run": "on"},
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:import-job", args=[job.pk])
    assert len(callbacks) == 1
    assert job.status == ImportJobStatus.QUEUED and job.dry_run and not job.all_or_nothing
    assert job.created_by == administrator and job.original_name == "danh-muc.xlsx"
    assert job.file.name.startswith("imports/") and job.file.name.endswith(".xlsx")
    assert Procedure.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("danh-muc.xlsx", b"not a workbook", "không phải là tệp Excel"),
        ("danh-muc.pdf", b"%PDF-1.7", ".xlsx hoặc .csv"),
        ("danh-muc.xlsx", xlsx_bytes([], headers=["Mã thủ tục", "Tên"]), "Thiếu cột bắt buộc"),
        ("danh-muc.csv", "Mã thủ tục".encode("utf-16"), "UTF-8"),
    ],
)
def test_bad_upload_is_refused_at_once_with_the_reason(client, administrator, name, data, message):
    client.force_login(administrator)

    response = client.post(reverse("procedures:import"), {"file": upload(data, name)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_upload_over_the_size_limit_is_refused(client, administrator, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(administrator)

    response = client.post(reverse("procedures:import"), {"file": upload(b"x" * 101)})

    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_upload_without_a_file_says_so(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("procedures:import"), {})

    assert response.status_code == 400
    assert "bắt buộc" in response.content.decode()
    assert ImportJob.objects.count() == 0


# ---------------------------------------------------------------- the job


def test_job_page_polls_while_the_job_is_waiting(client, administrator):
    job = make_job(administrator)
    client.force_login(administrator)
    url = reverse("procedures:import-job", args=[job.pk])

    page = client.get(url).content.decode()
    partial = client.get(url, headers={"HX-Request": "true"})

    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    assert "Tải lại" in page and 'http-equiv="refresh"' in page
    body = partial.content.decode()
    assert "<html" not in body and body.lstrip().startswith('<section id="job-status"')
    assert 'hx-trigger="every 1s"' in body
    assert partial["Vary"] and "HX-Request" in partial["Vary"]


def test_finished_job_shows_the_summary_and_each_bad_row(client, administrator, commune):
    job = make_job(administrator)

    run_import_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE
    assert (job.processed_rows, job.total_rows) == (4, 4)
    assert job.report["created"] == 2 and job.report["failed"] == 2
    assert Procedure.objects.count() == 2
    client.force_login(administrator)
    body = client.get(
        reverse("procedures:import-job", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "hx-trigger" not in body  # finished: polling stops
    assert "Tạo mới 2, cập nhật 0, không đổi 0, lỗi 2" in body
    assert "<td>3</td><td>Cấp thực hiện</td>" in body
    assert "<td>5</td><td>Phí, lệ phí</td>" in body
    assert "tám nghìn" in body


def test_job_lists_the_updated_procedures_with_their_changed_columns(
    client, administrator, commune
):
    run_import_job(make_job(administrator, xlsx_bytes([good_row("1.900001")])).pk)
    job = make_job(administrator, xlsx_bytes([good_row("1.900001", name="Tên mới")]))

    run_import_job(job.pk)

    client.force_login(administrator)
    page = client.get(reverse("procedures:import-job", args=[job.pk])).content.decode()
    assert "<td>2</td><td>1.900001</td><td>Tên thủ tục</td>" in page


def test_running_a_job_twice_imports_once(administrator, commune):
    job = make_job(administrator, xlsx_bytes([good_row("1.900001")]))

    run_import_job(job.pk)
    run_import_job(job.pk)

    job.refresh_from_db()
    assert job.report["created"] == 1
    assert Procedure.objects.get().revisions.count() == 1


def test_job_with_a_file_that_became_unreadable_fails_with_the_reason(client, administrator):
    job = make_job(administrator, xlsx_bytes([], headers=HEADERS[:3]))

    run_import_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert "Thiếu cột bắt buộc" in job.error
    client.force_login(administrator)
    page = client.get(reverse("procedures:import-job", args=[job.pk])).content.decode()
    assert "Thiếu cột bắt buộc" in page and "Thất bại" in page


@pytest.mark.django_db(transaction=True)
def test_uploaded_file_is_imported_by_a_real_worker(client, administrator, commune):
    client.force_login(administrator)
    with running_worker():
        response = client.post(
            reverse("procedures:import"), {"file": upload(file_with_two_bad_rows())}
        )
        assert response.status_code == 302
        job = ImportJob.objects.get()
        deadline = time.monotonic() + 60
        while not job.is_finished and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()

    assert job.status == ImportJobStatus.DONE, job.error
    assert job.report["created"] == 2 and job.report["failed"] == 2
    assert job.processed_rows == job.total_rows == 4
    page = client.get(reverse("procedures:import-job", args=[job.pk])).content.decode()
    assert "lỗi 2" in page and 'value="100"' in page


# ---------------------------------------------------------------- example and export


def test_example_file_downloads_as_an_attachment(client, administrator):
    client.force_login(administrator)

    response = client.get(reverse("procedures:import-example", args=["xlsx"]))

    assert response["Content-Type"] == XLSX
    assert "danh-muc-thu-tuc-mau.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert client.get(reverse("procedures:import-example", args=["pdf"])).status_code == 404


def test_export_downloads_the_catalog_as_xlsx(client, administrator, commune):
    run_import_job(make_job(administrator, xlsx_bytes([good_row("1.900001")])).pk)
    client.force_login(administrator)

    response = client.get(reverse("procedures:export"))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="danh-muc-thu-tuc-')
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "1.900001"
