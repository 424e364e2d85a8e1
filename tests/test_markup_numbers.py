"""Numbers that are markup are never localised: a template writing an SVG length or coordinate
from a variable must keep it unlocalised (`floatformat:"1u"`, `unlocalize`, `stringformat`).

Django localises floats in templates, so `x="{{ frame.x }}"` reads `x="0,5"` in French, which
browsers reject (the map lost its inset frames in fr, es, sv and lv that way).
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "buicasus"
# SVG attributes whose values are numbers or lengths.
NUMERIC = (
    "x y x1 y1 x2 y2 cx cy r rx ry dx dy width height viewBox stroke-width font-size "
    "stroke-dasharray opacity fill-opacity offset"
).split()
# An attribute's value may hold template tags with quotes of their own (`floatformat:"1"`).
VALUE = r'((?:\{\{.*?\}\}|\{%.*?%\}|[^"{]|\{(?![{%]))*)'
ATTRIBUTE = re.compile(r"\s(" + "|".join(map(re.escape, NUMERIC)) + r')="' + VALUE + '"')
VARIABLE = re.compile(r"\{\{(.*?)\}\}")
UNLOCALISED = re.compile(r'\|\s*(unlocalize|stringformat:|floatformat:"-?\d*(ug|gu|u)")')


def test_svg_numbers_in_templates_are_unlocalised() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in ATTRIBUTE.finditer(text):
            for variable in VARIABLE.findall(match.group(2)):
                if not UNLOCALISED.search(variable):
                    where = path.relative_to(TEMPLATES)
                    found.append(f"{where}: {match.group(1)}={{{{{variable.strip()}}}}}")
    assert found == []


def test_the_check_sees_a_localised_coordinate() -> None:
    found = ATTRIBUTE.search(' x="{{ frame.x|floatformat:"1" }}" y="2"')
    assert found and found.group(2) == '{{ frame.x|floatformat:"1" }}'
    assert not UNLOCALISED.search(' frame.x|floatformat:"1" ')
    assert UNLOCALISED.search(' frame.x|floatformat:"1u" ')
