"""JSON API of the analysis app, mounted at /api/v1/analysis."""

from ninja import Router

router = Router(tags=["analysis"])
