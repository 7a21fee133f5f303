"""The append-only, hash-chained audit trail.

Rows are spread over ``settings.AUDIT["CHAINS"]`` parallel chains (by object), so writers of different
objects never wait on one chain head. Each chain's head (last seq and hash) sits in its own row; the heads
of all chains are anchored periodically into an anchor chain of their own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    chain = models.PositiveSmallIntegerField(_("chain 链"))
    seq = models.PositiveBigIntegerField(_("sequence 序号"))
    at = models.DateTimeField(_("when 时间"))
    actor_id = models.BigIntegerField(_("actor id 操作人ID"), null=True, blank=True)
    actor_label = models.CharField(_("actor 操作人"), max_length=150)
    action = models.CharField(_("action 操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type 对象类型"), max_length=100)
    object_id = models.CharField(_("object id 对象ID"), max_length=100)
    summary = models.JSONField(_("before/after summary 变更摘要"), default=dict)
    channel = models.CharField(_("channel 渠道"), max_length=32)
    client_ip = models.CharField(_("client address 客户端地址"), max_length=64, blank=True)
    batch_count = models.PositiveIntegerField(_("records in batch 批量条数"), default=1)
    digest = models.CharField(_("batch digest 批量摘要"), max_length=128, blank=True)
    algorithm = models.CharField(_("hash algorithm 哈希算法"), max_length=16)
    prev_hash = models.CharField(max_length=128)
    hash = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("audit event 审计记录")
        verbose_name_plural = _("audit events 审计记录")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"


class AuditChainHead(models.Model):
    chain = models.PositiveSmallIntegerField(primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=128, default="")

    class Meta:
        verbose_name = _("audit chain head 审计链头")
        verbose_name_plural = _("audit chain heads 审计链头")

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.seq}"


class AuditAnchor(models.Model):
    """A periodic snapshot of every chain head, itself hash-chained (publishable outside the system)."""

    at = models.DateTimeField(_("when 时间"))
    heads = models.JSONField(_("chain heads 链头"))
    algorithm = models.CharField(max_length=16)
    prev_hash = models.CharField(max_length=128)
    hash = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("audit anchor 审计锚点")
        verbose_name_plural = _("audit anchors 审计锚点")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"anchor {self.pk} {self.at:%Y-%m-%d %H:%M}"
