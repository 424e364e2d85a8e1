"""JSON API of the matching app, mounted at /api/v1/matching."""

from ninja import Router

router = Router(tags=["matching"])
