"""Routing rules (派遣规则) as data: ordered, first match wins, edited in the admin."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .categories import Priority


class TeamMode(models.TextChoices):
    SUBDISTRICT_CENTRE = "subdistrict_centre", _("The subdistrict's grid centre 所在街镇网格中心")
    GRID_TEAM = "grid_team", _("The grid's team 所在网格工作站")
    EXPLICIT = "explicit", _("The team chosen below 指定队伍")
    NONE = "none", _("No handling team 不指定")


class RoutingRule(models.Model):
    """Which department and handling team get a case of this category, in this area, at this time.

    Empty conditions match anything. ``area_codes`` lists territory unit codes of any level (district,
    subdistrict, grid, level-4); the case matches if it lies in any of them.
    """

    name = models.CharField(_("name 名称"), max_length=200)
    position = models.PositiveIntegerField(_("order 顺序"), default=100, db_index=True)
    active = models.BooleanField(_("active 启用"), default=True)
    categories = models.ManyToManyField(
        "operations.Category",
        blank=True,
        related_name="+",
        verbose_name=_("categories 类别"),
        help_text=_("A top-level category matches all its children. Empty: any. 选一级类别即含其子类；留空为全部。"),
    )
    area_codes = models.JSONField(
        _("area unit codes 区域编码"),
        default=list,
        blank=True,
        help_text=_('Territory unit codes of any level, e.g. ["S03", "S03-G12"]. Empty: anywhere. 留空为全区。'),
    )
    time_from = models.TimeField(_("from (local time) 起始时刻"), null=True, blank=True)
    time_to = models.TimeField(
        _("to (local time) 结束时刻"),
        null=True,
        blank=True,
        help_text=_("A window may wrap midnight (22:00–06:00). Empty: all day. 可跨零点；留空为全天。"),
    )
    priorities = models.JSONField(
        _("priorities 优先级"),
        default=list,
        blank=True,
        help_text=_("Priority values (1 urgent … 4 low). Empty: any. 留空为全部。"),
    )
    department = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department 责任部门"),
        help_text=_("Empty: the category's first responsible department. 留空则取类别的责任部门。"),
    )
    team_mode = models.CharField(
        _("handling team 处置队伍"), max_length=24, choices=TeamMode.choices, default=TeamMode.SUBDISTRICT_CENTRE
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chosen team 指定队伍"),
    )

    class Meta:
        verbose_name = _("routing rule 派遣规则")
        verbose_name_plural = _("routing rules 派遣规则")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.position} · {self.name}"

    def clean(self) -> None:
        if self.team_mode == TeamMode.EXPLICIT and not self.team_id:
            raise ValidationError({"team": _("Choose the team, or another handling-team mode.")})
        if (self.time_from is None) != (self.time_to is None):
            raise ValidationError({"time_to": _("Give both ends of the time window, or neither.")})
        if not isinstance(self.area_codes, list) or not all(isinstance(c, str) for c in self.area_codes):
            raise ValidationError({"area_codes": _("A list of unit codes.")})
        valid = {p.value for p in Priority}
        if not isinstance(self.priorities, list) or any(p not in valid for p in self.priorities):
            raise ValidationError({"priorities": _("A list of priority values 1–4.")})
