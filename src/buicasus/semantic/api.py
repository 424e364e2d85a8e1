"""JSON API of the semantic app, mounted at /api/v1/semantic: the index status (any signed-in
user) and a rebuild (platform admins)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from buicasus.accounts import permissions
from buicasus.accounts.api import WRITE_AUTH
from buicasus.semantic import services

router = Router(tags=["semantic"], auth=WRITE_AUTH)


class IndexStatusOut(Schema):
    model: str
    initiatives: int
    embedded: int
    missing: int
    approximate: bool
    threshold: int
    index_in_step: bool | None


class RebuildOut(IndexStatusOut):
    computed: int


@router.get("/index", response=IndexStatusOut, summary="State of the cross-lingual index")
def index_status(request: HttpRequest) -> dict[str, object]:
    """Vectors stored, initiatives still without one, the model, and whether the approximate
    index (used above the threshold) is in step with the database."""
    return services.index_status()


@router.post("/index/rebuild", response=RebuildOut, summary="Embed what is missing, rebuild")
def rebuild(request: HttpRequest) -> dict[str, object]:
    """Platform admins only: embed missing or stale initiatives and rebuild the index."""
    if not permissions.is_platform_admin(request.user):
        raise HttpError(403, "Only platform admins may rebuild the index.")
    return services.rebuild()
