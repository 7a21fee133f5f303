"""The audit trail in the back office: read-only for everyone (superusers included)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yiwang.core.adminkit import ReadOnlyModelAdmin
from yiwang.core.permissions import may_view_audit

from .models import AuditAnchor, AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_audit)
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "channel", "chain", "seq")
    list_filter = ("channel", "object_type")
    search_fields = ("action", "object_id", "actor_label")
    ordering = ("-at", "-id")
    show_full_result_count = False
    fields = (
        "at",
        "actor_label",
        "actor_id",
        "action",
        "object_type",
        "object_id",
        "summary",
        "channel",
        "client_ip",
        "batch_count",
        "digest",
        "chain",
        "seq",
        "algorithm",
        "prev_hash",
        "hash",
    )
    readonly_fields = fields


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_view_audit)
    list_display = ("id", "at", "chains", "hash")
    fields = ("at", "heads", "algorithm", "prev_hash", "hash")
    readonly_fields = fields

    @admin.display(description=_("chains 链数"))
    def chains(self, obj):
        return len(obj.heads or {})
