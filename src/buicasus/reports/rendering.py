"""HTML → PDF with WeasyPrint, strictly offline, and SVG charts embedded as real images.

A report must never reach the network while it renders: a PDF built on a server behind a proxy,
or from records whose websites point anywhere, would otherwise fetch whatever an `<img>` or a
stylesheet names. `OfflineFetcher` therefore serves exactly two kinds of URL — `data:` URLs
(the charts, embedded by `svg_img`) and the platform's own static files, read from disk through
Django's staticfiles finders — and refuses everything else, recording what it refused.

WeasyPrint draws an SVG `<img>` as vector paths and text in the page's content stream (not as a
raster XObject), so charts stay sharp at any zoom and their labels stay selectable text.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils.html import format_html
from django.utils.safestring import SafeString
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The report's fonts: DejaVu carries every letter of lv, sv, fr and es (ā, ķ, ņ, å, œ, ñ …).
FONT_STACK = '"DejaVu Sans", "Noto Sans", "Liberation Sans", sans-serif'


class RefusedURL(ValueError):
    """A URL the offline fetcher will not load (anything but data: and our static files)."""


class OfflineFetcher(URLFetcher):
    """WeasyPrint URL fetcher that never opens a network connection.

    `refused` lists the URLs it turned down, so callers (and tests) can see what a document
    asked for; WeasyPrint itself only logs a warning and leaves the resource out.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            self.served.append(url)
            return _data_response(url)
        path = _static_path(url)
        if path is None:
            self.refused.append(url)
            raise RefusedURL(f"Reports are rendered offline; refused to load {url}")
        self.served.append(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        headers_out = {"Content-Type": mime}
        return URLFetcherResponse(url, path.read_bytes(), headers_out)


def _data_response(url: str) -> URLFetcherResponse:
    """Decode a `data:` URL locally (RFC 2397)."""
    header, _, payload = url[5:].partition(",")
    parts = header.split(";")
    mime = parts[0] or "text/plain"
    if "base64" in parts[1:]:
        body = base64.b64decode(unquote(payload))
    else:
        body = unquote_to_bytes(payload)
    return URLFetcherResponse(url, body, {"Content-Type": mime})


def _static_path(url: str) -> Path | None:
    """The file on disk behind one of our static URLs (file:/…/static/… or /static/…), else
    None. Only the path counts, and only under STATIC_URL: a `file:` URL cannot read
    anything else on the machine."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    static_url = "/" + str(settings.STATIC_URL).strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(static_url) or ".." in path.split("/"):
        return None
    found = finders.find(path[len(static_url) :])
    if not found:
        return None
    return Path(found if isinstance(found, str) else found[0])


# Relative and root-relative links (`/static/…`) resolve against this base, so they land on
# `file:///static/…`, which the fetcher maps to the static folders and nothing else.
BASE_URL = "file:///"


def render_pdf(
    html: str, *, base_url: str = BASE_URL, fetcher: OfflineFetcher | None = None
) -> bytes:
    """The PDF of a complete HTML document (A4; its own CSS sets pages, header and numbers)."""
    fetcher = fetcher or OfflineFetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return bytes(document.write_pdf())


def svg_data_uri(svg: str) -> str:
    """A base64 `data:` URL for an SVG document, for `<img src>`."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_img(svg: str, alt: str, *, css_class: str = "chart") -> SafeString:
    """An `<img>` holding the SVG, so browsers and the PDF both treat the chart as an image."""
    return format_html(
        '<img class="{}" src="{}" alt="{}">', css_class, svg_data_uri(_standalone(svg)), alt
    )


def _standalone(svg: str) -> str:
    """Make sure an SVG fragment declares its namespace: as an image it is its own document."""
    text = svg.strip()
    if text.startswith("<?xml"):
        return text
    if "xmlns=" not in text.split(">", 1)[0]:
        text = text.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return text
