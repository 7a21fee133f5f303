"""Back office: device types and devices (audited), observations, rollups and dead letters (read-only)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin
from yiwang.core.permissions import may_manage_devices

from .models import DeadLetter, Device, DeviceType, Observation, ObservationRollup


@admin.register(DeviceType)
class DeviceTypeAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_devices)
    list_display = ("code", "name", "unit", "interval_seconds")


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_devices)
    list_display = ("code", "type", "status", "subdistrict_code", "grid_code", "belongs_to", "last_seen_at")
    list_filter = ("status", "type", "subdistrict_code")
    search_fields = ("code", "name", "belongs_to", "address")
    readonly_fields = ("last_seen_at", "created_at", "subdistrict_code", "grid_code", "level4_codes")
    fields = ("code", "type", "name", "lon", "lat", "belongs_to", "address", "status", *readonly_fields)


@admin.register(Observation)
class ObservationAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_manage_devices)
    list_display = ("device", "ts", "value", "seq")
    list_select_related = ("device",)
    show_full_result_count = False


@admin.register(ObservationRollup)
class ObservationRollupAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_manage_devices)
    list_display = ("device", "period", "start", "count", "min", "max", "avg")
    list_filter = ("period",)


@admin.register(DeadLetter)
class DeadLetterAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_manage_devices)
    list_display = ("received_at", "source", "device_code", "topic", "reason")
    list_filter = ("source",)
    search_fields = ("device_code", "reason")

    def changelist_view(self, request, extra_context=None):
        counts = dict(DeadLetter.objects.values_list("source").annotate(n=Count("id")).values_list("source", "n"))
        extra = {"title": _("dead letters 无法处理的消息") + " — " + ", ".join(f"{k}: {v}" for k, v in counts.items())}
        extra.update(extra_context or {})
        return super().changelist_view(request, extra_context=extra)
