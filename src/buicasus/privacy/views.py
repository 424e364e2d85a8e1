import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from buicasus.privacy import services
from buicasus.privacy.register import register


def register_page(request: HttpRequest) -> HttpResponse:
    """The register is public: anyone may know what the platform keeps about people, and why."""
    return render(request, "privacy/register.html", {"entries": register()})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """A signed-in person downloads everything the platform holds about them (Art. 15 and 20)."""
    data = services.export_person(services.Person(user=request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-buicasus-data.json"'
    return response
