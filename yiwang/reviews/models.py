"""Tables of the reviews context: opportunities to rate, ratings, rectifications of bad ratings.

No business rules here beyond field validation: every change goes through ``actions.py``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The national five-level scale (全国一体化政务服务平台好差评); 1 and 2 are bad reviews (差评)."""

    VERY_SATISFIED = 5, _("Very satisfied 非常满意")
    SATISFIED = 4, _("Satisfied 满意")
    BASICALLY_SATISFIED = 3, _("Basically satisfied 基本满意")
    DISSATISFIED = 2, _("Dissatisfied 不满意")
    VERY_DISSATISFIED = 1, _("Very dissatisfied 非常不满意")


BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})


def is_bad(level: int) -> bool:
    return int(level) in BAD_LEVELS


class Network(models.TextChoices):
    OPERATIONS = "operations", _("City operations 一网统管")
    SERVICES = "services", _("Government services 一网通办")


class RatingChannel(models.TextChoices):
    """How the resident was offered the rating (评价渠道)."""

    ON_SPOT = "on_spot", _("On the spot 现场评价")
    QR_CODE = "qr_code", _("QR code 扫码评价")
    SMS = "sms", _("SMS link 短信评价")
    ONLINE = "online", _("Online 网上评价")
    KIOSK = "kiosk", _("Self-service kiosk 自助终端评价")


class Policy:
    """What a bad rating sets off. Any other value names a hook registered with ``register_bad_rating_hook``."""

    RECTIFY = "rectify"
    REOPEN = "reopen"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RatingOpportunity(models.Model):
    """A subject (a closed case, a window visit, an online matter, a kiosk session) that may be rated once.

    A reopened case is rated again after its next closure: a new opportunity with the next ``round``.
    """

    subject_type = models.CharField(_("subject type 评价对象类型"), max_length=64)
    subject_id = models.CharField(_("subject id 评价对象编号"), max_length=64)
    round = models.PositiveIntegerField(_("round 轮次"), default=1)
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("responsible department 责任部门"),
        on_delete=models.PROTECT,
        related_name="rating_opportunities",
    )
    network = models.CharField(_("network 网络"), max_length=16, choices=Network.choices)
    channel = models.CharField(_("channel 渠道"), max_length=16, choices=RatingChannel.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater 评价人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rating_opportunities",
    )
    window_code = models.CharField(_("window 窗口"), max_length=64, blank=True, db_index=True)
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk 经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item_code = models.CharField(_("item 事项"), max_length=64, blank=True, db_index=True)
    policy = models.CharField(_("bad-rating policy 差评处理方式"), max_length=64, default=Policy.RECTIFY)
    token = models.CharField(_("token 评价令牌"), max_length=64, unique=True, default=new_token)
    opened_at = models.DateTimeField(_("opened at 开放时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at 截止时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating opportunity 评价机会")
        verbose_name_plural = _("rating opportunities 评价机会")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "round"], name="reviews_opportunity_round"),
        ]
        indexes = [models.Index(fields=["org_unit", "opened_at"], name="reviews_opp_org_idx")]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} #{self.round}"

    @property
    def item_label(self) -> str:
        """The item's code and name as the service catalogue has them (a bundle by its name)."""
        if not self.item_code:
            return ""
        from .queries import _item_labels

        return _item_labels([self.item_code]).get(self.item_code, self.item_code)

    @property
    def subject_ref(self) -> tuple[str, str]:
        return self.subject_type, self.subject_id

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_rated(self) -> bool:
        return Rating.objects.filter(opportunity_id=self.pk).exists()

    @property
    def rating_path(self) -> str:
        return reverse("reviews:rate", args=[self.token])

    @property
    def rating_url(self) -> str:
        """The absolute rating link, for a QR code or an SMS (``settings.NOTIFY["PUBLIC_BASE_URL"]``)."""
        base = str(settings.NOTIFY.get("PUBLIC_BASE_URL", "")).rstrip("/")
        return base + self.rating_path

    def link(self, via: str) -> str:
        """The absolute rating link as handed out through ``via`` (a ``RatingChannel``: QR code, SMS…):
        the rating then records the channel it came through."""
        return f"{self.rating_url}?via={via}"

    @property
    def qr_link(self) -> str:
        return self.link(RatingChannel.QR_CODE)

    @property
    def sms_link(self) -> str:
        return self.link(RatingChannel.SMS)

    @property
    def qr_path(self) -> str:
        return reverse("reviews:qr", args=[self.token])

    def qr_svg(self, scale: int = 6) -> str:
        """The rating link (marked as coming through the QR code) as a QR code: a standalone SVG document."""
        import io

        import segno

        buffer = io.BytesIO()
        segno.make(self.qr_link, error="m").save(
            buffer, kind="svg", scale=scale, border=4, title=str(_("Rate this service"))
        )
        return buffer.getvalue().decode("utf-8")


class Rating(models.Model):
    """The one rating of an opportunity."""

    class FollowUp(models.TextChoices):
        NONE = "none", _("none 无")
        RECTIFICATION = "rectification", _("rectification 整改")
        HOOK = "hook", _("handed to its context 转交办理")
        HOOK_FAILED = "hook_failed", _("hand-over failed, rectification opened 转交失败，已开整改")

    opportunity = models.OneToOneField(
        RatingOpportunity, verbose_name=_("opportunity 评价机会"), on_delete=models.PROTECT, related_name="rating"
    )
    level = models.PositiveSmallIntegerField(_("level 评价等级"), choices=Level.choices)
    is_bad = models.BooleanField(_("bad review 差评"), default=False)
    comment = models.TextField(_("comment 评价意见"), blank=True, max_length=2000)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rater 评价人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    channel = models.CharField(_("channel 渠道"), max_length=16, choices=RatingChannel.choices)
    rated_at = models.DateTimeField(_("rated at 评价时间"), default=timezone.now, db_index=True)
    follow_up = models.CharField(
        _("follow-up 后续处理"), max_length=16, choices=FollowUp.choices, default=FollowUp.NONE
    )

    class Meta:
        verbose_name = _("rating 评价")
        verbose_name_plural = _("ratings 评价")
        ordering = ["-rated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.get_level_display()}"


class RectificationState(models.TextChoices):
    OPEN = "open", _("open 待整改")
    CONTACTED = "contacted", _("resident contacted 已联系")
    CLOSED = "closed", _("closed 已办结")


class Rectification(models.Model):
    """The department's task to put a bad rating right within 5 working days (差评整改)."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating 评价"), on_delete=models.PROTECT, related_name="rectification"
    )
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("responsible department 责任部门"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    state = models.CharField(
        _("state 状态"), max_length=16, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    opened_at = models.DateTimeField(_("opened at 开始时间"), default=timezone.now)
    due_at = models.DateTimeField(_("due at 整改期限"), db_index=True)
    overdue = models.BooleanField(_("overdue 已超期"), default=False)
    escalated_at = models.DateTimeField(_("escalated at 升级督办时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at 办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by 办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action_taken = models.TextField(_("what was done 整改情况"), blank=True)
    resident_response = models.TextField(_("resident's response 群众反馈"), blank=True)
    resident_satisfied = models.BooleanField(_("resident satisfied 群众是否满意"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version 版本"), default=1)

    class Meta:
        verbose_name = _("rectification 差评整改")
        verbose_name_plural = _("rectifications 差评整改")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["org_unit", "state", "due_at"], name="reviews_rect_org_idx")]

    def __str__(self) -> str:
        return f"{_('Rectification')} #{self.pk} · {self.org_unit}"

    @property
    def on_time(self) -> bool | None:
        """True/False once closed; None while still open."""
        if self.closed_at is None:
            return None
        return self.closed_at <= self.due_at


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("phone call 电话")
    SMS = "sms", _("SMS 短信")
    VISIT = "visit", _("home visit 上门")
    IN_PERSON = "in_person", _("in person 当面")
    ONLINE = "online", _("online 网上")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("reached 已联系上")
    NO_ANSWER = "no_answer", _("no answer 未接通")
    DECLINED = "declined", _("declined to talk 拒绝沟通")
    WRONG_NUMBER = "wrong_number", _("wrong number 号码有误")


class ContactAttempt(models.Model):
    """A logged attempt to contact the resident about a bad rating: when, how, outcome."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification 差评整改"), on_delete=models.CASCADE, related_name="contacts"
    )
    at = models.DateTimeField(_("when 时间"), default=timezone.now)
    method = models.CharField(_("how 方式"), max_length=16, choices=ContactMethod.choices)
    outcome = models.CharField(_("outcome 结果"), max_length=16, choices=ContactOutcome.choices)
    note = models.TextField(_("note 备注"), blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by 联系人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact attempt 联系记录")
        verbose_name_plural = _("contact attempts 联系记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} · {self.get_outcome_display()}"


class Escalation(models.Model):
    """An overdue rectification raised to the department's parent unit or the operations centre (督办)."""

    class Reason(models.TextChoices):
        OVERDUE = "overdue", _("overdue 超期")

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("rectification 差评整改"), on_delete=models.CASCADE, related_name="escalations"
    )
    reason = models.CharField(_("reason 原因"), max_length=16, choices=Reason.choices, default=Reason.OVERDUE)
    to_org_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("escalated to 升级至"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when 时间"), default=timezone.now)
    notified = models.PositiveIntegerField(_("people notified 通知人数"), default=0)

    class Meta:
        verbose_name = _("escalation 升级督办")
        verbose_name_plural = _("escalations 升级督办")
        constraints = [
            models.UniqueConstraint(fields=["rectification", "reason"], name="reviews_escalation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rectification} → {self.to_org_unit or '—'}"
