"""`buicasus report mapping …`: writes the file atomically, refuses bad choices clearly."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from buicasus.reports.services import write_atomic


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, "--no-progress", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_writes_a_pdf(seeded: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "lv.pdf"
    message = _run(
        "mapping", "--country", "LV", "--lang", "lv", "--format", "pdf", "--out", str(target)
    )
    assert f"Wrote {target}" in message
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3
    assert [p.name for p in tmp_path.iterdir()] == ["lv.pdf"]  # no temporary file left


def test_writes_html_for_the_transnational_report(seeded: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "all.html"
    _run("mapping", "--country", "ALL", "--lang", "es", "--format", "html", "--out", str(target))
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert '<html lang="es">' in html
    assert "Letonia" in html and "Francia" in html
    subset = tmp_path / "two.html"
    _run("mapping", "--countries", "LV,SE", "--format", "html", "--out", str(subset))
    assert "Latvia, Sweden" in subset.read_text(encoding="utf-8")


def test_as_a_user_counts_what_they_may_see(
    seeded: dict[str, Any], make_user: Any, tmp_path: Path
) -> None:
    viewer = make_user("viewer", "LV")
    target = tmp_path / "staff.html"
    _run(
        "mapping",
        "--country",
        "LV",
        "--format",
        "html",
        "--user",
        viewer.username,
        "--out",
        str(target),
    )
    assert "Reptest hidden initiative" in target.read_text(encoding="utf-8")
    public = tmp_path / "public.html"
    _run("mapping", "--country", "LV", "--format", "html", "--out", str(public))
    assert "Reptest hidden initiative" not in public.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--country", "XX"], "--country"),
        (["--countries", "ES,QQ"], "--countries"),
        (["--country", "LV", "--lang", "de"], "--lang"),
        (["--country", "LV", "--format", "docx"], "--format"),
        (["--country", "LV", "--user", "nobody-here"], "--user"),
    ],
)
def test_refuses_bad_choices(db: None, tmp_path: Path, args: list[str], field: str) -> None:
    target = tmp_path / "r.pdf"
    with pytest.raises(CommandError) as refused:
        _run("mapping", *args, "--out", str(target))
    assert str(refused.value).startswith(field)
    assert not target.exists()


def test_refuses_a_missing_folder(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--out"):
        _run("mapping", "--country", "LV", "--out", str(tmp_path / "nowhere" / "r.pdf"))


def test_write_atomic_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_links_to_platform_pages_need_the_site_address(
    seeded: dict[str, Any], tmp_path: Path
) -> None:
    """A file has no site to be relative to: platform links appear with --site-url only."""
    bare, linked = tmp_path / "bare.html", tmp_path / "linked.html"
    _run("mapping", "--country", "LV", "--format", "html", "--out", str(bare))
    _run(
        "mapping",
        "--country",
        "LV",
        "--format",
        "html",
        "--site-url",
        "https://ccsi.example.org/",
        "--out",
        str(linked),
    )
    pk = seeded["best"].pk
    assert f'href="/initiatives/{pk}/"' not in bare.read_text(encoding="utf-8")
    assert "Reptest best practice" in bare.read_text(encoding="utf-8")
    assert f'href="https://ccsi.example.org/initiatives/{pk}/"' in linked.read_text(
        encoding="utf-8"
    )
    assert 'href="https://example.org/reptest-best"' in bare.read_text(encoding="utf-8")
