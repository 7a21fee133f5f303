"""Append-only histories of a case: status, assignment, place, notes, attachments, supervision, extensions.

Rows are only ever inserted (by actions); the current values live denormalised on :class:`Case`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case, CaseStatus, EscalationLevel


def actor_index(name: str) -> models.Index:
    """Rows written by a person (system rows have none): indexed partially, for deleting a user."""
    return models.Index(fields=["actor"], name=name, condition=models.Q(actor__isnull=False))


class _Entry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("when 时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    actor_label = models.CharField(_("by 操作人"), max_length=150)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class CaseStatusChange(_Entry):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_history", db_index=False)
    from_status = models.CharField(_("from 原状态"), max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to 新状态"), max_length=24, choices=CaseStatus.choices)
    action = models.CharField(_("action 操作"), max_length=32)
    reason = models.TextField(_("reason 原因"), blank=True)
    version = models.PositiveIntegerField(_("case version 版本"))

    class Meta(_Entry.Meta):
        verbose_name = _("status change 状态变更")
        verbose_name_plural = _("status history 状态历史")
        indexes = [models.Index(fields=["case", "at"], name="casestatus_case_at"), actor_index("casestatus_actor")]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class RoutedBy(models.TextChoices):
    EXPLICIT = "explicit", _("Chosen by the dispatcher 人工指定")
    RULE = "rule", _("Routing rule 派遣规则")
    FALLBACK = "fallback", _("Fallback: operations centre 兜底：城运中心")
    SPLIT = "split", _("Split from the parent case 拆分")


class CaseAssignment(_Entry):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignment_history", db_index=False)
    department = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    routed_by = models.CharField(_("routed by 派遣依据"), max_length=16, choices=RoutedBy.choices)
    rule = models.ForeignKey(
        "operations.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note 说明"), blank=True)

    class Meta(_Entry.Meta):
        verbose_name = _("assignment 派遣记录")
        verbose_name_plural = _("assignment history 派遣历史")
        indexes = [models.Index(fields=["case", "at"], name="caseassign_case_at"), actor_index("caseassign_actor")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.department_id}/{self.team_id}"


class CasePlace(_Entry):
    """Where the case is, resolved through the territory at that time (codes and unit ids kept as they were)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="place_history", db_index=False)
    lon = models.FloatField()
    lat = models.FloatField()
    input_lon = models.FloatField()
    input_lat = models.FloatField()
    input_system = models.CharField(_("coordinate system 坐标系"), max_length=16)
    address = models.CharField(_("address 地址"), max_length=300, blank=True)
    unit_codes = models.JSONField(_("unit codes by level 各级单元编码"), default=dict)
    unit_ids = models.JSONField(_("unit ids by level 各级单元ID"), default=dict)
    level4_codes = models.JSONField(_("level-4 units 四级单元"), default=list)
    responsible = models.JSONField(_("responsible org units 责任机构"), default=dict)
    outside = models.BooleanField(default=False)

    class Meta(_Entry.Meta):
        verbose_name = _("place 位置记录")
        verbose_name_plural = _("place history 位置历史")
        indexes = [models.Index(fields=["case", "at"], name="caseplace_case_at"), actor_index("caseplace_actor")]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.lon:.6f},{self.lat:.6f}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note 备注")
    REJECTION = "rejection", _("Rejection 不予立案")
    RETURN = "return", _("Return 退单")
    HANDLING = "handling", _("Handling result 处置结果")
    VERIFICATION = "verification", _("Verification 核查")
    SUSPENSION = "suspension", _("Suspension 挂起")
    REOPEN = "reopen", _("Reopen 重启")
    CLOSURE = "closure", _("Closure 结案")
    EVALUATION = "evaluation", _("Evaluation 评价")


class CaseNote(_Entry):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", db_index=False)
    kind = models.CharField(_("kind 类型"), max_length=16, choices=NoteKind.choices, default=NoteKind.NOTE)
    text = models.TextField(_("text 内容"))
    internal = models.BooleanField(_("internal 内部"), default=True)

    class Meta(_Entry.Meta):
        verbose_name = _("case note 案件备注")
        verbose_name_plural = _("case notes 案件备注")
        indexes = [models.Index(fields=["case", "at"], name="casenote_case_at"), actor_index("casenote_actor")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class AttachmentPurpose(models.TextChoices):
    REPORT = "report", _("Report photo 上报照片")
    HANDLING = "handling", _("Handling photo 处置照片")
    VERIFICATION = "verification", _("Verification photo 核查照片")
    OTHER = "other", _("Other 其他")


class CaseAttachment(_Entry):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", db_index=False)
    file = models.ForeignKey("uploads.StoredFile", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose 用途"), max_length=16, choices=AttachmentPurpose.choices)

    class Meta(_Entry.Meta):
        verbose_name = _("attachment 附件")
        verbose_name_plural = _("attachments 附件")
        indexes = [models.Index(fields=["case", "at"], name="caseattach_case_at"), actor_index("caseattach_actor")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.file_id} ({self.purpose})"


class Supervision(_Entry):
    """督办: a supervision order on a case, by a person or by the escalation of an overdue case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supervisions", db_index=False)
    level = models.PositiveSmallIntegerField(_("level 层级"), choices=EscalationLevel.choices)
    automatic = models.BooleanField(_("automatic (overdue) 超期自动"), default=False)
    by_org = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note 督办意见"), blank=True)

    class Meta(_Entry.Meta):
        verbose_name = _("supervision 督办")
        verbose_name_plural = _("supervisions 督办")
        indexes = [models.Index(fields=["case", "at"], name="casesuperv_case_at"), actor_index("casesuperv_actor")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_level_display()}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending 待审核")
    GRANTED = "granted", _("Granted 已批准")
    REFUSED = "refused", _("Refused 已拒绝")


class ExtensionRequest(_Entry):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    working_days = models.PositiveIntegerField(_("extra working days 延期工作日"), default=0)
    calendar_hours = models.PositiveIntegerField(_("extra hours 延期小时"), default=0)
    reason = models.TextField(_("reason 理由"))
    status = models.CharField(_("status 状态"), max_length=16, choices=ExtensionStatus.choices)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_label = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta(_Entry.Meta):
        verbose_name = _("extension request 延期申请")
        verbose_name_plural = _("extension requests 延期申请")
        indexes = [actor_index("caseext_actor")]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.working_days}d/{self.calendar_hours}h ({self.status})"
