"""Faults, provoked for real: an import killed midway (SIGKILL), the database connection
terminated (PostgreSQL) or the database locked (SQLite) while serving, and a full disk during
an upload (a tiny tmpfs mounted as the data folder). Each must end cleanly: nothing half
written, a clear 503/507 instead of a 500, and recovery without restarting the app."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from buicasus.accounts.models import Membership, Role
from buicasus.importer.models import ImportBatch
from buicasus.operations.storage import save_upload
from buicasus.registry.models import Organisation
from tests.registry import factories

MIDDLEWARE = "buicasus.operations.db_errors.ServiceUnavailableMiddleware"
ROWS = 20_000
SOURCE = "killed import test"


@pytest.fixture
def fault_middleware(settings: Any) -> None:
    """The 503/507 middleware, inserted before django-axes when settings.py lacks it."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        *rest, last = settings.MIDDLEWARE
        settings.MIDDLEWARE = [*rest, MIDDLEWARE, last]


# --- an import killed midway ---------------------------------------------------------------


def _records_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(ROWS):
            fields = {
                "name": f"Killed import org {i}",
                "actor_type": "cooperative",
                "country": "SE",
            }
            record = {"kind": "organisation", "source_id": f"k{i}", "row": i + 2, "fields": fields}
            out.write(json.dumps(record) + "\n")
    return path


def _database_url(tmp_path: Path) -> tuple[str, Callable[[str, list[Any]], Any]]:
    """A DATABASE_URL for a subprocess seeing this test's data, and a query function on it."""
    conf = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf["PASSWORD"] else "")
        url = (
            f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"
        )

        def query(sql: str, params: list[Any]) -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()[0]

        return url, query
    copy = tmp_path / "instance.sqlite3"  # the in-memory test database, as a file
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()

    def query_file(sql: str, params: list[Any]) -> Any:
        with sqlite3.connect(copy) as db:
            return db.execute(sql, params).fetchone()[0]

    return f"sqlite:///{copy}", query_file


def _import(env: dict[str, str], data: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "buicasus", "import", str(data), "--source", SOURCE]
    return subprocess.Popen(command + ["--user", "importer"], env=env, stderr=subprocess.PIPE)


def _rows_done(progress: bytes | bytearray) -> float:
    """The highest row count tqdm printed ("4.00k/20.0k rows")."""
    counts = re.findall(rb"(\d+(?:\.\d+)?)(k?)/", bytes(progress))
    return max((float(n) * (1000 if k else 1) for n, k in counts), default=0.0)


def _wait_for_rows(
    process: subprocess.Popen[bytes], rows: int, timeout: float
) -> tuple[threading.Thread, bytearray]:
    """Read the progress bar until it shows `rows` rows done; the reader goes on to the end."""
    seen = bytearray()
    done = threading.Event()
    assert process.stderr is not None
    stream = process.stderr

    def reader() -> None:
        while chunk := os.read(stream.fileno(), 4096):
            seen.extend(chunk)
            if _rows_done(seen) >= rows:
                done.set()
        done.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    done.wait(timeout)
    return thread, seen


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_midway_leaves_no_partial_batch_and_can_be_rerun(
    tmp_path: Path,
) -> None:
    importer = get_user_model().objects.create_user("importer", password="pw-test-123")
    Membership.objects.create(user=importer, role=Role.ADMIN)
    url, query = _database_url(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if k != "BUICASUS_TEST_DATABASE"},
        "DATABASE_URL": url,
        "DEBUG": "true",
        "BUICASUS_DATA_DIR": str(tmp_path / "data"),
        "BUICASUS_ENCODER": "hashing",
    }
    data = _records_file(tmp_path / "large.jsonl")
    orgs = "SELECT COUNT(*) FROM registry_organisation WHERE source_name = ?"
    links = "SELECT COUNT(*) FROM importer_sourcerecord WHERE source_name = ?"

    process = _import(env, data)
    reader, progress = _wait_for_rows(process, 4000, timeout=600)
    assert process.poll() is None, f"the import ended before it could be killed:\n{progress!r}"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    reader.join(timeout=60)
    assert process.stderr is not None
    process.stderr.close()
    assert 4000 <= _rows_done(progress) < ROWS  # killed midway, after chunks were written

    assert query(orgs, [SOURCE]) == 0  # the 4,000+ rows written so far were rolled back
    assert query(links, [SOURCE]) == 0
    assert query("SELECT COUNT(*) FROM importer_importchange", []) == 0
    assert query("SELECT COUNT(*) FROM importer_importbatch WHERE status = 'done'", []) == 0
    # The batch row, written before the run's transaction, stays "running" with nothing in it.
    assert query("SELECT COUNT(*) FROM importer_importbatch WHERE status = 'running'", []) == 1

    rerun = _import(env, data)
    _, errors = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, errors.decode(errors="replace")[-2000:]
    assert query(orgs, [SOURCE]) == ROWS
    assert query(links, [SOURCE]) == ROWS
    assert query("SELECT COUNT(*) FROM importer_importbatch WHERE status = 'done'", []) == 1


# --- the database gone while serving --------------------------------------------------------


def _terminate(pid: int) -> None:
    """End one backend from another connection, as a PostgreSQL restart or a DBA would."""
    conf = connection.settings_dict
    with psycopg.connect(
        dbname=conf["NAME"],
        user=conf["USER"],
        password=conf["PASSWORD"] or None,
        host=conf["HOST"] or "127.0.0.1",
        port=conf["PORT"] or 5432,
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fault_middleware")
def test_a_terminated_postgresql_connection_gives_503_then_recovers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only; SQLite has its own test below")
    factories.organisation("LV", name="Still served after the fault")
    client = Client(raise_request_exception=False)
    assert client.get("/organisations/").status_code == 200

    _terminate(_backend_pid())
    page = client.get("/organisations/")
    assert page.status_code == 503
    assert "The database cannot be reached at the moment" in page.content.decode()
    assert page["Retry-After"] and page["X-Request-ID"]
    again = client.get("/organisations/")  # same process, no restart: a fresh connection
    assert again.status_code == 200 and "Still served after the fault" in again.content.decode()

    _terminate(_backend_pid())
    api = client.get("/api/v1/organisations")
    assert api.status_code == 503 and "database cannot be reached" in api.json()["detail"]
    assert client.get("/api/v1/organisations").status_code == 200


SERVER = """
import sys
from django.conf import settings
from gunicorn.app.base import BaseApplication

# The 503 middleware, when settings.py does not list it yet (as the test client fixture does).
middleware = "buicasus.operations.db_errors.ServiceUnavailableMiddleware"
if middleware not in settings.MIDDLEWARE:
    *rest, last = settings.MIDDLEWARE
    settings.MIDDLEWARE = [*rest, middleware, last]


class Server(BaseApplication):
    def load_config(self):
        for key, value in {"bind": sys.argv[1], "workers": 2, "timeout": 120}.items():
            self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


Server().run()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Traffic:
    """Threads requesting pages and the API as fast as the server answers, statuses noted."""

    def __init__(self, base: str, threads: int = 4) -> None:
        self.base, self.results, self.stop = base, [], threading.Event()
        paths = ["/organisations/", "/api/v1/organisations"]
        self.threads = [
            threading.Thread(target=self.run, args=(paths[i % 2],), daemon=True)
            for i in range(threads)
        ]

    def run(self, path: str) -> None:
        while not self.stop.is_set():
            self.results.append(_get(self.base + path))

    def __enter__(self) -> Traffic:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_the_database_failing_under_load_gives_503s_and_the_app_recovers_by_itself(
    tmp_path: Path,
) -> None:
    """gunicorn (two workers, persistent connections) under steady traffic: PostgreSQL
    backends terminated three times, or the SQLite file made unavailable for a second."""
    pytest.importorskip("gunicorn")
    factories.organisation("LV", name="Served under load")
    url, _ = _database_url(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if k != "BUICASUS_TEST_DATABASE"},
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "fault-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BUICASUS_DATA_DIR": str(tmp_path / "data"),
        "BUICASUS_LOG_LEVEL": "CRITICAL",
    }
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", SERVER, f"127.0.0.1:{port}"], env=env)
    try:
        deadline = time.monotonic() + 300
        while _get_quietly(base + "/healthz") != 200:
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.5)
        with Traffic(base) as traffic:
            while sum(status == 200 for status, _ in traffic.results) < 20:
                time.sleep(0.2)
            terminated = 0
            for _ in range(3):
                terminated += _fail_database(url, seconds=1.0)
                time.sleep(1.0)
        statuses = [status for status, _ in traffic.results]
        assert set(statuses) <= {200, 503}, statuses  # never a 500
        unavailable = [body for status, body in traffic.results if status == 503]
        assert all("database cannot be reached" in body for body in unavailable)
        if not url.startswith("postgres"):
            # (PostgreSQL: a connection ended while idle may be replaced unnoticed when
            # CONN_HEALTH_CHECKS is on; the terminations themselves are checked below.)
            assert unavailable, "no request met the fault"
        assert terminated > 0
        after = [_get(base + "/organisations/") for _ in range(10)]
        assert [status for status, _ in after] == [200] * 10
        assert "Served under load" in after[-1][1]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def _get_quietly(url: str) -> int:
    try:
        return _get(url)[0]
    except OSError:
        return 0


def _fail_database(url: str, seconds: float) -> int:
    """PostgreSQL: end every backend of this database but the test's own (the server's
    persistent connections die). SQLite: the database file is replaced by a folder for a while
    (as when its volume goes away), then put back. Returns how many connections it broke
    (SQLite: 1, the file)."""
    if url.startswith("postgres"):
        keep = _backend_pid()
        with psycopg.connect(url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [keep],
            ).fetchone()
        time.sleep(seconds)
        return int(ended[0]) if ended else 0
    path = Path(url.removeprefix("sqlite:///"))
    away = path.with_suffix(".away")
    path.rename(away)
    path.mkdir()
    time.sleep(seconds)
    path.rmdir()
    away.rename(path)
    return 1


class SqliteLock:
    """Another connection holding the registry's write lock (as a long write or a backup
    tool would); this test's connection waits 0.1 s for it, not the configured 20."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.in_memory = connection.is_in_memory_db()
        name = connection.settings_dict["NAME"]
        self.holder = sqlite3.connect(name, uri=self.in_memory, isolation_level=None)
        connection.connection.execute("PRAGMA busy_timeout = 100")

    def take(self) -> None:
        # Shared-cache memory databases lock per table; a file is locked whole (EXCLUSIVE).
        self.holder.execute("BEGIN IMMEDIATE" if self.in_memory else "BEGIN EXCLUSIVE")
        self.holder.execute("UPDATE registry_organisation SET name = name")

    def release(self) -> None:
        if self.holder.in_transaction:
            self.holder.execute("ROLLBACK")

    def close(self) -> None:
        self.release()
        self.holder.close()
        connection.connection.execute("PRAGMA busy_timeout = 20000")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fault_middleware")
def test_a_locked_sqlite_database_gives_503_then_recovers() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only; PostgreSQL has its own test above")
    factories.organisation("LV", name="Served once the lock is gone")
    client = Client(raise_request_exception=False)
    assert client.get("/organisations/").status_code == 200
    lock = SqliteLock()
    try:
        lock.take()
        page = client.get("/organisations/")
        assert page.status_code == 503
        assert "The database cannot be reached at the moment" in page.content.decode()
        api = client.get("/api/v1/organisations")
        assert api.status_code == 503 and "database cannot be reached" in api.json()["detail"]
        lock.release()
        again = client.get("/organisations/")
        assert again.status_code == 200
        assert "Served once the lock is gone" in again.content.decode()
    finally:
        lock.close()


# --- a full disk during an upload ------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path, settings: Any) -> Iterator[Path]:
    """A 64 KiB tmpfs mounted as the data folder: writes beyond that fail with ENOSPC."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
    settings.DATA_DIR = mount
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _leftovers(folder: Path) -> list[str]:
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()]


def test_save_upload_on_a_full_disk_raises_and_leaves_nothing(full_disk: Path) -> None:
    small = SimpleUploadedFile("small.csv", b"name\nA\n")
    assert save_upload(small, full_disk / "imports" / "a").read_bytes() == b"name\nA\n"
    big = SimpleUploadedFile("big.csv", b"name\n" + b"x" * 200_000)
    with pytest.raises(OSError) as error:
        save_upload(big, full_disk / "imports" / "b")
    assert error.value.errno == errno.ENOSPC
    assert _leftovers(full_disk) == ["imports/a/small.csv"]


@pytest.mark.django_db
@pytest.mark.usefixtures("fault_middleware")
def test_a_full_disk_during_an_upload_gives_a_clear_507_and_keeps_nothing(
    full_disk: Path, client_for: Callable[..., Client]
) -> None:
    client = client_for("editor", "LV")
    client.raise_request_exception = False
    rows = "".join(f"Organisation {i},cooperative,LV\n" for i in range(8000)).encode()
    upload = SimpleUploadedFile("orgs.csv", b"name,actor_type,country\n" + rows, "text/csv")
    response = client.post("/import/", {"file": upload, "source": "full disk test"})
    assert response.status_code == 507
    assert "no space left to store this, so nothing was saved" in response.content.decode()
    upload.seek(0)
    api = client.post("/api/v1/imports", {"file": upload, "source": "full disk test"})
    assert api.status_code == 507 and "nothing was saved" in api.json()["detail"]
    assert not ImportBatch.objects.exists()
    assert not Organisation.objects.filter(source_name="full disk test").exists()
    assert _leftovers(full_disk) == []  # no half-written upload in the data folder
