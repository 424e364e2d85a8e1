"""JSON API routes of the search app, mounted by `buicasus.api`."""

from ninja import Router

router = Router(tags=["search"])
