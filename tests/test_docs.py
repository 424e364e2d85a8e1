"""The README documents every setting and opens with the two set-up commands."""

from pathlib import Path

from buicasus.config import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_readme_lists_every_setting() -> None:
    missing = [s.name for s in SETTINGS if f"| `{s.name}` |" not in README]
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    head = README[:400]
    assert "make run" in head and "make test" in head
