"""Tables of applications (办件). No business rules here: every change goes through ``actions.py``.

An application is for one situation (情形) of one catalogue item; its status history is append-only
(the applicant sees every step); its materials list what the situation asks for and how each was
provided (uploaded, or exempted through the e-licence library, 免交).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .states import ApplyChannel, Status


class Application(models.Model):
    code = models.CharField(_("application number 办件编号"), max_length=32, unique=True, null=True, blank=True)
    item = models.ForeignKey("catalogue.Item", verbose_name=_("item 事项"), on_delete=models.PROTECT, related_name="+")
    situation = models.ForeignKey(
        "catalogue.Situation", verbose_name=_("situation 办理情形"), on_delete=models.PROTECT, related_name="+"
    )
    # copied from the item when the application is made: the back office reviews by department
    department = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("department 实施部门"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account 申请人账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_name = models.CharField(_("applicant name 申请人姓名"), max_length=100)
    applicant_id_number = models.CharField(_("applicant ID number 申请人证件号"), max_length=18, blank=True)
    identity_verified = models.BooleanField(
        _("identity verified 身份已核验"),
        default=False,
        help_text=_("By the ID-card reader or a verified login; only then can licences exempt materials."),
    )
    channel = models.CharField(_("channel 办理渠道"), max_length=12, choices=ApplyChannel.choices)
    status = models.CharField(_("status 状态"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepting clerk 受理人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    window_code = models.CharField(_("window 窗口号"), max_length=32, blank=True)
    reason = models.TextField(_("reason 理由"), blank=True)
    visits = models.PositiveSmallIntegerField(_("visits 跑动次数"), default=0)
    promised_days = models.PositiveSmallIntegerField(_("promised time limit 承诺时限"), default=0)
    statutory_days = models.PositiveSmallIntegerField(_("statutory time limit 法定时限"), default=0)
    on_the_spot = models.BooleanField(_("done on the spot 当场办结"), default=False)
    created_at = models.DateTimeField(_("created 创建时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted 提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted 受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided 决定时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered 办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("application 办件")
        verbose_name_plural = _("applications 办件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["applicant", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"


class StatusChange(models.Model):
    """One step of an application (append-only): the applicant sees every one."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("when 时间"), default=timezone.now)
    action = models.CharField(_("action 操作"), max_length=32)
    from_status = models.CharField(_("from 原状态"), max_length=24, blank=True)
    to_status = models.CharField(_("to 新状态"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    channel = models.CharField(_("channel 渠道"), max_length=16, blank=True)
    note = models.TextField(_("note 说明"), blank=True)

    class Meta:
        verbose_name = _("status change 状态记录")
        verbose_name_plural = _("status changes 状态记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.action}→{self.to_status}"

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status

    @property
    def action_label(self) -> str:
        from .workflow import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))


class MaterialState(models.TextChoices):
    MISSING = "missing", _("to be provided 待提交")
    UPLOADED = "uploaded", _("uploaded 已上传")
    EXEMPTED = "exempted", _("exempted 免交")


class ApplicationMaterial(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey("catalogue.Material", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state 状态"), max_length=12, choices=MaterialState.choices)
    file = models.ForeignKey("uploads.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    exemption_reason = models.CharField(_("exemption 免交依据"), max_length=300, blank=True)
    licence_number = models.CharField(_("licence number 证照编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("application material 办件材料")
        verbose_name_plural = _("application materials 办件材料")
        ordering = ["material__position", "material_id"]
        constraints = [models.UniqueConstraint(fields=["application", "material"], name="application_material_once")]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.material_id}:{self.state}"


class ConsultMessage(models.Model):
    """The consult thread between the window clerk and the department's specialist (一键呼叫)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consult_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    body = models.TextField(_("message 消息"))

    class Meta:
        verbose_name = _("consult message 会商消息")
        verbose_name_plural = _("consult messages 会商消息")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}@{self.at:%Y-%m-%d %H:%M}"


class Supervision(models.Model):
    """A deadline warning or overdue record (督办) raised by the deadline clocks."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("warning 预警")
        OVERDUE = "overdue", _("overdue 超期")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="supervisions")
    clock_kind = models.CharField(_("deadline 时限"), max_length=16)
    kind = models.CharField(_("kind 类型"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("supervision 督办")
        verbose_name_plural = _("supervisions 督办")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.clock_kind}:{self.kind}"


class ItemLicence(models.Model):
    """The licence an item issues on approval (the catalogue has no such field)."""

    item = models.OneToOneField("catalogue.Item", on_delete=models.CASCADE, related_name="+")
    licence_type = models.ForeignKey("catalogue.LicenceType", on_delete=models.PROTECT, related_name="+")
    valid_years = models.PositiveSmallIntegerField(_("valid for (years) 有效期（年）"), default=5)

    class Meta:
        verbose_name = _("licence issued by an item 事项出证")
        verbose_name_plural = _("licences issued by items 事项出证")

    def __str__(self) -> str:
        return f"{self.item_id}→{self.licence_type_id}"
