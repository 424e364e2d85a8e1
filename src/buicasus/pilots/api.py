"""JSON API of the pilots app, mounted at /api/v1/pilots."""

from ninja import Router

router = Router(tags=["pilots"])
