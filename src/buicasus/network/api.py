"""JSON API of the network app, mounted at /api/v1/network."""

from ninja import Router

router = Router(tags=["network"])
