"""Notifications: one row per message to one recipient through one channel."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Built-in channels; a district may add more in ``settings.NOTIFY["ADAPTERS"]``."""

    SMS = "sms", _("SMS 短信")
    EMAIL = "email", _("Email 电子邮件")
    INAPP = "inapp", _("In-app 站内消息")


class Status(models.TextChoices):
    QUEUED = "queued", _("queued 待发送")
    SENT = "sent", _("sent 已发送")
    FAILED = "failed", _("failed 发送失败")
    ACKNOWLEDGED = "acknowledged", _("acknowledged 已确认")


class Notification(models.Model):
    """A message to a user and/or an address (phone number or email: personal data).

    The address and the body are personal data: masked in the admin, never written to the audit trail,
    and blanked by the retention purger after ``settings.RETENTION_DAYS["notification"]`` days.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient 接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    address = models.CharField(_("address 地址"), max_length=254, blank=True, help_text=_("phone or email 手机或邮箱"))
    channel = models.CharField(_("channel 渠道"), max_length=16)
    subject = models.CharField(_("subject 标题"), max_length=200)
    body = models.TextField(_("body 正文"), blank=True)
    # what the message is about (a case, an application, …), as plain strings
    subject_type = models.CharField(_("about: type 关联对象类型"), max_length=64, blank=True)
    subject_id = models.CharField(_("about: id 关联对象编号"), max_length=64, blank=True)
    status = models.CharField(_("status 状态"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(_("attempts 尝试次数"), default=0)
    last_error = models.TextField(_("last error 最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at 下次尝试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at 发送时间"), null=True, blank=True)
    ack_token = models.CharField(_("acknowledgement token 确认令牌"), max_length=64, null=True, blank=True, unique=True)
    ack_expires_at = models.DateTimeField(_("acknowledgement expires at 确认截止"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at 确认时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at 已读时间"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data purged at 个人数据清除时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at 创建时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("notification 通知")
        verbose_name_plural = _("notifications 通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_due_idx"),
            models.Index(fields=["recipient", "channel", "read_at"], name="notify_inbox_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="notify_about_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk} · {self.subject}"

    @property
    def ack_path(self) -> str:
        return reverse("notify-ack", args=[self.ack_token]) if self.ack_token else ""

    @property
    def ack_url(self) -> str:
        """The absolute acknowledgement link (``settings.NOTIFY["PUBLIC_BASE_URL"]`` + path), or ""."""
        if not self.ack_token:
            return ""
        base = str(settings.NOTIFY.get("PUBLIC_BASE_URL", "")).rstrip("/")
        return base + self.ack_path

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def ack_is_open(self, now=None) -> bool:
        """True while the acknowledgement link may be used (a token, not expired, not purged)."""
        if not self.ack_token or self.purged_at is not None:
            return False
        return self.ack_expires_at is None or self.ack_expires_at > (now or timezone.now())
