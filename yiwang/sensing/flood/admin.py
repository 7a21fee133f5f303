"""Back office of the flood scene: checklist templates, seasons and the roster (audited edits); warnings,
rounds, tasks and shelter statuses are read-only here (their pages and actions write them)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import action, record_event
from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin, admin_actor
from yiwang.sensing.alerts.admin import AlertAdmin
from yiwang.sensing.alerts.models import Alert

from .actions import remove_duty_shift
from .cameras import cameras_for_alert
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


@action
def save_items_from_admin(actor, template, formset) -> None:
    """The checklist's items as edited in the back office, with one audit row naming what changed."""
    formset.save()
    record_event(
        actor,
        "flood.checklisttemplate.items",
        template,
        after={
            "added": len(formset.new_objects),
            "changed": len(formset.changed_objects),
            "deleted": len(formset.deleted_objects),
            "items": template.items.count(),
        },
    )


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

    def save_formset(self, request, form, formset, change):
        save_items_from_admin(admin_actor(request), form.instance, formset)


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

    def delete_model(self, request, obj):
        remove_duty_shift(admin_actor(request), obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            remove_duty_shift(admin_actor(request), obj)


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


# --- the alerts' back office, with the cameras near each alert ----------------------------------
# The alerts context knows nothing of the scene; the scene extends its alert page here (this app is
# installed after ``alerts``, so its admin module is imported later and may replace the registration).


class AlertWithCamerasAdmin(AlertAdmin):
    readonly_fields = ("nearby_cameras",)

    @admin.display(description=_("CCTV cameras within 300 m 周边视频"))
    def nearby_cameras(self, obj):
        cameras = cameras_for_alert(obj)
        if not cameras:
            return _("No camera within this distance.")
        return format_html_join(
            mark_safe("<br>"),
            '{} · {} m · <a href="{}" rel="noopener">{}</a>',
            ((c.name or c.code, f"{c.distance_m:.0f}", c.stream_url, c.stream_url) for c in cameras),
        )


if admin.site.is_registered(Alert):
    admin.site.unregister(Alert)
admin.site.register(Alert, AlertWithCamerasAdmin)
