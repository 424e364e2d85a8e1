"""API schemas of the duplicates review, apart from the models (see `registry.schemas`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


class OrganisationBrief(Schema):
    id: int
    name: str
    country: str
    city: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country.code)


class PairOut(Schema):
    id: int
    a: OrganisationBrief
    b: OrganisationBrief
    score: float = Field(description="0–100; identifier matches score 100.")
    rule: Literal["identifier", "name-place"]
    reasons: dict[str, Any] = Field(
        description="Which rule matched, which fields agreed and differed, the name score."
    )
    status: Literal["pending", "merged", "kept_apart"]
    found_at: dt.datetime
    decided_by: str | None = None
    decided_at: dt.datetime | None = None

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return _username(obj.decided_by)


class PairPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PairOut]


class PairFilters(Schema):
    status: Literal["pending", "merged", "kept_apart", "all"] = "pending"
    country: str | None = Field(None, description="ISO code: pairs with an organisation there.")


class DecisionIn(Schema):
    """Merge the pair (keeping `keep`, by default the richer record) or keep it apart."""

    decision: Literal["merge", "keep_apart"]
    keep: int | None = Field(None, description="Id of the organisation to keep when merging.")


class ScanIn(Schema):
    """Look for duplicates among one country's organisations (none: every country, for
    platform admins)."""

    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code.")


class MergeOut(Schema):
    id: int
    pair_id: int | None = None
    kept_id: int
    kept_name: str
    kept_country: str
    merged_id: int
    merged_name: str
    merged_country: str
    automatic: bool
    merged_by: str | None = None
    merged_at: dt.datetime
    undone_by: str | None = None
    undone_at: dt.datetime | None = None
    moved: dict[str, int] = Field(description="How many rows of each kind the merge re-pointed.")

    @staticmethod
    def resolve_merged_by(obj: Any) -> str | None:
        return _username(obj.merged_by)

    @staticmethod
    def resolve_undone_by(obj: Any) -> str | None:
        return _username(obj.undone_by)

    @staticmethod
    def resolve_moved(obj: Any) -> dict[str, int]:
        moved = obj.moved or {}
        counts = {k: len(moved.get(k, [])) for k in ("identifiers", "roles", "ties", "dropped")}
        counts["related"] = sum(len(e.get("ids", [])) for e in moved.get("related", []))
        return counts


class MergePage(Schema):
    count: int
    page: int
    page_size: int
    results: list[MergeOut]


class DecisionOut(Schema):
    """The pair's new status and, for a merge, what was done (one organisation is gone, so
    the pair itself no longer lists)."""

    pair_id: int
    status: Literal["merged", "kept_apart"]
    merge: MergeOut | None = None
