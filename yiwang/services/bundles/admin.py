from django.contrib import admin

from yiwang.core.adminkit import AuditedModelAdmin, AuditedTabularInline
from yiwang.core.permissions import may_manage_catalogue

from .models import Bundle, BundlePart


class BundlePartInline(AuditedTabularInline):
    model = BundlePart
    extra = 1
    raw_id_fields = ["situation"]


@admin.register(Bundle)
class BundleAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_catalogue)
    list_display = ["code", "name", "active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [BundlePartInline]
