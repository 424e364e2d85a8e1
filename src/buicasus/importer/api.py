"""JSON API routes of the importer app, mounted by `buicasus.api`."""

from ninja import Router

router = Router(tags=["importer"])
