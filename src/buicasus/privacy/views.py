import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst

from buicasus.privacy import services
from buicasus.privacy.register import PersonalData, register


def _field_label(model: type[Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def _row(entry: PersonalData) -> dict[str, Any]:
    """An entry as readers see it: the model's and fields' translated names, not the codes."""
    model = entry.model_class
    return {
        "entry": entry,
        "name": capfirst(str(model._meta.verbose_name_plural)),
        "fields": [_field_label(model, name) for name in entry.fields],
    }


def register_page(request: HttpRequest) -> HttpResponse:
    """The register is public: anyone may know what the platform keeps about people, and why."""
    return render(request, "privacy/register.html", {"rows": [_row(e) for e in register()]})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A signed-in person downloads everything the platform holds about them (Art. 15 and 20)."""
    data = services.export_person(services.Person(user=request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-buicasus-data.json"'
    return response
