"""Numbers as readers read them, the one rule for pages, reports and PDFs.

Round half up to the decimals shown — as the `floatformat` template filter does, so a page's
`{{ x|floatformat:1 }}` and Python's `number(x, 1)` always agree — then write the result with
the reader's decimal and thousands separators. Django's `number_format` alone cuts the extra
decimals off (3.19 became "3,1"), which is why nothing formats numbers through it directly.

Numbers that are markup (SVG coordinates and sizes, CSS lengths) are never localised:
`x="0,5"` is no length to a browser. Templates write them with `floatformat:"1u"` or build
them in Python, where f-strings are not localised.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.defaultfilters import floatformat


def number(value: float | int | Decimal, decimals: int = 0) -> str:
    """`value` rounded half up to `decimals` places, grouped, in the active language.

    A negative `decimals` shows up to that many places, and none for a whole number (3 → "3",
    3.25 → "3.3" with -1), like `floatformat:"-1"`.
    """
    return str(floatformat(value, f"{decimals}g"))
