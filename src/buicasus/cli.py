"""The `buicasus` command: a thin shell over Django's management commands.

`buicasus serve`, `migrate`, `load-reference`, `load-demo`, `createuser --role R --country XX`,
`compile-messages`, and every Django management command beneath them (dashes or underscores).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"serve": "runserver"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buicasus.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = ALIASES.get(args[0], args[0].replace("-", "_"))
        if args[0] == "runserver" and not any(a[:1].isdigit() for a in args[1:]):
            args.append("127.0.0.1:8000")
    execute_from_command_line(["buicasus", *args])


if __name__ == "__main__":
    main()
