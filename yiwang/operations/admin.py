"""Back office: categories, routing rules (with the "which rule matches?" tool), cases read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError
from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin
from yiwang.core.permissions import may_manage_dispatch_rules

from .models import (
    Case,
    CaseAssignment,
    CaseNote,
    CasePlace,
    CaseStatusChange,
    Category,
    Priority,
    RoutingRule,
    Supervision,
)
from .routes import explain_route

REASONS = {
    "category": _("category differs 类别不符"),
    "area": _("outside the areas 区域不符"),
    "time": _("outside the time window 时段不符"),
    "priority": _("priority differs 优先级不符"),
    "match": _("matches 匹配"),
}


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_dispatch_rules)
    list_display = (
        "code",
        "name",
        "name_en",
        "parent",
        "pillar",
        "deadline_mode",
        "dispatch_within_hours",
        "handle_within_days",
        "public",
        "active",
    )
    list_filter = ("pillar", "active", "public", "deadline_mode")
    search_fields = ("code", "name", "name_en", "search_text")
    filter_horizontal = ("departments",)
    readonly_fields = ("search_text",)


class ExplainForm(forms.Form):
    category = forms.ModelChoiceField(Category.objects.filter(active=True), label=_("category 类别"))
    lon = forms.FloatField(label=_("longitude 经度"))
    lat = forms.FloatField(label=_("latitude 纬度"))
    system = forms.ChoiceField(
        label=_("coordinate system 坐标系"), choices=[("wgs84", "WGS-84"), ("gcj02", "GCJ-02"), ("bd09", "BD-09")]
    )
    at = forms.DateTimeField(label=_("at 时间"), required=False)
    priority = forms.TypedChoiceField(
        label=_("priority 优先级"), choices=Priority.choices, coerce=int, required=False, empty_value=None
    )


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_dispatch_rules)
    allow_delete = True
    list_display = ("position", "name", "active", "department", "team_mode", "team", "time_from", "time_to")
    list_display_links = ("name",)
    list_editable = ("position", "active")
    list_filter = ("active", "team_mode")
    filter_horizontal = ("categories",)
    change_list_template = "admin/operations/routingrule/change_list.html"

    def get_urls(self):
        own = [path("explain/", self.admin_site.admin_view(self.explain_view), name="operations_routingrule_explain")]
        return own + super().get_urls()

    def explain_view(self, request):
        if not may_manage_dispatch_rules(request.user):
            raise PermissionDenied
        form = ExplainForm(request.GET or None, initial={"system": "wgs84"})
        result = error = None
        if request.GET and form.is_valid():
            d = form.cleaned_data
            try:
                result = explain_route(
                    d["category"],
                    d["lon"],
                    d["lat"],
                    d["at"] or timezone.now(),
                    d["priority"],
                    coord_system=d["system"],
                )
            except ActionError as exc:
                error = exc.message
        verdicts = []
        if result is not None:
            verdicts = [(result.rules.get(v.rule.id), v, REASONS[v.reason]) for v in result.decision.verdicts]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Which rule matches? 派遣规则测试"),
            "form": form,
            "result": result,
            "verdicts": verdicts,
            "error": error,
        }
        return TemplateResponse(request, "admin/operations/explain_route.html", context)


class _HistoryInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusInline(_HistoryInline):
    model = CaseStatusChange
    fields = ("at", "from_status", "to_status", "action", "actor_label", "reason")


class AssignmentInline(_HistoryInline):
    model = CaseAssignment
    fields = ("at", "department", "team", "routed_by", "rule", "actor_label")


class PlaceInline(_HistoryInline):
    model = CasePlace
    fields = ("at", "lon", "lat", "address", "unit_codes", "level4_codes", "actor_label")


class NoteInline(_HistoryInline):
    model = CaseNote
    fields = ("at", "kind", "text", "actor_label")


class SupervisionInline(_HistoryInline):
    model = Supervision
    fields = ("at", "level", "automatic", "by_org", "note", "actor_label")


@admin.register(Case)
class CaseAdmin(ReadOnlyModelAdmin):
    """Cases are changed only through the actions (case pages); the back office reads them."""

    permission = staticmethod(may_manage_dispatch_rules)
    list_display = (
        "code",
        "status",
        "category",
        "channel",
        "subdistrict_code",
        "grid_code",
        "department",
        "due_at",
        "overdue",
    )
    list_filter = ("status", "channel", "discovery", "overdue", "category__pillar")
    search_fields = ("code", "external_ref")
    exclude = ("reporter_name", "reporter_phone")
    inlines = [StatusInline, AssignmentInline, PlaceInline, NoteInline, SupervisionInline]
    show_full_result_count = False
