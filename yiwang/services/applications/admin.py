"""Back office: the item → licence mapping (editable, audited) and applications (read-only, masked)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions
from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin
from yiwang.core.masking import mask_name

from .models import Application, ItemLicence, Supervision


@admin.register(ItemLicence)
class ItemLicenceAdmin(AuditedModelAdmin):
    permission = staticmethod(permissions.may_manage_catalogue)
    list_display = ("item", "licence_type", "valid_years")
    autocomplete_fields = ()
    raw_id_fields = ("item",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(permissions.may_manage_catalogue)
    list_display = ("code", "item", "status", "channel", "department", "masked_applicant", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("code",)
    fields = (
        "code",
        "item",
        "situation",
        "department",
        "status",
        "channel",
        "window_code",
        "visits",
        "on_the_spot",
        "created_at",
        "submitted_at",
        "accepted_at",
        "decided_at",
        "delivered_at",
    )

    @admin.display(description=_("applicant 申请人"))
    def masked_applicant(self, obj):
        return mask_name(obj.applicant_name)


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(permissions.may_manage_catalogue)
    list_display = ("application", "clock_kind", "kind", "at", "due_at")
    list_filter = ("kind", "clock_kind")
