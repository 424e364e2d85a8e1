"""Template helpers the navigation can use: `{% load matching_ui %}{% unread_notifications
user as unread %}` gives the user's number of unread notifications."""

from __future__ import annotations

from typing import Any

from django import template

from buicasus.matching import services

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    return services.unread_count(user)
