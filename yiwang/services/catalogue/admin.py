"""Back office of the catalogue: items with their situations and questions inline, situations with
their materials inline, questions with their options, licence types. Catalogue managers only; every
save (inline rows included) is audited in the admin's transaction. Bulk changes: ``yiwang services import``.
"""

from __future__ import annotations

from django.contrib import admin

from yiwang.core.adminkit import AuditedModelAdmin, AuditedTabularInline
from yiwang.core.permissions import may_manage_catalogue

from .models import Item, LicenceType, Material, Option, Question, Situation


class SituationInline(AuditedTabularInline):
    model = Situation
    extra = 0
    show_change_link = True  # its materials are inline on the situation's page
    fields = ("position", "code", "name", "name_en", "statutory_days", "promised_days", "fee_fen", "online", "window",
              "kiosk", "on_the_spot", "max_visits")  # fmt: skip


class QuestionInline(AuditedTabularInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = ("position", "code", "text", "text_en")


class MaterialInline(AuditedTabularInline):
    model = Material
    extra = 0
    fields = ("position", "name", "name_en", "required", "source", "licence_type")
    autocomplete_fields = ("licence_type",)


class OptionInline(AuditedTabularInline):
    model = Option
    extra = 0
    fields = ("position", "code", "label", "label_en", "situations")
    filter_horizontal = ("situations",)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        question_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        if db_field.name == "situations" and question_id:
            kwargs["queryset"] = Situation.objects.filter(item__questions__pk=question_id)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CatalogueAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_catalogue)


@admin.register(Item)
class ItemAdmin(CatalogueAdmin):
    list_display = ("code", "name", "name_en", "type", "department", "for_persons", "for_companies", "active")
    list_filter = ("type", "active", "for_persons", "for_companies")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("department",)
    inlines = (SituationInline, QuestionInline)


@admin.register(Situation)
class SituationAdmin(CatalogueAdmin):
    list_display = ("item", "code", "name", "statutory_days", "promised_days", "on_the_spot", "max_visits")
    list_filter = ("on_the_spot", "max_visits", "online", "kiosk")
    search_fields = ("item__code", "item__name", "code", "name")
    list_select_related = ("item",)
    raw_id_fields = ("item",)
    inlines = (MaterialInline,)


@admin.register(Question)
class QuestionAdmin(CatalogueAdmin):
    list_display = ("item", "code", "text")
    search_fields = ("item__code", "item__name", "text")
    list_select_related = ("item",)
    raw_id_fields = ("item",)
    inlines = (OptionInline,)


@admin.register(LicenceType)
class LicenceTypeAdmin(CatalogueAdmin):
    list_display = ("code", "name", "name_en", "issuing_department", "electronic")
    list_filter = ("electronic",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("issuing_department",)
