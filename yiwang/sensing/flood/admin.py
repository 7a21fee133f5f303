"""Back office of the flood scene: checklist templates, seasons and the roster (audited edits); warnings,
rounds, tasks and shelter statuses are read-only here (their pages and actions write them)."""

from __future__ import annotations

from django.contrib import admin

from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    DutyShift,
    FloodSeason,
    InspectionRound,
    InspectionTask,
    ShelterStatus,
    WeatherWarning,
)
from .permissions import may_configure_flood, may_view_scene


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1

    def has_add_permission(self, request, obj=None):
        return may_configure_flood(request.user)

    def has_change_permission(self, request, obj=None):
        return may_configure_flood(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_configure_flood(request.user)

    def has_view_permission(self, request, obj=None):
        return may_configure_flood(request.user)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedModelAdmin):
    permission = staticmethod(may_configure_flood)
    list_display = ("code", "name", "target", "poi_kind", "active")
    inlines = [ChecklistItemInline]


@admin.register(FloodSeason)
class FloodSeasonAdmin(AuditedModelAdmin):
    permission = staticmethod(may_configure_flood)
    list_display = ("year", "prep_from", "starts_on", "ends_on")


@admin.register(DutyShift)
class DutyShiftAdmin(AuditedModelAdmin):
    permission = staticmethod(may_configure_flood)
    allow_delete = True
    list_display = ("date", "shift", "role", "name", "org_unit")
    list_filter = ("shift", "role")
    date_hierarchy = "date"
    raw_id_fields = ("person",)


@admin.register(WeatherWarning)
class WeatherWarningAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_scene)
    list_display = ("kind", "level", "valid_from", "valid_to", "source", "reference", "cancelled_at")
    list_filter = ("kind", "level", "source")


@admin.register(InspectionRound)
class InspectionRoundAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_scene)
    list_display = ("title", "template", "due_on", "issued_at")


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_scene)
    list_display = ("round", "subdistrict_code", "grid_code", "poi_code", "status", "done_at")
    list_filter = ("status", "subdistrict_code")


@admin.register(ShelterStatus)
class ShelterStatusAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_scene)
    list_display = ("poi_code", "is_open", "occupancy", "updated_at")
