"""Compare two sets of canonical records regardless of the ids each format gives them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

Key = tuple[str, ...]


def natural(records: Iterable[dict[str, Any]]) -> dict[Key, dict[str, Any]]:
    """Records keyed by what they are (a name, a title, the names a relationship links),
    with ids, rows and provenance left out: what must survive a round trip."""
    records = list(records)
    names: dict[str, str] = {}
    for r in records:
        if r["kind"] == "organisation":
            names[r["source_id"]] = r["fields"]["name"]
        elif r["kind"] == "initiative":
            names[r["source_id"]] = r["fields"]["title"]
    result: dict[Key, dict[str, Any]] = {}
    for r in records:
        if r["kind"] == "organisation":
            key: Key = ("organisation", r["fields"]["name"])
            body = {
                "fields": dict(r["fields"]),
                "identifiers": sorted((i["scheme"], i["value"]) for i in r.get("identifiers", [])),
            }
        elif r["kind"] == "initiative":
            key = ("initiative", r["fields"]["title"])
            parent = r.get("replicated_from")
            body = {
                "fields": {**r["fields"], "regions": sorted(r["fields"].get("regions") or [])},
                "fundings": [
                    (f["source"], f.get("amount"), f.get("currency") or "EUR")
                    for f in r.get("fundings", [])
                ],
                "replicated_from": names[parent] if parent else None,
            }
        elif r["kind"] == "role":
            key = ("role", names[r["organisation"]], names[r["initiative"]], r["role"])
            body = {"start_date": r.get("start_date"), "end_date": r.get("end_date")}
        else:
            key = ("tie", names[r["source"]], names[r["target"]], r["tie_type"])
            body = {"start_date": r.get("start_date"), "end_date": r.get("end_date")}
        assert key not in result, f"two records are {key}"
        result[key] = body
    return result


def differences(expected: dict[Key, Any], actual: dict[Key, Any]) -> list[str]:
    """Readable differences, field by field."""
    problems = [f"missing {k}" for k in expected.keys() - actual.keys()]
    problems += [f"unexpected {k}" for k in actual.keys() - expected.keys()]
    for key in expected.keys() & actual.keys():
        want, got = expected[key], actual[key]
        for part in want.keys() | got.keys():
            if part == "fields":
                for name in want["fields"].keys() | got["fields"].keys():
                    a, b = want["fields"].get(name), got["fields"].get(name)
                    if a != b:
                        problems.append(f"{key} {name}: {a!r} != {b!r}")
            elif want.get(part) != got.get(part):
                problems.append(f"{key} {part}: {want.get(part)!r} != {got.get(part)!r}")
    return sorted(problems)
