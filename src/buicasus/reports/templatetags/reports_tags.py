"""Template helpers of the reports: charts as `<img>` elements holding their SVG."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from buicasus.reports.rendering import svg_img

register = template.Library()


@register.simple_tag
def chart(svg: str, alt: str, css_class: str = "chart") -> SafeString:
    """`{% chart report.charts.by_stage _("…") %}` → `<img src="data:image/svg+xml;base64,…">`."""
    return svg_img(svg, alt, css_class=css_class)
