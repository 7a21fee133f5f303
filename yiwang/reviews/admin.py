"""Back office: read-only views of opportunities, ratings and rectifications (actions are the write path)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ContactAttempt, Escalation, Rating, RatingOpportunity, Rectification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows change only through ``yiwang.reviews.actions`` (each with its audit row)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = ContactAttempt
    extra = 0
    can_delete = False
    fields = ("at", "method", "outcome", "note", "by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class EscalationInline(admin.TabularInline):
    model = Escalation
    extra = 0
    can_delete = False
    fields = ("at", "reason", "to_org_unit", "notified")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RatingOpportunity)
class RatingOpportunityAdmin(ReadOnlyAdmin):
    list_display = ("subject_type", "subject_id", "round", "org_unit", "network", "channel", "opened_at", "rated")
    list_filter = ("network", "channel", "subject_type")
    search_fields = ("subject_id", "item_code", "window_code")
    exclude = ("token",)  # the token is a credential: never shown in the back office
    date_hierarchy = "opened_at"

    @admin.display(boolean=True, description=_("rated 已评价"))
    def rated(self, obj):
        return obj.is_rated


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("opportunity", "level", "is_bad", "channel", "rated_at", "follow_up")
    list_filter = ("level", "is_bad", "channel", "follow_up", "opportunity__network")
    date_hierarchy = "rated_at"


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ("pk", "org_unit", "state", "due_at", "overdue", "escalated_at", "closed_at")
    list_filter = ("state", "overdue", "org_unit")
    date_hierarchy = "opened_at"
    inlines = [ContactInline, EscalationInline]
