"""The `buicasus` command: a thin shell over Django's management commands.

`buicasus serve`, `migrate`, `load-reference`, `load-demo`, `createuser --role R --country XX`,
`compile-messages`, and every Django management command beneath them (dashes or underscores).

A configuration problem or a database that is not ready is one line on stderr saying what is
wrong and what to run, with exit code 2, whatever the sub-command; `--traceback` shows the
full error instead.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

ALIASES = {"serve": "runserver"}
# Commands that change or show the migration state: "run migrate" is no advice for them.
MIGRATION_COMMANDS = {"migrate", "makemigrations", "showmigrations", "sqlmigrate"}
CONFIG_EXIT_CODE = 2


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = ALIASES.get(args[0], args[0].replace("-", "_"))
        if args[0] == "runserver" and not any(a[:1].isdigit() for a in args[1:]):
            args.append("127.0.0.1:8000")
    if "--traceback" in args:
        execute_from_command_line(["buicasus", *args])
        return
    command = args[0] if args and not args[0].startswith("-") else ""
    try:
        _configure()
        execute_from_command_line(["buicasus", *args])
    except ImproperlyConfigured as exc:
        _fail(str(exc))
    except DatabaseError:
        line = database_problem(command)
        if line is None:
            raise
        _fail(line)


def _configure() -> None:
    """Read the settings and set Django up, so that a bad setting fails before any command."""
    import django
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- reading one setting imports them all
    except ValueError as exc:
        # int() and float() of a malformed number in the environment.
        _fail(f"a setting in the environment is not valid ({exc}): see the settings in README.md")
    django.setup()


def database_problem(command: str) -> str | None:
    """What is wrong with the default database and what to run, or None if it looks ready.

    Asked after a command failed on a database error: the database cannot be opened, or it
    lacks migrations (SQLite says "no such table", PostgreSQL "relation does not exist"; the
    migration plan tells both apart from a genuine failure, which keeps its traceback).
    """
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connections.close_all()  # a PostgreSQL connection may be left in an aborted transaction
    connection = connections[DEFAULT_DB_ALIAS]
    where = describe_database(connection.settings_dict)
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        return (
            f"cannot open the database at {where} ({_first_line(exc)}): check DATABASE_URL "
            "and that the database server is running"
        )
    if command in MIGRATION_COMMANDS:
        return None
    try:
        executor = MigrationExecutor(connection)
        missing = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
        applied = executor.recorder.has_table() and bool(executor.recorder.applied_migrations())
    except DatabaseError:
        return None
    if not missing:
        return None
    if not applied:
        return f"the database at {where} has not been migrated: run `buicasus migrate`"
    plural = "s" if missing != 1 else ""
    return f"the database at {where} lacks {missing} migration{plural}: run `buicasus migrate`"


def describe_database(db: dict[str, Any]) -> str:
    """Where the database is, for a message: the SQLite file, or a URL without the password."""
    engine = str(db.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        return str(db.get("NAME", ""))
    scheme = engine.rsplit(".", 1)[-1]
    user = f"{db['USER']}@" if db.get("USER") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"{scheme}://{user}{db.get('HOST') or 'localhost'}{port}/{db.get('NAME', '')}"


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _fail(message: str) -> NoReturn:
    print("buicasus: " + " ".join(message.split()), file=sys.stderr)
    sys.exit(CONFIG_EXIT_CODE)


if __name__ == "__main__":
    main()
