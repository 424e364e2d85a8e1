from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
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
        # Apps after the registry add their own demo data: `<app>.demo.load_demo() -> str`.
        for config in apps.get_app_configs():
            module = f"{config.name}.demo"
            if config.name == "buicasus.registry" or not config.name.startswith("buicasus."):
                continue
            if find_spec(module) is None:
                continue
            summary = import_module(module).load_demo()
            self.stdout.write(f"{config.verbose_name}: {summary}")
