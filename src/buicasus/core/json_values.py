"""Python values as JSON columns and JSON documents store them: the one conversion.

Audit entries, undo records, privacy exports and import bookkeeping all go through
`json_value`, so a date, a decimal or a float that JSON cannot hold is written the same way
everywhere (databases refuse NaN and infinities inside JSON, hence their names as text).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import uuid
from typing import Any


def json_value(value: Any) -> Any:
    """`value` made of JSON types only: dates become ISO text and decimals exact text, a float
    JSON cannot hold its name, sets sorted lists, tuples lists, enums their value, anything
    else its text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((json_value(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)
