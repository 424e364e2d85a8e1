"""JSON API routes of the dedup app, mounted by `buicasus.api`."""

from ninja import Router

router = Router(tags=["dedup"])
