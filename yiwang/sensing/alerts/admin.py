"""Back office of sensing alerts: rules (with a replay preview) and the alert history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yiwang.core.adminkit import AuditedModelAdmin, ReadOnlyModelAdmin
from yiwang.core.permissions import may_manage_devices

from .engine import preview
from .models import Alert, Rule
from .rules import RuleError


class ReplayForm(forms.Form):
    device = forms.ModelChoiceField(queryset=None, label=_("device 设备"))
    days = forms.IntegerField(label=_("days 天数"), min_value=1, max_value=180, initial=30)

    def __init__(self, *args, rule: Rule, **kwargs):
        super().__init__(*args, **kwargs)
        from yiwang.sensing.models import Device

        qs = (
            Device.objects.filter(pk=rule.device_id) if rule.device_id else Device.objects.filter(type=rule.device_type)
        )
        self.fields["device"].queryset = qs.order_by("code")


@admin.register(Rule)
class RuleAdmin(AuditedModelAdmin):
    permission = staticmethod(may_manage_devices)
    allow_delete = True
    list_display = ("name", "kind", "condition", "device_type", "device", "escalation", "active", "replay_link")
    list_filter = ("kind", "escalation", "active")
    search_fields = ("name", "condition", "category_code")
    raw_id_fields = ("device", "contact_user")

    def has_delete_permission(self, request, obj=None):
        """A rule that has raised alerts is kept (deactivate it instead): deleting it would unlink its history."""
        if obj is not None and Alert.objects.filter(rule=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, so a rule with alerts is never deleted in bulk
        return actions

    @admin.display(description=_("replay 回放"))
    def replay_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:alerts_rule_replay", args=[obj.pk]), _("preview 预览"))

    def get_urls(self):
        own = [path("<int:pk>/replay/", self.admin_site.admin_view(self.replay_view), name="alerts_rule_replay")]
        return own + super().get_urls()

    def replay_view(self, request, pk: int):
        if not may_manage_devices(request.user):
            raise PermissionDenied
        rule = get_object_or_404(Rule, pk=pk)
        form = ReplayForm(request.GET or None, rule=rule)
        transitions, error = None, None
        if request.GET and form.is_valid():
            try:
                transitions = preview(rule, form.cleaned_data["device"], days=form.cleaned_data["days"])
            except RuleError as exc:
                error = str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Replay of a rule 规则回放"),
            "rule": rule,
            "form": form,
            "transitions": transitions,
            "raised": sum(1 for t in transitions or () if t.kind == "raise"),
            "error": error,
        }
        return TemplateResponse(request, "admin/alerts/replay.html", context)


@admin.register(Alert)
class AlertAdmin(ReadOnlyModelAdmin):
    permission = staticmethod(may_manage_devices)
    list_display = ("device", "condition", "level", "state", "raised_at", "cleared_at", "acknowledged_at", "case")
    list_filter = ("state", "level", "condition")
    search_fields = ("device__code", "condition")
    date_hierarchy = "raised_at"
