"""`buicasus privacy register|export|erase|purge`: the GDPR duties, from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buicasus.privacy import services
from buicasus.privacy.register import register


class Command(BaseCommand):
    help = "Personal data: show the register, export or erase one person's data, purge expired."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("register", help="Print what personal data each model holds, and why.")
        for name, text in (
            ("export", "Write one person's data as JSON."),
            ("erase", "Erase one person's data (keeps anonymous aggregates)."),
        ):
            action = sub.add_parser(name, help=text)
            action.add_argument("--user", default="", help="The person's username.")
            action.add_argument("--email", default="", help="The person's e-mail address.")
            if name == "export":
                action.add_argument("--out", default="-", help="File to write (default stdout).")
            else:
                action.add_argument("--yes", action="store_true", help="Do not ask to confirm.")
        sub.add_parser("purge", help="Remove rows older than their retention settings.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "register":
            for entry in register():
                self.stdout.write(
                    f"{entry.model}: {', '.join(entry.fields)}\n  {entry.purpose}\n"
                    f"  {entry.legal_basis}; {entry.retention}; on erasure: {entry.on_erase}"
                )
        elif action == "purge":
            removed = services.purge_expired()
            self.stdout.write(json.dumps(removed) if removed else "Nothing has expired.")
        else:
            person = self._person(options)
            if action == "export":
                self._export(person, options["out"])
            else:
                self._erase(person, options["yes"])

    def _person(self, options: dict[str, Any]) -> services.Person:
        if not options["user"] and not options["email"]:
            raise CommandError("Name the person with --user and/or --email.")
        try:
            return services.find_person(options["user"], options["email"])
        except LookupError as exc:
            raise CommandError(f"No user named “{exc}”.") from exc

    def _export(self, person: services.Person, out: str) -> None:
        text = json.dumps(services.export_person(person), ensure_ascii=False, indent=2)
        if out == "-":
            self.stdout.write(text)
        else:
            Path(out).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Written to {out}")

    def _erase(self, person: services.Person, confirmed: bool) -> None:
        who = person.user.get_username() if person.user else person.email
        if not confirmed:
            answer = input(f"Erase every personal record of {who}? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Nothing erased.")
        report = services.erase_person(person)
        self.stdout.write(
            json.dumps(
                {
                    "deleted": report.deleted,
                    "scrubbed": report.scrubbed,
                    "kept_anonymous": report.kept,
                }
            )
        )
