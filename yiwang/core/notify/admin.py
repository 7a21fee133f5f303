"""Back office: notifications are read-only here (actions are the write path); addresses are masked."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .adapters import mask_destination
from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "channel", "recipient", "masked_address", "subject", "status", "attempts"]
    list_filter = ["channel", "status"]
    search_fields = ["subject", "subject_type", "subject_id"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    # the full address and the ack token are never shown: the token is a bearer credential
    fields = [
        "recipient",
        "masked_address",
        "channel",
        "subject",
        "body",
        "subject_type",
        "subject_id",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "has_ack_link",
        "ack_expires_at",
        "acknowledged_at",
        "read_at",
        "purged_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("address 地址"))
    def masked_address(self, obj: Notification) -> str:
        return mask_destination(obj.address) if obj.address else "—"

    @admin.display(description=_("acknowledgement link 确认链接"), boolean=True)
    def has_ack_link(self, obj: Notification) -> bool:
        return bool(obj.ack_token)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
