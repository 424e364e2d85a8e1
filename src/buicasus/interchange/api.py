"""JSON API routes of the interchange app, mounted by `buicasus.api`."""

from ninja import Router

router = Router(tags=["interchange"])
