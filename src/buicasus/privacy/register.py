"""The register of personal data (GDPR Art. 30): what each model holds about a person, and why.

Each app declares its entries in `<app>/personal_data.py` as `PERSONAL_DATA: list[PersonalData]`;
this module collects them. A test fails when a model points to a user account or holds an
e-mail address without an entry, so a new app cannot forget to declare one.

How a person is found in a model: `person` names the foreign key to the user account (`id` on
the account itself), `email` the field holding their address (people who are not platform
users, such as pilot mentees named by an editor), `username` a field holding the login name.
Rows older than the setting named by `expire_after` (days, counted on `expire_field`) are
removed by `buicasus privacy purge`.

What erasing a person does to the model's rows (`on_erase`):
- `delete`: the rows exist only for that person (tokens, notifications, memberships);
- `scrub`: the rows stay for the aggregates they feed, and the listed `fields` are blanked;
- `keep`: the rows stay as they are: they point to the account, which erasure anonymises
  (its username, names and e-mail are replaced), so they no longer identify anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Literal

from django.apps import apps
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

OnErase = Literal["delete", "scrub", "keep"]
PUBLIC_TASK = _("Art. 6(1)(e) GDPR: task carried out in the public interest (running the centre)")


@dataclass(frozen=True)
class PersonalData:
    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    purpose: str | Promise
    legal_basis: str | Promise
    retention: str | Promise
    on_erase: OnErase
    person: str = ""
    email: str = ""
    username: str = ""
    expire_after: str = ""
    expire_field: str = ""

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


def account_trail(
    model: str, fields: tuple[str, ...], purpose: str | Promise, retention: str | Promise
) -> list[PersonalData]:
    """Links to the accounts that did something (created, changed, decided): kept for
    accountability; erasure anonymises the account they point to."""
    return [
        PersonalData(
            model=model,
            fields=(field,),
            purpose=purpose,
            legal_basis=PUBLIC_TASK,
            retention=retention,
            on_erase="keep",
            person=field,
        )
        for field in fields
    ]


def register() -> list[PersonalData]:
    """Every app's entries, in INSTALLED_APPS order."""
    entries: list[PersonalData] = []
    for config in apps.get_app_configs():
        module = f"{config.name}.personal_data"
        if config.name.startswith("buicasus.") and find_spec(module) is not None:
            entries.extend(import_module(module).PERSONAL_DATA)
    return entries
