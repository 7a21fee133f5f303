"""Alert rules and alerts of the sensing context: at most one open alert per (device, condition)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import rules as engine_rules


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", _("Graded threshold 分级阈值")
    DURATION = "duration", _("Above a value for a duration 持续超限")
    RATE_OF_RISE = "rate_of_rise", _("Rate of rise 上涨速率")
    NO_CONSUMPTION = "no_consumption", _("No consumption window 无用量窗口")
    CONTINUOUS_FLOW = "continuous_flow", _("Continuous flow 持续流量")
    BASELINE_DEVIATION = "baseline_deviation", _("Below own baseline 低于自身基线")
    QUIET_LIKELIHOOD = "quiet_likelihood", _("Improbably quiet 异常静默")
    FLOW_LIKELIHOOD = "flow_likelihood", _("Improbably continuous flow 异常持续用水")


class Escalation(models.TextChoices):
    CASE_NOW = "case_now", _("Open a case at once 立即立案")
    NOTIFY_FIRST = "notify_first", _("Notify the contact first 先通知联系人")


class Rule(models.Model):
    name = models.CharField(_("name 名称"), max_length=200)
    device_type = models.ForeignKey(
        "sensing.DeviceType", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("device type 设备类型")
    )
    device = models.ForeignKey(
        "sensing.Device", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("device 设备")
    )
    kind = models.CharField(_("kind 类型"), max_length=32, choices=RuleKind.choices)
    condition = models.SlugField(_("condition 条件"), max_length=64)
    params = models.JSONField(_("parameters 参数"), default=dict, blank=True)
    category_code = models.CharField(_("case category code 案件类别编码"), max_length=32)
    escalation = models.CharField(
        _("escalation 升级方式"), max_length=16, choices=Escalation.choices, default=Escalation.CASE_NOW
    )
    ack_timeout_minutes = models.PositiveIntegerField(_("acknowledgement timeout (min) 确认时限（分钟）"), default=60)
    contact_channel = models.CharField(_("contact channel 联系渠道"), max_length=16, blank=True, default="sms")
    contact_address = models.CharField(_("contact phone or email 联系人电话或邮箱"), max_length=200, blank=True)
    contact_user = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("contact user 联系人用户")
    )
    active = models.BooleanField(_("active 启用"), default=True)
    created_at = models.DateTimeField(_("created 创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert rule 告警规则")
        verbose_name_plural = _("alert rules 告警规则")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(device__isnull=False) | models.Q(device_type__isnull=False),
                name="alerts_rule_targets_a_device_or_type",
            )
        ]

    def __str__(self):
        return self.name

    def engine(self):
        """The validated pure rule (raises ``RuleError``)."""
        return engine_rules.make_rule(self.kind, self.params or {})

    def clean(self):
        if self.device_id is None and self.device_type_id is None:
            raise ValidationError(_("Choose a device or a device type."))
        try:
            self.engine()
        except engine_rules.RuleError as exc:
            raise ValidationError({"params": str(exc)}) from exc
        if self.escalation == Escalation.NOTIFY_FIRST and not (self.contact_address or self.contact_user_id):
            raise ValidationError({"contact_address": _("Notify-first rules need a contact.")})


class AlertState(models.TextChoices):
    RAISED = "raised", _("Raised 已触发")
    UPDATED = "updated", _("Updated 已更新")
    CLEARED = "cleared", _("Cleared 已解除")


OPEN_ALERT = models.Q(state__in=[AlertState.RAISED, AlertState.UPDATED])


class Alert(models.Model):
    device = models.ForeignKey("sensing.Device", on_delete=models.CASCADE, verbose_name=_("device 设备"))
    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, verbose_name=_("rule 规则"))
    condition = models.SlugField(_("condition 条件"), max_length=64)
    level = models.CharField(_("level 等级"), max_length=8)
    # the highest level the alert reached (blue < yellow < orange < red), kept by ``actions._update``
    peak_level = models.CharField(_("peak level 最高等级"), max_length=8, blank=True)
    state = models.CharField(_("state 状态"), max_length=8, choices=AlertState.choices, default=AlertState.RAISED)
    value = models.FloatField(_("value 数值"), null=True, blank=True)
    raised_at = models.DateTimeField(_("raised 触发时间"))
    updated_at = models.DateTimeField(_("updated 更新时间"))
    cleared_at = models.DateTimeField(_("cleared 解除时间"), null=True, blank=True)
    case = models.ForeignKey(
        "operations.Case", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("case 案件")
    )
    notified_at = models.DateTimeField(_("contact notified 已通知联系人"), null=True, blank=True)
    ack_deadline = models.DateTimeField(_("acknowledge by 确认截止"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged 已确认"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert 告警")
        verbose_name_plural = _("alerts 告警")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "condition"], condition=OPEN_ALERT, name="alerts_one_open_alert_per_condition"
            )
        ]
        indexes = [
            models.Index(
                fields=["ack_deadline"],
                condition=models.Q(ack_deadline__isnull=False, acknowledged_at__isnull=True, case__isnull=True),
                name="alerts_awaiting_ack",
            )
        ]

    def __str__(self):
        return f"{self.device_id}/{self.condition}: {self.level} ({self.state})"

    def save(self, *args, **kwargs):
        if not self.peak_level:
            self.peak_level = self.level
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in (AlertState.RAISED, AlertState.UPDATED)
