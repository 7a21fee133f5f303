"""The two deadline clocks of an accepted application: promised (承诺时限) and statutory (法定时限).

Both count working days from acceptance (the situation's time limits); a correction request pauses
them, the correction resumes them, a decision or a withdrawal stops them.
"""

from __future__ import annotations

from yiwang.core.workcal.actions import pause_clock, resume_clock, start_clock, stop_clock
from yiwang.core.workcal.models import ClockState
from yiwang.core.workcal.queries import open_clock

KINDS = ("promised", "statutory")


def _amounts(application) -> dict[str, int]:
    return {"promised": application.promised_days, "statutory": application.statutory_days}


def start_or_resume(actor, application) -> None:
    for kind, days in _amounts(application).items():
        clock = open_clock(application, kind)
        if clock is None:
            if days >= 1:  # 0 days: done on the spot, nothing to count
                start_clock(actor, application, kind, "wd", days)
        elif clock.state == ClockState.PAUSED:
            resume_clock(actor, clock)


def pause_all(actor, application, reason: str = "") -> None:
    for kind in KINDS:
        clock = open_clock(application, kind)
        if clock is not None and clock.state != ClockState.PAUSED:
            pause_clock(actor, clock, reason=reason)


def resume_all(actor, application) -> None:
    for kind in KINDS:
        clock = open_clock(application, kind)
        if clock is not None and clock.state == ClockState.PAUSED:
            resume_clock(actor, clock)


def stop_all(actor, application) -> None:
    for kind in KINDS:
        clock = open_clock(application, kind)
        if clock is not None:
            stop_clock(actor, clock)
