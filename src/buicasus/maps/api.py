"""JSON API routes of the maps app, mounted by `buicasus.api`."""

from ninja import Router

router = Router(tags=["maps"])
