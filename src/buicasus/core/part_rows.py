"""Row numbers of files made of several parts (Popolo's organizations and memberships, an HSDS
package's tables, Kumu's elements and connections).

Each part numbers its own rows, so "row 2" names one row of each part. The import engine keys
problems and rejected rows by the row number; a plain int would let a bad organisation at
position 2 reject the valid membership at position 2. A `PartRow` is that int (it prints,
sorts and serialises as the number a person sees, and equals that plain number) but equals
another `PartRow` only when both are the same row of the same part. One run's rows come from
one reader, so they are all plain ints or all `PartRow`s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

T = TypeVar("T")


class PartRow(int):
    """Row `number` of `part`: an int for display, (part, number) for identity."""

    part: str

    def __new__(cls, part: str, number: int) -> PartRow:
        row = super().__new__(cls, number)
        row.part = part
        return row

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartRow):
            return self.part == other.part and int(self) == int(other)
        return int(self) == other  # the number a person reads (`row == 2` in a check)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        # The number's hash: equal objects hash alike (a PartRow equals its plain number);
        # rows of different parts with one number merely share a bucket.
        return hash(int(self))

    def __str__(self) -> str:
        return str(int(self))

    def __repr__(self) -> str:
        return f"PartRow({self.part!r}, {int(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PartRow, (self.part, int(self)))


def numbered(part: str, items: Iterable[T], start: int = 1) -> list[tuple[PartRow, T]]:
    """`enumerate` for one part: (PartRow, item) pairs."""
    return [(PartRow(part, number), item) for number, item in enumerate(items, start=start)]
