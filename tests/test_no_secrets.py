"""No secret is committed: private keys, cloud keys, tokens or passwords in tracked files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}\b"),
    "password in a URL": re.compile(r"\b[a-z]+://[^\s:/@]+:[^\s@/]{6,}@(?!example\.)"),
    "Django secret key": re.compile(r"SECRET_KEY\s*=\s*['\"](?!insecure-development)[^'\"]{20,}"),
}

# Documentation placeholders and throw-away values that say so.
PLACEHOLDERS = (":password@", ":secret@", "not-secret", "<", "…", "example")


def tracked_files() -> list[Path]:
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listing.split("\0") if name]


def test_no_secret_in_tracked_files() -> None:
    found = []
    for path in tracked_files():
        if path == Path(__file__) or not path.is_file() or path.suffix in {".mo", ".png", ".pdf"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for name, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                if any(word in match.group(0) for word in PLACEHOLDERS):
                    continue
                found.append(f"{path.relative_to(ROOT)}: {name}: {match.group(0)[:40]}")
    assert not found, "\n".join(found)


def test_the_patterns_catch_what_they_should() -> None:
    assert PATTERNS["private key"].search("-----BEGIN RSA PRIVATE KEY-----")
    assert PATTERNS["AWS access key"].search("key AKIAABCDEFGHIJKLMNOP")
    assert PATTERNS["password in a URL"].search("postgres://app:s3cretpw@db.internal/x")
    assert not PATTERNS["password in a URL"].search("postgres://postgres@127.0.0.1:5432/test")
