"""Leak rule over hourly consumption (water steward 水管家): flow that never stops, judged per household.

On hourly readings a fixed "flow in every hour for N hours" rule cannot tell a running cistern from a
busy morning: normal use fills consecutive daytime hours. :class:`FlowLikelihood` asks instead how
probable the current run of flowing hours would be for *this* household living as usual.

From the last ``days`` days (hours with data only) it learns, per hour of day h and volume m,
P_h(≥ m) = (days with ≥ m in hour h + 1) / (days with data in hour h + 2), capped at ``max_p``; a
volume of at least ``surge_factor`` × the household's record hour (a tap left wide open) counts as
never seen in any hour: 1 / (hours with data + 2). The run is the consecutive hours back from now
with flow ≥ ``min_flow``; for every suffix of the run of at least ``min_hours`` (the leak may have
begun after a normal use), with floor m = its smallest hourly volume, the probability that a normal
day shows ≥ m in each of those hours is ∏ P_h(≥ m). Alert when the smallest falls below ``alpha``.

* A running cistern at night costs ~1/30 an hour with 28 days of history (the resident seldom uses
  water at 02:00, and less often that much), so three night hours reach 1e-4.
* A tap left wide open costs ~1/700 an hour at any time of day: two hours suffice.
* A busy household's normal daytime use (p ≥ 0.9 every hour) never gets there: with ``max_p`` 0.9
  and ``max_hours`` 24 occurrence alone is at least 0.9²⁴ ≈ 0.08 (the parameters are refused when
  ``max_p ** max_hours < alpha``).
* Once raised, the alert holds while the water keeps running and clears at the first hour with less
  than ``min_flow`` (a leak over several days notifies once, not once a night).
* A meter gap is neither flow nor no flow: missing hours are skipped, a gap longer than
  ``max_gap_hours`` ends the run, and the first reading after a gap (it may carry the gap's volume) is
  skipped too. The verdict is silent (state kept) when the newest hour is missing or follows a gap,
  or when the household has fewer than ``min_history_days`` days of history.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import timedelta

from ._common import RuleError, Verdict, _level, _num
from .hourly import HourlySeries, _HourlyKind


@dataclass(frozen=True)
class FlowLikelihood(_HourlyKind):
    """Alert when the current run of flowing hours would be improbable for this household."""

    alpha: float
    min_flow: float
    max_p: float
    min_hours: int
    max_hours: int
    surge_factor: float
    max_gap_hours: int
    days: int
    min_history_days: int
    level: str

    @property
    def lookback(self) -> timedelta:
        return timedelta(days=self.days + 1, hours=self.max_hours)

    @classmethod
    def parse(cls, p: dict) -> FlowLikelihood:
        alpha = _num(p, "alpha", default=1e-4, positive=True)
        max_p = _num(p, "max_p", default=0.9, positive=True)
        if alpha >= 1 or max_p >= 1:
            raise RuleError("parameters “alpha” and “max_p” must be below 1")
        max_hours = int(_num(p, "max_hours", default=24, positive=True))
        if max_p**max_hours < alpha:
            raise RuleError("max_p ** max_hours must stay above alpha, or normal busy hours alone would alert")
        return cls(
            alpha,
            _num(p, "min_flow", default=0.001, positive=True),
            max_p,
            int(_num(p, "min_hours", default=2, positive=True)),
            max_hours,
            _num(p, "surge_factor", default=2.0, minimum=1.0),
            int(_num(p, "max_gap_hours", default=2, minimum=0)),
            int(_num(p, "days", default=28, positive=True)),
            int(_num(p, "min_history_days", default=14, positive=True)),
            _level(p, "orange"),
        )

    def _history(self, s: HourlySeries, day0: int):
        """Sorted hourly volumes per hour of day over the ``days`` days before ``day0``, the household's
        record hour and the number of hours with data; None when the household has too little history."""
        key = ("flow_history", day0, self.days, self.min_flow)
        if key not in s.cache:
            seen_days, per_hour = s.profile(day0, self.days, self.min_flow)
            if seen_days < self.min_history_days:
                s.cache[key] = None
            else:
                hours = [sorted(xs) for xs in per_hour]
                record = max((xs[-1] for xs in hours if xs), default=0.0)
                s.cache[key] = (hours, record, sum(len(xs) for xs in hours))
        return s.cache[key]

    def _log_p(self, history, h: int, m: float) -> float:
        """log P_h(≥ m): this hour of day's share of days with ≥ m (Laplace-smoothed); a surge beyond
        ``surge_factor`` × the household's record hour counts as unseen in any hour of the history."""
        hours, record, total = history
        xs = hours[h]
        if record > 0 and m >= self.surge_factor * record:
            return math.log(1 / (total + 2))
        return math.log(min(self.max_p, (len(xs) - bisect.bisect_left(xs, m) + 1) / (len(xs) + 2)))

    def verdict_at(self, s: HourlySeries, i: int, current) -> Verdict:
        n = len(s.values)
        if not 0 < i <= n or s.values[i - 1] is None or (i > 1 and s.values[i - 2] is None):
            return Verdict.no_data()  # meter silent, or back from a gap with a reading that may carry it
        run: list[tuple[float, int]] = []  # (flow, hour of day), newest first
        gap = 0
        k = i - 1
        while k >= 0 and len(run) < self.max_hours:
            v = s.values[k]
            if v is not None and v < self.min_flow:
                break
            if v is None or (k > 0 and s.values[k - 1] is None):
                # missing, or the first hour back after a gap (it may carry the gap's volume)
                gap += 1
                if gap > self.max_gap_hours:
                    break
            else:
                gap = 0
                run.append((v, s.hour_of_day(k)))
            k -= 1
        if not run:
            return Verdict(None, 1.0)  # an hour without flow: the water stopped
        if len(run) < self.min_hours:
            return Verdict(self.level if current else None, 1.0)
        history = self._history(s, s.day_start_index(i - 1))
        if history is None:
            return Verdict.no_data()
        best = 0.0
        floor = math.inf
        for length, (v, _) in enumerate(run, 1):
            floor = min(floor, v)
            # the smallest product for a given floor is at the longest suffix with that floor
            if length < self.min_hours or (length < len(run) and run[length][0] >= floor):
                continue
            best = min(best, sum(self._log_p(history, h, floor) for _, h in run[:length]))
        probability = math.exp(best)
        # once raised, the alert holds while the water keeps running (no clear and re-raise each day)
        return Verdict(self.level if probability < self.alpha or current else None, probability)
