"""Deadline policy (时限) — pure functions: which clock runs, for how long, when to warn and escalate.

The arithmetic over working days and office hours lives in the work calendar (``yiwang.core.workcal``);
this module only decides the amounts and the escalation ladder from a category's settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

WORKING_DAYS = "wd"
WORKING_HOURS = "wh"
CALENDAR_HOURS = "ch"

DISPATCH = "dispatch"
HANDLE = "handle"

DEFAULTS = {
    "WARNING_SHARE": 0.75,
    "REOPEN_WINDOW_DAYS": 7,
    "ESCALATE_EVERY_HOURS": 8,  # working hours between escalation steps of a case still overdue
    "CODE_PREFIX": "YW",
}

# escalation ladder: 0 none → 1 grid → 2 subdistrict → 3 district
LEVEL_NONE, LEVEL_GRID, LEVEL_SUBDISTRICT, LEVEL_DISTRICT = 0, 1, 2, 3


@dataclass(frozen=True)
class ClockSpec:
    kind: str
    unit: str
    amount: int
    warn_share: float


def clock_spec(category, kind: str, *, default_share: float = DEFAULTS["WARNING_SHARE"]) -> ClockSpec:
    """The clock to run for ``kind`` (dispatch or handle) on a case of ``category``.

    Working mode: dispatch within N working hours, handle within N working days. Calendar mode
    (emergencies): both in calendar hours.
    """
    share = warning_share(getattr(category, "warning_share", None), default_share)
    calendar = getattr(category, "deadline_mode", "working") == "calendar"
    if kind == DISPATCH:
        unit = CALENDAR_HOURS if calendar else WORKING_HOURS
        return ClockSpec(kind, unit, max(1, int(category.dispatch_within_hours)), share)
    if kind == HANDLE:
        if calendar:
            return ClockSpec(kind, CALENDAR_HOURS, max(1, int(category.handle_within_hours)), share)
        return ClockSpec(kind, WORKING_DAYS, max(1, int(category.handle_within_days)), share)
    raise ValueError(f"unknown clock kind {kind!r}")


def warning_share(value, default: float) -> float:
    """The share of the allowed time after which the handler is warned (0 < share < 1)."""
    if value is None or value == "":
        return float(default)
    share = float(Decimal(str(value)))
    if not 0 < share < 1:
        raise ValueError("a warning share lies strictly between 0 and 1")
    return share


def next_level(level: int) -> int | None:
    """The next escalation level, or None when the case already reached the district."""
    return level + 1 if level < LEVEL_DISTRICT else None


def escalation_due(
    level: int, last_escalated_at: datetime | None, worked_since: timedelta | None, every_hours: float
) -> bool:
    """Whether an overdue case at ``level`` should go one level up now.

    The first step happens as soon as the case is overdue; each further step after ``every_hours`` of
    working time (``worked_since`` = working time since the last step) without the case being handled.
    """
    if next_level(level) is None:
        return False
    if level == LEVEL_NONE or last_escalated_at is None:
        return True
    return worked_since is not None and worked_since >= timedelta(hours=every_hours)


def reopen_allowed(closed_at: datetime | None, now: datetime, window_days: int) -> bool:
    """The reporter may reopen a closed case within ``window_days`` calendar days of its closure."""
    if closed_at is None:
        return False
    return now - closed_at <= timedelta(days=window_days)
