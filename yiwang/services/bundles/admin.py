from django.contrib import admin

from .models import Bundle, BundlePart


class BundlePartInline(admin.TabularInline):
    model = BundlePart
    extra = 1
    raw_id_fields = ["situation"]


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [BundlePartInline]
