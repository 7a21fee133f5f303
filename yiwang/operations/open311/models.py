"""API keys of Open311 client apps, and the Open311 side of each case they reported.

A key is shown once when issued; only its SHA-256 is stored (keys are 160+ random bits, so a fast hash
is enough and keeps a POST cheap). A revoked key stays, so the cases it reported keep their origin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    name = models.CharField(_("client name 客户端名称"), max_length=100, unique=True)
    prefix = models.CharField(
        _("key prefix 密钥前缀"), max_length=16, editable=False, help_text=_("To recognise a key. 用于识别密钥。")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    contact = models.CharField(
        _("contact 联系方式"),
        max_length=200,
        blank=True,
        help_text=_("Who runs the client app (organisation, e-mail). 客户端运营方。"),
    )
    note = models.TextField(_("note 备注"), blank=True)
    reply_with_token = models.BooleanField(
        _("reply with a token 以令牌应答"),
        default=False,
        help_text=_(
            "Answer POST requests with a token instead of the request id, for clients built for batch servers; "
            "the id appears under tokens/{token} once staff have looked at the report. "
            "对按批处理设计的客户端返回令牌；受理后可凭令牌查询编号。"
        ),
    )
    created_at = models.DateTimeField(_("issued at 签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by 签发人"),
    )
    revoked_at = models.DateTimeField(_("revoked at 吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used 最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key 开放311密钥")
        verbose_name_plural = _("Open311 API keys 开放311密钥")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


# what a client sends besides the case itself: kept on the queue row, then on the submission
CLIENT_FIELDS = ("address_id", "zipcode", "media_url", "email", "device_id", "account_id")


class Submission(models.Model):
    """What an Open311 client sent with a case besides what the case itself holds.

    ``email``, ``device_id`` and ``account_id`` are the reporter's data: stored for follow-up, never
    returned by any GET.
    """

    case = models.OneToOneField(
        "operations.Case", on_delete=models.CASCADE, related_name="open311", verbose_name=_("case 案件")
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    token = models.CharField(_("token 令牌"), max_length=40, unique=True)
    address_id = models.CharField(_("address id 地址编号"), max_length=64, blank=True)
    zipcode = models.CharField(_("postal code 邮编"), max_length=16, blank=True)
    media_url = models.URLField(_("media URL 媒体链接"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail 电子邮件"), blank=True)
    device_id = models.CharField(_("device id 设备编号"), max_length=100, blank=True)
    account_id = models.CharField(_("account id 账户编号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("received at 接收时间"))

    class Meta:
        verbose_name = _("Open311 submission 开放311上报")
        verbose_name_plural = _("Open311 submissions 开放311上报")

    def __str__(self) -> str:
        return f"{self.token} → {self.case_id}"


class QueueState(models.TextChoices):
    QUEUED = "queued", _("queued 排队中")
    REFUSED = "refused", _("refused 未予登记")


class QueuedRequest(models.Model):
    """A POST answered with a token and queued for registration (``OPEN311['INTAKE'] = 'queued'``).

    The form as the POST validated and normalised it. It is an inbound record, like an MQTT message:
    registering it as a case (``intake_queue.drain``) is the audited action; the row is then deleted in
    that transaction and the :class:`Submission` links the token to the case. A report the case action
    refuses at that point stays here, marked refused with the reason, which ``tokens/{token}`` reports.
    """

    token = models.CharField(_("token 令牌"), max_length=40, unique=True)
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="queued")
    received_at = models.DateTimeField(_("received at 接收时间"))
    state = models.CharField(_("state 状态"), max_length=10, choices=QueueState.choices, default=QueueState.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)  # batches that failed with it (not refusals)
    refusal = models.TextField(_("reason refused 未予登记原因"), blank=True)
    category_id = models.BigIntegerField()
    lon = models.FloatField()
    lat = models.FloatField()
    coord_system = models.CharField(max_length=8)
    address = models.CharField(max_length=300, blank=True)
    description = models.TextField()
    answers = models.JSONField(default=dict, blank=True)
    reporter_name = models.CharField(max_length=100, blank=True)
    reporter_phone = models.CharField(max_length=32, blank=True)
    address_id = models.CharField(max_length=64, blank=True)
    zipcode = models.CharField(max_length=16, blank=True)
    media_url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=254, blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    client_ip = models.CharField(max_length=45, blank=True)

    class Meta:
        verbose_name = _("queued Open311 request 排队中的开放311上报")
        verbose_name_plural = _("queued Open311 requests 排队中的开放311上报")
        indexes = [models.Index(fields=["state", "id"], name="open311_queue_state_id")]

    def __str__(self) -> str:
        return f"{self.token} ({self.state})"
