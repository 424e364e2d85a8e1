"""JSON API of the semantic app, mounted at /api/v1/semantic."""

from ninja import Router

router = Router(tags=["semantic"])
