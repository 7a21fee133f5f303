"""Per-day counters of case codes (claimed in blocks by ``yiwang.operations.codes``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseCodeCounter(models.Model):
    """The last case number handed out for a local day (``YW-<day>-<number>``)."""

    day = models.DateField(_("day 日期"), unique=True)
    last = models.PositiveIntegerField(_("last number 已用编号"), default=0)

    class Meta:
        verbose_name = _("case code counter 案件编号计数")
        verbose_name_plural = _("case code counters 案件编号计数")

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
