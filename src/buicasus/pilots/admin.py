"""Admin for pilots: platform admins only.

Pages and API apply the pilot rules (dates after the start, nobody both mentor and mentee,
finishing through an evaluation); the admin is a repair tool for platform admins, and its
changes are recorded in the audit trail like any other (`registry.audit`, registered in
`pilots.apps`).
"""

from __future__ import annotations

from django.contrib import admin

from buicasus.accounts.admin_access import PlatformAdminOnly
from buicasus.pilots.models import (
    Pilot,
    PilotAdaptation,
    PilotMilestone,
    PilotParticipant,
    PilotRisk,
)


class ParticipantInline(PlatformAdminOnly, admin.TabularInline):
    model = PilotParticipant
    extra = 0
    raw_id_fields = ("user", "organisation")


class MilestoneInline(PlatformAdminOnly, admin.TabularInline):
    model = PilotMilestone
    extra = 0


class AdaptationInline(PlatformAdminOnly, admin.TabularInline):
    model = PilotAdaptation
    extra = 0


class RiskInline(PlatformAdminOnly, admin.TabularInline):
    model = PilotRisk
    extra = 0


@admin.register(Pilot)
class PilotAdmin(PlatformAdminOnly, admin.ModelAdmin):
    list_display = ("title", "target_country", "phase", "status", "start_date", "is_demo")
    list_filter = ("status", "phase", "target_country", "is_demo")
    search_fields = ("title",)
    raw_id_fields = (
        "source_initiative",
        "source_organisation",
        "target_organisation",
        "need",
        "replicated_initiative",
    )
    inlines = [ParticipantInline, MilestoneInline, AdaptationInline, RiskInline]
