"""Tables of the work calendar: published year overrides, deadline clocks, periodic job runs.

Nobody writes these tables directly: ``yiwang.core.workcal.actions`` is the write path.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def parse_date_list(text: str) -> list[date]:
    """One date or range per line or comma: ``2027-10-01..2027-10-07``; ``#`` starts a comment."""
    days: set[date] = set()
    for raw_line in (text or "").splitlines():
        line = raw_line.split("#", 1)[0]
        for part in line.replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            first, sep, last = part.partition("..")
            start = date.fromisoformat(first.strip())
            end = date.fromisoformat(last.strip()) if sep else start
            if end < start:
                raise ValueError(part)
            while start <= end:
                days.add(start)
                start += timedelta(days=1)
    return sorted(days)


class CalendarYear(models.Model):
    """A year's schedule entered by an administrator, where chinese-calendar does not (yet) cover it.

    Used by the calendar only once published; publishing recomputes every provisional clock.
    """

    year = models.PositiveSmallIntegerField(_("year 年份"), unique=True)
    holidays = models.TextField(
        _("public holidays 法定节假日"),
        blank=True,
        help_text=_(
            "One date or range per line, e.g. 2027-10-01..2027-10-07. Weekends need not be listed. "
            "每行一个日期或日期范围，周末无需列出。"
        ),
    )
    workdays = models.TextField(
        _("adjusted working days 调休上班日"),
        blank=True,
        help_text=_("Weekend days that are working days, one date per line. 调休需上班的周末日期，每行一个。"),
    )
    note = models.CharField(_("source or note 依据/备注"), max_length=300, blank=True)
    published = models.BooleanField(_("published 已发布"), default=False)
    published_at = models.DateTimeField(_("published at 发布时间"), null=True, blank=True)
    published_by = models.CharField(_("published by 发布人"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated at 更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("work calendar year 工作日历年度")
        verbose_name_plural = _("work calendar years 工作日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    def holiday_dates(self) -> list[date]:
        return parse_date_list(self.holidays)

    def workday_dates(self) -> list[date]:
        return parse_date_list(self.workdays)


class ClockUnit(models.TextChoices):
    WORKING_DAYS = "wd", _("working days 工作日")
    WORKING_HOURS = "wh", _("working hours 工作小时")
    CALENDAR_HOURS = "ch", _("calendar hours 自然小时")


class ClockState(models.TextChoices):
    RUNNING = "running", _("running 计时中")
    PAUSED = "paused", _("paused 已暂停")
    STOPPED = "stopped", _("stopped 已停止")
    OVERDUE = "overdue", _("overdue 已超时")


OPEN_STATES = (ClockState.RUNNING, ClockState.PAUSED, ClockState.OVERDUE)


class Clock(models.Model):
    """A deadline clock on any subject (a case, an application, a rectification, …).

    ``warn_at`` is cleared once the warning fired (``warned_at`` keeps when), so that the sweep's
    indexed range scans only see clocks that are still to fire.
    """

    subject_type = models.CharField(_("subject type 对象类型"), max_length=64)
    subject_id = models.CharField(_("subject id 对象编号"), max_length=64)
    kind = models.CharField(_("kind 时限类型"), max_length=32, help_text=_("handle, dispatch, promised, statutory, …"))
    unit = models.CharField(_("unit 单位"), max_length=2, choices=ClockUnit.choices)
    amount = models.PositiveIntegerField(_("amount 时限"))
    extended_amount = models.PositiveIntegerField(_("extended by 延期量"), default=0)
    extensions = models.PositiveIntegerField(_("extensions 延期次数"), default=0)
    started_at = models.DateTimeField(_("started at 开始时间"))
    due_at = models.DateTimeField(_("due at 截止时间"))
    provisional = models.BooleanField(
        _("provisional 暂定"),
        default=False,
        help_text=_("Computed with weekdays only: a year of the deadline is not yet in the work calendar."),
    )
    state = models.CharField(_("state 状态"), max_length=16, choices=ClockState.choices, default=ClockState.RUNNING)
    paused_at = models.DateTimeField(_("paused at 暂停时间"), null=True, blank=True)
    paused_seconds = models.BigIntegerField(_("paused working time (s) 暂停累计(秒)"), default=0)
    pauses = models.JSONField(_("pauses 暂停记录"), default=list, blank=True)
    warn_share = models.FloatField(_("warn at share 预警比例"), null=True, blank=True, default=0.75)
    warn_at = models.DateTimeField(_("warn at 预警时间"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned at 已预警时间"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue at 超时时间"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at 停止时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version 版本"), default=1)

    class Meta:
        verbose_name = _("deadline clock 时限计时")
        verbose_name_plural = _("deadline clocks 时限计时")
        indexes = [
            models.Index(fields=["state", "warn_at"], name="workcal_clock_warn_idx"),
            models.Index(fields=["state", "due_at"], name="workcal_clock_due_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="workcal_clock_subject_idx"),
            models.Index(fields=["provisional"], name="workcal_clock_prov_idx", condition=models.Q(provisional=True)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=models.Q(state__in=["running", "paused", "overdue"]),
                name="workcal_one_open_clock_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} · {self.kind} · {self.display_due()}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def total_amount(self) -> int:
        return self.amount + self.extended_amount

    def display_due(self) -> str:
        """The deadline in the district's zone, marked provisional where it is."""
        text = date_format(timezone.localtime(self.due_at), "Y-m-d H:i")
        if self.provisional:
            text = f"{text} ({gettext('provisional 暂定')})"
        return text


class PeriodicRun(models.Model):
    """Last run of each periodic job, claimed atomically so that one worker runs a job at a time."""

    name = models.CharField(_("job 任务"), max_length=100, unique=True)
    next_due_at = models.DateTimeField(_("next due at 下次运行"), null=True, blank=True)
    lease_until = models.DateTimeField(_("claimed until 占用至"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by 运行进程"), max_length=100, blank=True)
    last_started_at = models.DateTimeField(_("last started 上次开始"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished 上次结束"), null=True, blank=True)
    last_ok = models.BooleanField(_("last run succeeded 上次成功"), null=True)
    last_error = models.TextField(_("last error 上次错误"), blank=True)
    last_result = models.CharField(_("last result 上次结果"), max_length=300, blank=True)
    runs = models.PositiveIntegerField(_("runs 运行次数"), default=0)

    class Meta:
        verbose_name = _("periodic job 周期任务")
        verbose_name_plural = _("periodic jobs 周期任务")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
