"""Report pages: /reports/ (choose), /reports/mapping/<CC>/ (page), /reports/mapping/<CC>.pdf.

Anyone may read a report: it counts the records the reader may see (published ones for
visitors, unpublished ones too for the country's staff), so no page is refused, only filtered.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from buicasus.reports import services
from buicasus.reports.forms import TRANSNATIONAL, ReportForm
from buicasus.reports.mapping import ReportError, mapping_report


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
        report = mapping_report(request.user, codes, lang)
        return render(
            request,
            "reports/mapping_page.html",
            {"report": report, "pdf_href": f"{pdf}?{query}", "page": True},
        )


def mapping_pdf(request: HttpRequest, code: str | None = None) -> HttpResponse:
    codes, lang = _choices(request, code)
    site_url = request.build_absolute_uri("/").rstrip("/")
    data = services.build_mapping(request.user, codes, lang, "pdf", site_url=site_url)
    response = HttpResponse(data, content_type="application/pdf")
    name = services.file_name(codes, lang, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
