from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from buicasus.accounts.models import Role
from buicasus.accounts.services import create_user_with_role


class Command(BaseCommand):
    help = "Create a user (or add a role to an existing one): --role R --country XX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code; not for admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="default: read from BUICASUS_PASSWORD or prompt")

    def handle(self, *args: Any, **options: Any) -> None:
        import os

        password = options["password"] or os.environ.get("BUICASUS_PASSWORD")
        try:
            user, created = create_user_with_role(
                options["username"],
                role=Role(options["role"]),
                country_code=options["country"],
                email=options["email"],
                password=password,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Created" if created else "Updated"
        where = f" in {options['country'].upper()}" if options["country"] else ""
        self.stdout.write(f"{verb} {user.get_username()}: {options['role']}{where}.")
