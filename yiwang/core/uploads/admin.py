from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import StoredFile
from .storage import private_storage, public_storage


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "purpose", "kind", "size", "width", "height", "public", "preview"]
    list_filter = ["kind", "public", "purpose"]
    search_fields = ["sha256", "purpose"]
    date_hierarchy = "created_at"
    fields = [
        "preview",
        "sha256",
        "purpose",
        "kind",
        "size",
        "width",
        "height",
        "duration_seconds",
        "public",
        "private_name",
        "public_name",
        "thumbnail_name",
        "client_name",
        "uploaded_by",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("preview 预览"))
    def preview(self, obj: StoredFile):
        if not obj.thumbnail_name:
            return "—"
        storage = public_storage() if obj.public else private_storage()
        return format_html('<img src="{}" alt="" style="max-height:80px">', storage.url(obj.thumbnail_name))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
