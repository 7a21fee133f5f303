"""One-thing bundles (一件事): items of several departments applied for with one form.

A **bundle** lists **parts**, each a situation of a catalogue item (e.g. opening a restaurant: the
business licence, the food business licence, the signboard permit, the fire safety check). A
**bundle application** is one submission that fanned out into one application per part; its status
is derived (the least advanced part), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.services.catalogue.models import slug_validator


class Bundle(models.Model):
    code = models.CharField(_("code 编码"), max_length=40, unique=True, validators=[slug_validator])
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    description = models.TextField(_("description 说明"), blank=True)
    active = models.BooleanField(_("active 在用"), default=True)

    class Meta:
        verbose_name = _("one-thing bundle 一件事")
        verbose_name_plural = _("one-thing bundles 一件事")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundlePart(models.Model):
    bundle = models.ForeignKey(Bundle, verbose_name=_("bundle 一件事"), on_delete=models.CASCADE, related_name="parts")
    situation = models.ForeignKey(
        "catalogue.Situation", verbose_name=_("situation 办理情形"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position 顺序"), default=0)

    class Meta:
        verbose_name = _("bundle part 一件事事项")
        verbose_name_plural = _("bundle parts 一件事事项")
        ordering = ["bundle_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["bundle", "situation"], name="bundle_part_once")]

    def __str__(self) -> str:
        return f"{self.bundle_id}/{self.situation_id}"


class BundleApplication(models.Model):
    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle 一件事"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant 申请人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created 创建时间"), auto_now_add=True)
    parts = models.ManyToManyField(
        "applications.Application", verbose_name=_("applications 办件"), related_name="bundle_applications"
    )

    class Meta:
        verbose_name = _("bundle application 一件事申请")
        verbose_name_plural = _("bundle applications 一件事申请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bundle.name} #{self.pk}"
