"""Signing keys and licences. Raw ID numbers are never stored in the clear (see docs/services-licences.md)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """A platform key pair. The newest active key signs; every active key verifies; a retired key does not."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active 有效")
        RETIRED = "retired", _("retired 已停用")

    kid = models.CharField(_("key id 密钥标识"), max_length=64, unique=True)
    algorithm = models.CharField(_("algorithm 算法"), max_length=16)
    public_jwk = models.JSONField(_("public key (JWK) 公钥"))
    private_key_sealed = models.TextField(_("private key, encrypted 私钥(加密)"))
    status = models.CharField(_("status 状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at 创建时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at 停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key 签名密钥")
        verbose_name_plural = _("signing keys 签名密钥")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kid} ({self.algorithm}, {self.status})"


class Licence(models.Model):
    """One issued licence: metadata for lookup and display; the signed token sealed at rest."""

    class Status(models.TextChoices):
        VALID = "valid", _("valid 有效")
        REVOKED = "revoked", _("revoked 已撤销")

    jti = models.UUIDField(_("licence id 证照标识"), unique=True, default=uuid.uuid4, editable=False)
    # the catalogue's licence type, stored as its code (licence.licence_type_id == "BIZ_LICENCE")
    licence_type = models.ForeignKey(
        "catalogue.LicenceType",
        verbose_name=_("licence type 证照类型"),
        to_field="code",
        db_column="licence_type_code",
        on_delete=models.PROTECT,
        related_name="licences",
    )
    number = models.CharField(_("licence number 证照编号"), max_length=64, unique=True)
    holder_id_hash = models.CharField(_("holder ID hash 持证人身份哈希"), max_length=64)
    holder_id_masked = models.CharField(_("holder ID number (masked) 持证人身份证号(脱敏)"), max_length=18)
    holder_name_masked = models.CharField(_("holder name (masked) 持证人(脱敏)"), max_length=100)
    issuer_code = models.CharField(_("issuer code 发证机关代码"), max_length=64)
    issuer_name = models.CharField(_("issuer 发证机关"), max_length=200)
    valid_from = models.DateField(_("valid from 有效期起"))
    valid_until = models.DateField(_("valid until 有效期至"))
    issued_at = models.DateTimeField(_("issued at 签发时间"))
    algorithm = models.CharField(_("algorithm 算法"), max_length=16)
    signing_key = models.ForeignKey(
        SigningKey, on_delete=models.PROTECT, related_name="licences", verbose_name=_("signing key 签名密钥")
    )
    token_sealed = models.TextField(_("signed token, encrypted 签名凭证(加密)"))
    about_type = models.CharField(_("issued for (type) 来源类型"), max_length=100, blank=True)
    about_id = models.CharField(_("issued for (id) 来源标识"), max_length=64, blank=True)
    status = models.CharField(_("status 状态"), max_length=8, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at 撤销时间"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason 撤销原因"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("licence 电子证照")
        verbose_name_plural = _("licences 电子证照")
        indexes = [
            # the exemption check: a holder's valid licences (one index range scan)
            models.Index(fields=["holder_id_hash", "status", "valid_until"], name="licence_holder_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_type_id} {self.number}"
