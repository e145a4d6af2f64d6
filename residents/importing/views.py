"""The import pages: upload and check, then the job's page, which polls its progress."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from residents import importer
from residents.forms import ImportForm
from residents.importing import services
from residents.importing.models import ImportJob, JobStatus
from residents.scoping import community_view, get_object_for, require_resident_editor, scoped
from residents.spreadsheet import content_disposition

RECENT_JOBS = 10
# A job still waiting after this long has not reached a worker: the page says so.
WAITING_TOO_LONG = timezone.timedelta(minutes=1)


@community_view
def resident_import(request: HttpRequest) -> HttpResponse:
    """Upload the office's roster: every row is checked here; a file without errors becomes a
    job the background worker writes (all rows or none) while its page shows the progress."""
    require_resident_editor(request)  # who may add one resident may import many
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = importer.read(upload, community=request.community, size=upload.size)
        except importer.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if report.ok and not report.rows:
                form.add_error("file", _("The file holds no residents: fill in rows below the headings."))
                report = None
            elif report.ok and not form.cleaned_data["dry_run"]:
                job = services.queue_job(
                    community=request.community, by=request.user, file_name=upload.name, report=report
                )
                return redirect("residents:import_job", pk=job.pk)
    jobs = scoped(request, ImportJob.objects.select_related("created_by")).defer("payload")[:RECENT_JOBS]
    return render(request, "residents/resident_import.html", {"form": form, "report": report, "jobs": jobs})


def _job_context(request: HttpRequest, pk: int) -> dict:
    job = get_object_for(request, ImportJob.objects.select_related("created_by").defer("payload"), pk=pk)
    waiting_long = job.status == JobStatus.QUEUED and timezone.now() - job.created_at > WAITING_TOO_LONG
    return {"job": job, "waiting_long": waiting_long}


@community_view
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """One import: progress while it runs (polled), the report once it has ended."""
    context = _job_context(request, pk)
    require_resident_editor(request)  # who may add one resident may import many
    return render(request, "residents/importing/importjob_detail.html", context)


@community_view
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress part of the job's page, polled every second until the job has ended."""
    context = _job_context(request, pk)
    require_resident_editor(request)  # who may add one resident may import many
    return render(request, "residents/importing/partials/progress.html", context)


@community_view
def resident_import_template(request: HttpRequest) -> HttpResponse:
    """The Excel template with the column headings the import reads."""
    buffer = BytesIO()
    importer.template_workbook().save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition("居民导入模板.xlsx")
    return response
