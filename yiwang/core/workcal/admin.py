"""Back office: publish a year's schedule, look at deadline clocks and periodic jobs (read-only)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yiwang.core import permissions
from yiwang.core.actions import ActionError
from yiwang.core.actor import Actor, Channel
from yiwang.core.adminkit import AuditedModelAdmin

from . import actions
from .models import CalendarYear, Clock, PeriodicRun


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "holidays", "workdays", "note"]
        widgets = {"holidays": forms.Textarea(attrs={"rows": 12}), "workdays": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            actions.validate_year(data["year"], data.get("holidays", ""), data.get("workdays", ""))
        except ActionError as exc:
            raise ValidationError({exc.field or "__all__": exc.message})
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedModelAdmin):
    permission = staticmethod(permissions.may_manage_calendar)
    form = CalendarYearForm
    list_display = ["year", "published", "published_at", "published_by", "note"]
    readonly_fields = ["published", "published_at", "published_by", "updated_at"]
    actions = ["publish"]

    def has_add_permission(self, request):
        return permissions.may_manage_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.may_manage_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # a published schedule is history; correct it by editing (which republishes)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def save_model(self, request, obj, form, change):
        actor = Actor.from_request(request, Channel.ADMIN)
        data = form.cleaned_data
        saved = actions.save_calendar_year(
            actor,
            year=data["year"],
            holidays=data.get("holidays", ""),
            workdays=data.get("workdays", ""),
            note=data.get("note", ""),
            row=obj if obj.pk else None,
        )
        obj.pk = saved.pk
        if saved.published:
            messages.info(request, _("The published schedule changed: affected deadline clocks were recomputed."))

    @admin.action(description=_("Publish the selected years and recompute deadlines 发布并重算时限"))
    def publish(self, request, queryset):
        actor = Actor.from_request(request, Channel.ADMIN)
        for row in queryset.order_by("year"):
            try:
                count = actions.publish_calendar_year(actor, row)
            except ActionError as exc:
                self.message_user(request, f"{row.year}: {exc.message}", messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(year)s published; %(count)d deadline clock recomputed.",
                    "%(year)s published; %(count)d deadline clocks recomputed.",
                    count,
                )
                % {"year": row.year, "count": count},
                messages.SUCCESS,
            )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ["subject", "kind", "budget", "state", "due", "is_provisional", "warned_at", "overdue_at"]
    # choice filters only: no DISTINCT or date aggregates over a million clocks
    list_filter = ["state", "provisional", "unit"]
    search_fields = ["=subject_id"]
    show_full_result_count = False
    ordering = ["-id"]  # cheap on any size; sort by "due" (indexed with a state filter) on demand

    @admin.display(description=_("subject 对象"), ordering="subject_type")
    def subject(self, obj):
        return f"{obj.subject_type}:{obj.subject_id}"

    @admin.display(description=_("time limit 时限"))
    def budget(self, obj):
        return f"{obj.total_amount} {obj.get_unit_display()}"

    @admin.display(description=_("due 截止"), ordering="due_at")
    def due(self, obj):
        return obj.display_due()

    @admin.display(description=_("provisional 暂定"), boolean=True, ordering="provisional")
    def is_provisional(self, obj):
        return obj.provisional


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_ok", "last_result", "next_due_at", "runs"]
