"""Report pages: /reports/ (choose), /reports/mapping/<CC>/ (page), /reports/mapping/<CC>.pdf
(a PDF built by a background worker, followed on /reports/builds/<id>/ and downloaded there).

Anyone may read a report: it counts the records the reader may see (published ones for
visitors, unpublished ones too for the country's staff), so no page is refused, only filtered.
No request computes the network a report shows: the page uses the stored analysis and asks a
worker for a fresh one (`network.tasks`), and waits for it only when there is none yet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from buicasus.jobs.models import Job
from buicasus.network import services as network
from buicasus.network import tasks as network_tasks
from buicasus.reports import services, tasks
from buicasus.reports.forms import TRANSNATIONAL, ReportForm
from buicasus.reports.mapping import ReportError, mapping_report
from buicasus.web.htmx import is_htmx


def index(request: HttpRequest) -> HttpResponse:
    """The choice form; a valid choice redirects to the report page or PDF."""
    if "scope" in request.GET:
        form = ReportForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            transnational = data["scope"] == TRANSNATIONAL
            suffix = "-pdf" if data["format"] == "pdf" else ""
            name = (
                "reports:mapping-transnational" if transnational else "reports:mapping"
            ) + suffix
            args = [] if transnational else [data["scope"]]
            return redirect(f"{reverse(name, args=args)}?{urlencode({'lang': data['lang']})}")
    else:
        form = ReportForm(initial={"lang": translation.get_language(), "scope": TRANSNATIONAL})
    return render(request, "reports/index.html", {"form": form})


def _choices(request: HttpRequest, code: str | None) -> tuple[list[str], str]:
    """Countries and language of the requested report; unknown ones are a 404."""
    try:
        if code is None:
            codes = services.parse_countries(countries=request.GET.get("countries") or "ALL")
        else:
            codes = services.parse_countries(country=code)
        lang = services.check_language(request.GET.get("lang") or translation.get_language())
    except ReportError as exc:
        raise Http404(str(exc)) from exc
    return codes, lang


def mapping_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    codes, lang = _choices(request, code)
    query = urlencode({"lang": lang, **({"countries": ",".join(codes)} if code is None else {})})
    pdf = (
        reverse("reports:mapping-transnational-pdf")
        if code is None
        else reverse("reports:mapping-pdf", args=[codes[0]])
    )
    with translation.override(lang):
        try:
            with network_tasks.reading_stored():
                report = mapping_report(request.user, codes, lang)
        except network.NetworkPending as pending:
            return _waiting_for_network(request, pending.job)
        if is_htmx(request):  # the waiting page polled and the network is there now
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "reports/mapping_page.html",
            {"report": report, "pdf_href": f"{pdf}?{query}", "page": True},
        )


def _waiting_for_network(request: HttpRequest, job: Job) -> HttpResponse:
    """A report whose network was never computed: the page follows the recompute (polling
    the report's own address, which reloads once the report can be shown)."""
    context = {
        "job": job,
        "poll_url": request.get_full_path(),
        "refresh_url": request.get_full_path(),
    }
    if is_htmx(request):
        return render(request, "jobs/_status.html", context)
    return render(request, "reports/waiting.html", context, status=202)


def mapping_pdf(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Ask for the PDF: a worker builds it. With htmx the status block comes back to the page
    that asked; otherwise the build's page, which follows it and offers the download."""
    codes, lang = _choices(request, code)
    site_url = request.build_absolute_uri("/").rstrip("/")
    job = tasks.request_build(request.user, codes, lang, "pdf", site_url=site_url)
    if is_htmx(request):
        return _status_fragment(request, job)
    return redirect(reverse("reports:build", args=[job.pk]), permanent=False)


def _build(request: HttpRequest, job_id: UUID) -> Job:
    job = tasks.visible_build(request.user, job_id)
    if job is None:
        raise Http404
    return job


def _status_context(job: Job) -> dict[str, Any]:
    return {
        "job": job,
        "poll_url": reverse("reports:build-status", args=[job.pk]),
        "refresh_url": reverse("reports:build", args=[job.pk]),
    }


def _status_fragment(request: HttpRequest, job: Job) -> HttpResponse:
    response = render(request, "jobs/_status.html", _status_context(job))
    response["Cache-Control"] = "no-store"
    return response


def build_page(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """One report build: its progress while it runs, the download once it is done."""
    return render(request, "reports/build.html", _status_context(_build(request, job_id)))


def build_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The build's status block alone, which its page polls."""
    return _status_fragment(request, _build(request, job_id))


def build_download(request: HttpRequest, job_id: UUID) -> HttpResponse:
    job = _build(request, job_id)
    fmt = Path(str(job.outcome.get("file", ""))).suffix.lstrip(".") or "pdf"
    path = tasks.build_path(job.pk, fmt)
    if job.status != Job.Status.SUCCEEDED or not path.is_file():
        raise Http404
    name = str(job.outcome.get("file") or path.name)
    content_type = "application/pdf" if fmt == "pdf" else "text/html; charset=utf-8"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
