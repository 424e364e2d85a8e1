"""Admin for registry data, with the same per-country permissions as pages and API.

Platform admins see everything; other staff see and change only the records of the countries
where they are editors or coordinators. Vocabularies and countries are reference data: admins only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from buicasus.accounts import permissions
from buicasus.accounts.policy import policy_for
from buicasus.reference.models import Country, NutsRegion
from buicasus.registry.models import (
    AuditEntry,
    Funding,
    Initiative,
    InitiativeRole,
    Organisation,
    OrganisationIdentifier,
    OrganisationTie,
    Term,
    Vocabulary,
)


class CountryScopedAdmin(admin.ModelAdmin):
    """Restricts the changelist and every object to what the model's permission policy lets
    the user manage (the records of the countries where they are editors)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        return qs.filter(policy_for(self.model).filter(request.user, "manage"))

    def _may(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return permissions.is_editor_anywhere(request.user)
        return policy_for(obj).allows(request.user, obj, "manage")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_editor_anywhere(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return permissions.is_editor_anywhere(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kw: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kw["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kw)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kw: Any) -> Any:
        if db_field.name == "country" and not permissions.is_platform_admin(request.user):
            codes = permissions.countries_with(request.user, permissions.Role.EDITOR)
            kw["queryset"] = Country.objects.filter(code__in=codes)
        return super().formfield_for_foreignkey(db_field, request, **kw)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not policy_for(obj).allows(request.user, obj, "manage"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        super().save_model(request, obj, form, change)


class IdentifierInline(admin.TabularInline):
    model = OrganisationIdentifier
    extra = 0


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(CountryScopedAdmin):
    list_display = ("name", "actor_type", "country", "city", "published", "review_status")
    list_filter = ("country", "published", "review_status", "actor_type")
    search_fields = ("name", "city", "legal_form")
    inlines = [IdentifierInline]
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    raw_id_fields = ("region",)


@admin.register(Initiative)
class InitiativeAdmin(CountryScopedAdmin):
    list_display = ("title", "country", "stage", "evidence_level", "published", "review_status")
    list_filter = ("country", "published", "review_status", "stage", "evidence_level")
    search_fields = ("title", "description")
    inlines = [FundingInline]
    filter_horizontal = (
        "policy_fields",
        "esf_objectives",
        "sdgs",
        "target_groups",
        "methods",
        "scaling_directions",
    )
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")
    raw_id_fields = ("replicated_from",)
    autocomplete_fields = ("regions",)


@admin.register(InitiativeRole)
class InitiativeRoleAdmin(CountryScopedAdmin):
    list_display = ("organisation", "role", "initiative", "start_date", "end_date")
    raw_id_fields = ("organisation", "initiative")


@admin.register(OrganisationTie)
class OrganisationTieAdmin(CountryScopedAdmin):
    list_display = ("source", "tie_type", "target", "start_date", "end_date")
    raw_id_fields = ("source", "target")


class ReferenceAdmin(admin.ModelAdmin):
    """Reference data: only platform admins change it; editors may look it up."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_editor_anywhere(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.is_editor_anywhere(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.is_platform_admin(request.user)


@admin.register(Country)
class CountryAdmin(ReferenceAdmin):
    list_display = ("code", "__str__", "population")


@admin.register(NutsRegion)
class NutsRegionAdmin(ReferenceAdmin):
    list_display = ("code", "name", "level", "country")
    list_filter = ("level", "country")
    search_fields = ("code", "name")


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Vocabulary)
class VocabularyAdmin(ReferenceAdmin):
    list_display = ("key", "__str__", "version")
    inlines = [TermInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "model", "object_repr", "user")
    list_filter = ("action", "model")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
