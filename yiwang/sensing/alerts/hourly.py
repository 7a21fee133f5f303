"""Rule kinds over hourly consumption (water steward 水管家): quiet windows, continuous flow, baselines.

Readings are summed into hourly buckets (:class:`HourlySeries`); an hour without any reading is
*missing* (``None``) — a meter gap, never an hour of zero use. Every kind checks its coverage and
returns a silent verdict instead of an inactivity verdict when too few hours arrived.

Each kind answers ``verdict_at(series, i, current)`` for the evaluation time ``series.start + i``
hours (hours ``< i`` are complete), so that replays over months stay linear; ``verdict(readings, now,
current)`` builds the series from raw readings for live use.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ._common import RuleError, Verdict, _coverage, _level, _num

HOUR = timedelta(hours=1)


def floor_hour(ts: datetime) -> datetime:
    return ts.replace(minute=0, second=0, microsecond=0)


@dataclass
class HourlySeries:
    start: datetime  # hour-aligned
    values: list[float | None]
    cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_readings(cls, readings: Iterable, end: datetime | None = None) -> HourlySeries:
        buckets: dict[datetime, float] = {}
        for r in readings:
            hour = floor_hour(r.ts)
            buckets[hour] = buckets.get(hour, 0.0) + r.value
        if not buckets:
            start = floor_hour(end) if end else datetime.min
            return cls(start, [])
        start = min(buckets)
        last = floor_hour(end) - HOUR if end else max(buckets)
        n = max(0, int((last - start) / HOUR) + 1)
        values: list[float | None] = [None] * n
        for hour, v in buckets.items():
            k = int((hour - start) / HOUR)
            if 0 <= k < n:
                values[k] = v
        return cls(start, values)

    def hour_of_day(self, k: int) -> int:
        return (self.start.hour + k) % 24

    def day_start_index(self, k: int) -> int:
        """Index of local midnight of the day containing hour ``k``."""
        return k - self.hour_of_day(k)

    def profile(self, day0: int, days: int, eps: float) -> tuple[int, list[list[float]]]:
        """(days with data, per hour-of-day values) over the ``days`` days before index ``day0``."""
        key = ("profile", day0, days, eps)
        if key not in self.cache:
            per_hour: list[list[float]] = [[] for _ in range(24)]
            seen_days = 0
            for d in range(days):
                lo = day0 - (d + 1) * 24
                if lo + 24 <= 0:
                    break
                any_data = False
                for h in range(24):
                    k = lo + h
                    v = self.values[k] if 0 <= k < len(self.values) else None
                    if v is not None:
                        per_hour[self.hour_of_day(k)].append(v)
                        any_data = True
                seen_days += any_data
            self.cache[key] = (seen_days, per_hour)
        return self.cache[key]


def _index(series: HourlySeries, now: datetime) -> int:
    return int((floor_hour(now) - series.start) / HOUR)


class _HourlyKind:
    def verdict(self, readings, now, current) -> Verdict:
        series = HourlySeries.from_readings(readings, end=now)
        if not series.values:
            return Verdict.no_data()
        return self.verdict_at(series, _index(series, now), current)


@dataclass(frozen=True)
class NoConsumption(_HourlyKind):
    """Less than ``max_total`` used over the last ``hours`` daytime hours (night hours do not count)."""

    max_total: float
    hours: int
    day_start: int
    day_end: int
    min_coverage: float
    level: str

    @property
    def lookback(self) -> timedelta:
        daily = self.day_end - self.day_start
        return timedelta(hours=(self.hours // daily + 2) * 24)

    @classmethod
    def parse(cls, p: dict) -> NoConsumption:
        day_start = int(_num(p, "day_start", default=7, minimum=0))
        day_end = int(_num(p, "day_end", default=22, minimum=1))
        if not day_start < day_end <= 24:
            raise RuleError("daytime must satisfy 0 ≤ day_start < day_end ≤ 24")
        return cls(
            _num(p, "max_total", default=0.01, minimum=0.0),
            int(_num(p, "hours", default=12, positive=True)),
            day_start,
            day_end,
            _coverage(p),
            _level(p, "orange"),
        )

    def verdict_at(self, s: HourlySeries, i: int, current) -> Verdict:
        seen = wanted = 0
        total = 0.0
        k = i - 1
        while wanted < self.hours and k >= 0:
            if self.day_start <= s.hour_of_day(k) < self.day_end:
                wanted += 1
                v = s.values[k] if k < len(s.values) else None
                if v is not None:
                    seen += 1
                    total += v
            k -= 1
        if wanted < self.hours or seen < self.min_coverage * self.hours:
            return Verdict.no_data()
        return Verdict(self.level if total < self.max_total else None, total)


@dataclass(frozen=True)
class ContinuousFlow(_HourlyKind):
    """Flow of at least ``min_flow`` in every hour of the last ``hours`` (a leak, a tap left open)."""

    min_flow: float
    hours: int
    min_coverage: float
    level: str

    @property
    def lookback(self) -> timedelta:
        return timedelta(hours=self.hours + 1)

    @classmethod
    def parse(cls, p: dict) -> ContinuousFlow:
        cov = _num(p, "min_coverage", default=1.0, positive=True)
        if cov > 1:
            raise RuleError("parameter “min_coverage” must be at most 1")
        return cls(
            _num(p, "min_flow", default=0.001, positive=True),
            int(_num(p, "hours", default=2, positive=True)),
            cov,
            _level(p, "orange"),
        )

    def verdict_at(self, s: HourlySeries, i: int, current) -> Verdict:
        values = [s.values[k] if 0 <= k < len(s.values) else None for k in range(i - self.hours, i)]
        present = [v for v in values if v is not None]
        if not present or len(present) < self.min_coverage * self.hours:
            return Verdict.no_data()
        return Verdict(self.level if all(v >= self.min_flow for v in present) else None, min(present))


def _baseline_params(p: dict) -> dict:
    return {
        "days": int(_num(p, "days", default=28, positive=True)),
        "min_history_days": int(_num(p, "min_history_days", default=14, positive=True)),
        "eps": _num(p, "eps", default=0.001, positive=True),
        "min_coverage": _coverage(p),
        "level": _level(p, "orange"),
    }


@dataclass(frozen=True)
class BaselineDeviation(_HourlyKind):
    """Today's cumulative use far below the household's own expected cumulative (median/MAD per hour)."""

    ratio: float
    z: float
    min_expected: float
    day_start: int
    days: int
    min_history_days: int
    eps: float
    min_coverage: float
    level: str

    @property
    def lookback(self) -> timedelta:
        return timedelta(days=self.days + 1)

    @classmethod
    def parse(cls, p: dict) -> BaselineDeviation:
        return cls(
            _num(p, "ratio", default=0.1, positive=True),
            _num(p, "z", default=3.0, positive=True),
            _num(p, "min_expected", default=0.05, positive=True),
            int(_num(p, "day_start", default=6, minimum=0)),
            **_baseline_params(p),
        )

    def verdict_at(self, s: HourlySeries, i: int, current) -> Verdict:
        day0 = s.day_start_index(i - 1)
        seen_days, per_hour = s.profile(day0, self.days, self.eps)
        if seen_days < self.min_history_days:
            return Verdict.no_data()
        stats = s.cache.setdefault(("medmad", day0, self.days, self.eps), {})
        expected = observed = var = 0.0
        present = wanted = 0
        for k in range(day0 + self.day_start, i):
            h = s.hour_of_day(k)
            wanted += 1
            v = s.values[k] if 0 <= k < len(s.values) else None
            if v is None:
                continue
            present += 1
            if h not in stats:
                xs = per_hour[h] or [0.0]
                med = statistics.median(xs)
                stats[h] = (med, statistics.median(abs(x - med) for x in xs))
            med, mad = stats[h]
            expected += med
            observed += v
            var += (1.4826 * mad) ** 2
        if wanted == 0 or present < self.min_coverage * wanted or expected < self.min_expected:
            return Verdict.no_data() if present < self.min_coverage * wanted else Verdict(None, observed)
        spread = math.sqrt(var) + self.eps
        low = observed < self.ratio * expected and (expected - observed) / spread >= self.z
        return Verdict(self.level if low else None, observed)


@dataclass(frozen=True)
class QuietLikelihood(_HourlyKind):
    """Alert when the quiet hours since the last use would be improbable for this household.

    From the last ``days`` days: p[h] = (days with use in hour-of-day h + 1) / (days with data + 2).
    The run of quiet observed hours back from now has probability ∏(1 − p[h]) if the resident were
    living as usual; night hours (p ≈ 0) add nothing. Alert when it falls below ``alpha``. Silent
    (no verdict) when fewer than ``min_coverage`` of the run's hours, or none of the last
    ``recent_hours``, arrived — unless the quiet hours observed without a break since the newest gap
    are improbable on their own (a quiet day right after a day the meter was silent).
    """

    alpha: float
    max_p: float
    max_hours: int
    recent_hours: int
    days: int
    min_history_days: int
    eps: float
    min_coverage: float
    level: str

    @property
    def lookback(self) -> timedelta:
        return timedelta(days=self.days + 1, hours=self.max_hours)

    @classmethod
    def parse(cls, p: dict) -> QuietLikelihood:
        alpha = _num(p, "alpha", default=1e-3, positive=True)
        max_p = _num(p, "max_p", default=0.9, positive=True)
        if alpha >= 1 or max_p >= 1:
            raise RuleError("parameters “alpha” and “max_p” must be below 1")
        return cls(
            alpha,
            max_p,
            int(_num(p, "max_hours", default=48, positive=True)),
            int(_num(p, "recent_hours", default=3, positive=True)),
            **_baseline_params(p),
        )

    def _p_use(self, s: HourlySeries, day0: int) -> list[float] | None:
        key = ("p_use", day0, self.days, self.eps, self.max_p)
        if key not in s.cache:
            seen_days, per_hour = s.profile(day0, self.days, self.eps)
            if seen_days < self.min_history_days:
                s.cache[key] = None
            else:
                s.cache[key] = [min(self.max_p, (sum(v > self.eps for v in xs) + 1) / (len(xs) + 2)) for xs in per_hour]
        return s.cache[key]

    def verdict_at(self, s: HourlySeries, i: int, current) -> Verdict:
        n = len(s.values)
        if not any(0 <= k < n and s.values[k] is not None for k in range(i - self.recent_hours, i)):
            return Verdict.no_data()
        log_p = unbroken = 0.0  # unbroken: the fully observed quiet hours since the newest gap
        run = present = 0
        contiguous = True
        cached_day, p_use = None, None
        k = i - 1
        while k >= 0 and run < self.max_hours:
            v = s.values[k] if k < n else None
            if v is not None and v > self.eps:
                break
            run += 1
            if v is None:
                contiguous = False
            else:
                present += 1
                day0 = s.day_start_index(i - 1)
                if cached_day != day0:
                    cached_day, p_use = day0, self._p_use(s, day0)
                if p_use is None:
                    return Verdict.no_data()
                term = math.log1p(-p_use[s.hour_of_day(k)])
                log_p += term
                unbroken += term if contiguous else 0.0
            k -= 1
        if math.exp(unbroken) < self.alpha:  # the hours observed since the gap suffice on their own
            return Verdict(self.level, math.exp(unbroken))
        if run and present < self.min_coverage * run:
            return Verdict.no_data()
        probability = math.exp(log_p)
        return Verdict(self.level if probability < self.alpha else None, probability)
