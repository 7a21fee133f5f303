"""Tables of the flood and typhoon scene (防汛防台): weather warnings, the flood season, inspection
checklists issued as tasks, the emergency duty roster, shelter occupancy.

Nobody writes these tables directly: ``yiwang.sensing.flood.actions`` is the write path.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WarningKind(models.TextChoices):
    RAINSTORM = "rainstorm", _("rainstorm 暴雨")
    TYPHOON = "typhoon", _("typhoon 台风")
    THUNDERSTORM = "thunderstorm", _("thunderstorm 雷电")
    GALE = "gale", _("gale 大风")
    HIGH_TIDE = "high_tide", _("high tide 高潮位")


class WarningLevel(models.TextChoices):
    BLUE = "blue", _("blue 蓝色")
    YELLOW = "yellow", _("yellow 黄色")
    ORANGE = "orange", _("orange 橙色")
    RED = "red", _("red 红色")


LEVEL_RANK = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}


class WeatherWarning(models.Model):
    """A weather warning as the meteorological office issued it (entered by hand or imported)."""

    kind = models.CharField(_("kind 类型"), max_length=16, choices=WarningKind.choices)
    level = models.CharField(_("level 等级"), max_length=8, choices=WarningLevel.choices)
    issued_at = models.DateTimeField(_("issued at 发布时间"))
    valid_from = models.DateTimeField(_("valid from 生效时间"))
    valid_to = models.DateTimeField(_("valid to 失效时间"), null=True, blank=True)
    area = models.CharField(_("area 影响区域"), max_length=200, blank=True)
    text = models.TextField(_("text 预警内容"), blank=True)
    source = models.CharField(_("source 发布单位"), max_length=100)
    reference = models.CharField(_("reference 预警编号"), max_length=100, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at 解除时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("entered by 录入人")
    )
    created_at = models.DateTimeField(_("created 创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("weather warning 气象预警")
        verbose_name_plural = _("weather warnings 气象预警")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], condition=~models.Q(reference=""), name="flood_warning_source_ref"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_level_display()} ({self.valid_from:%Y-%m-%d %H:%M})"

    def is_active(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        if self.cancelled_at is not None and self.cancelled_at <= at:
            return False
        return self.valid_from <= at and (self.valid_to is None or at < self.valid_to)


class FloodSeason(models.Model):
    """The year's flood season (汛期): preparation from ``prep_from``, the season ``starts_on``–``ends_on``,
    possibly extended (延长汛期, e.g. for a late typhoon) to ``extended_to``.

    A year without a row follows the usual calendar (``FLOOD["SEASON"]``, Shanghai's: 汛前 from 1 April,
    the season 1 June – 30 September); see ``queries.season_for``.
    """

    year = models.PositiveSmallIntegerField(_("year 年份"), unique=True)
    prep_from = models.DateField(_("pre-flood preparation from 汛前准备开始"))
    starts_on = models.DateField(_("season starts 入汛"))
    ends_on = models.DateField(_("season ends 出汛"))
    extended_to = models.DateField(
        _("season extended to 延长汛期至"),
        null=True,
        blank=True,
        help_text=_("When the flood control headquarters extends the season (e.g. for a late typhoon)."),
    )

    class Meta:
        verbose_name = _("flood season 汛期")
        verbose_name_plural = _("flood seasons 汛期")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def last_day(self) -> dt.date:
        """The season's last day, its extension included."""
        return self.extended_to or self.ends_on

    @property
    def is_usual_calendar(self) -> bool:
        """Not set for its year: the usual dates (an unsaved row from the settings)."""
        return self.pk is None

    def clean(self):
        from django.core.exceptions import ValidationError

        if None in (self.prep_from, self.starts_on, self.ends_on):
            return
        if not self.prep_from <= self.starts_on <= self.ends_on:
            raise ValidationError(_("The dates must follow each other: preparation, season start, season end."))
        if self.starts_on.year != self.year:
            raise ValidationError({"starts_on": _("The season must start in its year.")})
        if self.extended_to is not None and self.extended_to <= self.ends_on:
            raise ValidationError({"extended_to": _("An extension ends after the season's end.")})

    def phase(self, day: dt.date) -> str:
        """off | preparation (汛前) | season (汛期) | extended (延长汛期) | after (汛后)."""
        if day < self.prep_from:
            return "off"
        if day < self.starts_on:
            return "preparation"
        if day <= self.ends_on:
            return "season"
        if self.extended_to is not None and day <= self.extended_to:
            return "extended"
        return "after"


class ChecklistTarget(models.TextChoices):
    GRID = "grid", _("one task per grid 每个网格一项")
    POI = "poi", _("one task per point of interest 每个点位一项")


class ChecklistTemplate(models.Model):
    """A pre-flood inspection checklist (汛前检查表): its items are checked off on site."""

    code = models.SlugField(_("code 编码"), max_length=64, unique=True)
    name = models.CharField(_("name 名称"), max_length=200)
    description = models.TextField(_("description 说明"), blank=True)
    target = models.CharField(_("issued as 下发方式"), max_length=8, choices=ChecklistTarget.choices)
    poi_kind = models.CharField(_("point of interest kind 点位类型"), max_length=32, blank=True)
    active = models.BooleanField(_("active 启用"), default=True)

    class Meta:
        verbose_name = _("inspection checklist 检查表")
        verbose_name_plural = _("inspection checklists 检查表")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# A problem found on an item opens a case of the item's category; by default 排水不畅 (blocked drain), the
# commonest finding of a pre-flood inspection (operations/category_tree.py).
DEFAULT_PROBLEM_CATEGORY = "CM-GREEN-DRAIN"


class ChecklistItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position 顺序"), default=0)
    text = models.CharField(_("item 检查项"), max_length=300)
    category_code = models.CharField(
        _("case category when a problem is found 问题案件类别"),
        max_length=32,
        default=DEFAULT_PROBLEM_CATEGORY,
        help_text=_("A problem found on this item opens a grid patrol case of this category (a second-level code)."),
    )

    class Meta:
        verbose_name = _("checklist item 检查项")
        verbose_name_plural = _("checklist items 检查项")
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        from django.core.exceptions import ValidationError

        problem = category_problem(self.category_code)
        if problem:
            raise ValidationError({"category_code": problem})


def category_problem(code: str):
    """Why ``code`` cannot take the cases of a checklist item (None when it can): unknown, retired, or not a
    second-level category."""
    from yiwang.operations.models import Category

    category = Category.objects.filter(code=code).first()
    if category is None:
        return _("There is no case category %(code)s.") % {"code": code}
    if not category.active:
        return _("The case category %(code)s is no longer in use.") % {"code": code}
    if Category.objects.filter(parent=category, active=True).exists():
        return _("Choose a second-level category, not %(code)s.") % {"code": code}
    return None


class InspectionRound(models.Model):
    """One issue of a checklist to the grid teams (a round of inspection tasks)."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, verbose_name=_("checklist 检查表"))
    title = models.CharField(_("title 标题"), max_length=200)
    items = models.JSONField(_("items as issued 下发时的检查项"), default=list)
    # the case category of each item, in the order of ``items`` (empty in rounds issued before categories)
    categories = models.JSONField(_("case categories of the items 检查项问题案件类别"), default=list, blank=True)
    due_on = models.DateField(_("due on 完成期限"))
    issued_at = models.DateTimeField(_("issued at 下发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("issued by 下发人")
    )

    class Meta:
        verbose_name = _("inspection round 检查批次")
        verbose_name_plural = _("inspection rounds 检查批次")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open 待检查")
    DONE = "done", _("done 已完成")


class InspectionTask(models.Model):
    """One grid's (or one point's) share of a round, assigned to the grid's team."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="tasks")
    subdistrict_code = models.CharField(_("subdistrict 街镇"), max_length=64, db_index=True)
    grid_code = models.CharField(_("grid 网格"), max_length=64, db_index=True)
    poi_code = models.CharField(_("point of interest 点位"), max_length=64, blank=True)
    poi_name = models.CharField(_("point name 点位名称"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.PROTECT, verbose_name=_("grid team 网格工作站"), related_name="+"
    )
    status = models.CharField(_("status 状态"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    results = models.JSONField(_("results 检查结果"), default=dict, blank=True)  # item index → "ok" | "problem"
    note = models.TextField(_("note 备注"), blank=True)
    photo = models.ForeignKey(
        "uploads.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo 照片"),
    )
    done_at = models.DateTimeField(_("done at 完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # the cases opened for the problems found (one per item found wrong), in the operations loop
    cases = models.ManyToManyField(
        "operations.Case", blank=True, related_name="+", verbose_name=_("cases opened 问题案件")
    )

    class Meta:
        verbose_name = _("inspection task 检查任务")
        verbose_name_plural = _("inspection tasks 检查任务")
        ordering = ["round", "grid_code", "poi_code"]
        constraints = [
            models.UniqueConstraint(fields=["round", "grid_code", "poi_code"], name="flood_task_once_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.round.title} · {self.grid_code}{' · ' + self.poi_code if self.poi_code else ''}"

    def category_of(self, index: int) -> str:
        """The case category of item ``index`` as issued (the default for rounds issued without them)."""
        categories = self.round.categories or []
        return categories[index] if index < len(categories) and categories[index] else DEFAULT_PROBLEM_CATEGORY


class Shift(models.TextChoices):
    DAY = "day", _("day 白班 (08:00–20:00)")
    NIGHT = "night", _("night 夜班 (20:00–08:00)")
    FULL = "full", _("24 hours 全天 (08:00–08:00)")


SHIFT_HOURS = {"day": (8, 12), "night": (20, 12), "full": (8, 24)}  # start hour, length in hours


class DutyRole(models.TextChoices):
    LEADER = "leader", _("leader on duty 带班领导")
    CHIEF = "chief", _("duty chief 值班长")
    OFFICER = "officer", _("duty officer 值班员")
    LIAISON = "liaison", _("department liaison 部门联络员")
    RESCUE = "rescue", _("rescue team 抢险队")


class DutyShift(models.Model):
    """One person on emergency duty (应急值守) for one shift of one day."""

    date = models.DateField(_("date 日期"))
    shift = models.CharField(_("shift 班次"), max_length=8, choices=Shift.choices)
    role = models.CharField(_("duty role 值班岗位"), max_length=16, choices=DutyRole.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("person 人员")
    )
    name = models.CharField(_("name 姓名"), max_length=100)
    phone = models.CharField(_("phone 电话"), max_length=32, blank=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("organisation 单位")
    )
    starts_at = models.DateTimeField(_("starts 开始"), editable=False)
    ends_at = models.DateTimeField(_("ends 结束"), editable=False)

    class Meta:
        verbose_name = _("duty shift 值班安排")
        verbose_name_plural = _("duty roster 值班表")
        ordering = ["date", "starts_at", "role", "name"]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="flood_duty_window")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_shift_display()} {self.get_role_display()}: {self.name}"

    def save(self, *args, **kwargs):
        self.starts_at, self.ends_at = shift_window(self.date, self.shift)
        super().save(*args, **kwargs)


def shift_window(day: dt.date, shift: str) -> tuple[dt.datetime, dt.datetime]:
    """The shift's start and end, in the district's zone."""
    start_hour, hours = SHIFT_HOURS[shift]
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(start_hour)))
    return start, start + dt.timedelta(hours=hours)


class ShelterStatus(models.Model):
    """How many people a shelter (避难场所) holds now; its capacity is the point of interest's."""

    poi_code = models.CharField(_("shelter 避难场所"), max_length=64, unique=True)
    is_open = models.BooleanField(_("open 已开放"), default=False)
    occupancy = models.PositiveIntegerField(_("occupancy 已安置人数"), default=0)
    updated_at = models.DateTimeField(_("updated 更新时间"))

    class Meta:
        verbose_name = _("shelter status 避难场所状态")
        verbose_name_plural = _("shelter statuses 避难场所状态")

    def __str__(self) -> str:
        return f"{self.poi_code}: {self.occupancy}"
