from typing import Any

from django.core.management.base import BaseCommand

from buicasus.accounts.demo_users import ensure_demo_users
from buicasus.registry.demo import load_demo


class Command(BaseCommand):
    help = "Load the fictional demo records and demo users (idempotent; marked as demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo()
        users = ensure_demo_users()
        self.stdout.write(
            f"Demo data: {report.organisations} organisations, {report.ties} ties, "
            f"{'; '.join(report.notes)}; {len(users)} demo users."
        )
