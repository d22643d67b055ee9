"""Administrators' catalog import (upload, progress, report) and export.

The upload is checked at once (size, type, headers) and then imported by a
Celery task (procedures.tasks.run_import_job); the job page polls its own
status partial with htmx while the task runs, and works without JavaScript
through a plain reload link.
"""

import io
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.redis import enqueue_after_commit

from ..auth import role_required
from ..catalog_io import (
    COLUMNS,
    ImportFileError,
    ImportReport,
    check_extension,
    check_file,
)
from ..catalog_io import export_catalog as write_catalog
from ..models import ImportJob, Role
from ..services import Outcome
from ..tasks import run_import_job

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_NAME = "danh-muc-thu-tuc-mau"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp danh mục (.xlsx hoặc .csv UTF-8)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, không ghi"), required=False)
    all_or_nothing = forms.BooleanField(
        label=gettext_lazy("Chỉ ghi khi tất cả các dòng hợp lệ"), required=False
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn: tối đa %(size)s.")
                % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        try:
            check_extension(upload.name)
            check_file(upload, filename=upload.name)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        finally:
            upload.seek(0)
        return upload


def _get_job_for_user(request: HttpRequest, pk: int) -> ImportJob:
    """The one gate to a job: its creator or a superuser, else 404."""
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
    else:
        form = ImportUploadForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(
            original_name=Path(upload.name).name[:255],
            dry_run=form.cleaned_data["dry_run"],
            all_or_nothing=form.cleaned_data["all_or_nothing"],
            created_by=request.user,
        )
        job.file.save(upload.name, upload, save=False)
        job.save()
        # Broker down: the job waits (its page says so) for the job sweep.
        enqueue_after_commit(run_import_job, job.pk, what=f"import {job.pk}")
        return redirect("procedures:import-job", pk=job.pk)
    status = 400 if request.method == "POST" else 200
    jobs = ImportJob.objects.visible_to(request.user)[:10]
    return render(
        request,
        "procedures/import.html",
        {"form": form, "columns": COLUMNS, "jobs": jobs},
        status=status,
    )


@role_required(Role.ADMINISTRATOR)
@require_GET
@vary_on_headers("HX-Request")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    report = ImportReport.from_dict(job.report) if job.report else None
    updates = []
    if report is not None:
        labels = {column.key: column.label for column in COLUMNS}
        updates = [
            (change.row, change.code, ", ".join(labels.get(f, f) for f in change.changed_fields))
            for change in report.changes
            if change.outcome == Outcome.UPDATED
        ]
    context = {"job": job, "report": report, "updates": updates}
    if request.htmx:
        return render(request, "procedures/import_job.html#job-status", context)
    return render(request, "procedures/import_job.html", context)


@role_required(Role.ADMINISTRATOR)
@require_GET
def import_example(request: HttpRequest, extension: str) -> FileResponse:
    if extension not in {"xlsx", "csv"}:
        raise Http404
    path = EXAMPLES / f"{EXAMPLE_NAME}.{extension}"
    content_type = XLSX_TYPE if extension == "xlsx" else "text/csv; charset=utf-8"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=content_type
    )


@role_required(Role.ADMINISTRATOR)
@require_GET
def export_catalog(request: HttpRequest) -> HttpResponse:
    buffer = io.BytesIO()
    write_catalog(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    filename = f"danh-muc-thu-tuc-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
