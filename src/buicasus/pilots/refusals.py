"""Pilot pages answer a refused action with a 403 page that says why.

Its own module because both the pilot views and the entry views use it, and each of those
imports the other's work only one way (views → views_entries).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

View = Callable[..., HttpResponse]


def refusing(view: View) -> View:
    """Turn `PermissionDenied` into a 403 page carrying the refusal's message."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("You do not have permission to do this.")
            return render(request, "pilots/forbidden.html", {"message": message}, status=403)

    return wrapped
