"""Pure alert rule engine of the sensing context (no Django).

A rule turns the recent readings of one device into a :class:`Verdict` — a level (``blue`` <
``yellow`` < ``orange`` < ``red``), ``None`` for "condition not present", or *silent* when the
readings are too sparse to judge. :func:`step` turns the verdict and the current state of the
(device, condition) pair into state transitions (``raise`` / ``update`` / ``clear``).

Missing data is never inactivity: every window rule checks its coverage first and returns a silent
verdict (state unchanged, ``Result.silent`` set) when too few readings arrived.

Kinds (``make_rule(kind, params)`` validates the parameters):

* ``threshold`` — graded levels with hysteresis: raise at ≥ level, clear only below level − hysteresis;
* ``duration`` — value ≥ ``above`` during the last ``minutes``;
* ``rate_of_rise`` — rise per hour over ``window_hours`` ≥ ``per_hour``;
* ``no_consumption`` — less than ``max_total`` over the last ``hours`` daytime hours;
* ``continuous_flow`` — flow ≥ ``min_flow`` in every hour of the last ``hours``;
* ``baseline_deviation`` — today's cumulative use far below the household's own 28-day profile;
* ``quiet_likelihood`` — the run of quiet hours since the last use would be improbable for this
  household (its own per-hour probability of use), see :mod:`.hourly`;
* ``flow_likelihood`` — the current run of flowing hours would be improbable for this household
  (a running cistern at night, a tap left open), see :mod:`.leak`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ._common import (  # noqa: F401 (re-exported)
    CLEAR,
    LEVELS,
    RAISE,
    RANK,
    UPDATE,
    Reading,
    Result,
    RuleError,
    Transition,
    Verdict,
    _level,
    _num,
)
from .hourly import BaselineDeviation, ContinuousFlow, HourlySeries, NoConsumption, QuietLikelihood, floor_hour
from .leak import FlowLikelihood

# --- rule kinds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    levels: tuple[tuple[str, float], ...]  # ascending by rank
    hysteresis: float
    lookback = timedelta(hours=6)

    @classmethod
    def parse(cls, p: dict) -> Threshold:
        raw = p.get("levels")
        if not isinstance(raw, dict) or not raw:
            raise RuleError("parameter “levels” must map level names to thresholds")
        levels = []
        for name in sorted(raw, key=lambda n: RANK.get(n, -1)):
            if name not in RANK:
                raise RuleError(f"unknown level “{name}”")
            levels.append((name, _num(raw, name)))
        values = [v for _, v in levels]
        if values != sorted(values) or len(set(values)) != len(values):
            raise RuleError("thresholds must rise strictly from blue to red")
        return cls(tuple(levels), _num(p, "hysteresis", default=0.0, minimum=0.0))

    def level_for(self, value: float, current: str | None) -> str | None:
        cur = RANK[current] if current else -1
        found = None
        for name, threshold in self.levels:
            limit = threshold - self.hysteresis if RANK[name] <= cur else threshold
            if value >= limit:
                found = name
        return found

    def verdict(self, readings: Sequence[Reading], now: datetime, current: str | None) -> Verdict:
        if not readings:
            return Verdict.no_data()
        value = readings[-1].value
        return Verdict(self.level_for(value, current), value)


@dataclass(frozen=True)
class Duration:
    above: float
    minutes: float
    max_gap_minutes: float
    level: str

    @property
    def lookback(self) -> timedelta:
        return timedelta(minutes=self.minutes + self.max_gap_minutes)

    @classmethod
    def parse(cls, p: dict) -> Duration:
        return cls(
            _num(p, "above"),
            _num(p, "minutes", positive=True),
            _num(p, "max_gap_minutes", default=15, positive=True),
            _level(p),
        )

    def verdict(self, readings, now, current) -> Verdict:
        start = now - timedelta(minutes=self.minutes)
        window = [r for r in readings if r.ts >= start]
        before = [r for r in readings if r.ts < start]
        if not window:
            return Verdict.no_data()
        # the value at the window start is the last reading before it (if recent enough)
        points = ([before[-1]] if before else []) + window
        gap = timedelta(minutes=self.max_gap_minutes)
        times = [points[0].ts] + [r.ts for r in points] + [now]
        if points[0].ts > start + gap or any(b - a > gap for a, b in zip(times[1:], times[2:], strict=False)):
            return Verdict.no_data()
        ok = all(r.value >= self.above for r in points)
        return Verdict(self.level if ok else None, window[-1].value)


@dataclass(frozen=True)
class RateOfRise:
    per_hour: float
    window_hours: float
    level: str

    @property
    def lookback(self) -> timedelta:
        return timedelta(hours=self.window_hours)

    @classmethod
    def parse(cls, p: dict) -> RateOfRise:
        return cls(_num(p, "per_hour", positive=True), _num(p, "window_hours", positive=True), _level(p))

    def verdict(self, readings, now, current) -> Verdict:
        window = [r for r in readings if r.ts >= now - self.lookback]
        if len(window) < 2 or (window[-1].ts - window[0].ts) < self.lookback / 2:
            return Verdict.no_data()
        hours = (window[-1].ts - window[0].ts).total_seconds() / 3600
        rate = (window[-1].value - window[0].value) / hours
        return Verdict(self.level if rate >= self.per_hour else None, rate)


KINDS = {
    "threshold": Threshold,
    "duration": Duration,
    "rate_of_rise": RateOfRise,
    "no_consumption": NoConsumption,
    "continuous_flow": ContinuousFlow,
    "baseline_deviation": BaselineDeviation,
    "quiet_likelihood": QuietLikelihood,
    "flow_likelihood": FlowLikelihood,
}


def make_rule(kind: str, params: dict):
    """Validated rule object of ``kind`` (raises :class:`RuleError`)."""
    if kind not in KINDS:
        raise RuleError(f"unknown rule kind “{kind}”")
    if not isinstance(params, dict):
        raise RuleError("parameters must be an object")
    return KINDS[kind].parse(params)


# --- state transitions --------------------------------------------------------------------------


def step(device: str, condition: str, current: str | None, verdict: Verdict, at: datetime) -> Result:
    """Transitions from ``current`` given ``verdict``; a silent verdict keeps the state."""
    if verdict.silent:
        return Result(silent=True, level=current)
    new = verdict.level
    if new == current:
        return Result(level=current)
    if current is None:
        kind = RAISE
    elif new is None:
        kind = CLEAR
    else:
        kind = UPDATE
    return Result([Transition(device, condition, kind, new, current, at, verdict.value)], level=new)


def evaluate(rule, device: str, condition: str, readings: Sequence[Reading], now: datetime, current=None) -> Result:
    """Evaluate one rule for one device at ``now`` (``readings`` sorted by time, up to ``now``)."""
    return step(device, condition, current, rule.verdict(readings, now, current), now)


def replay(
    rule,
    readings: Iterable[Reading],
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    every: timedelta = timedelta(hours=1),
    device: str = "",
    condition: str = "",
) -> list[Transition]:
    """The transitions ``rule`` would have produced evaluating every ``every`` over ``readings``."""
    data = sorted(readings, key=lambda r: r.ts)
    if not data:
        return []
    hourly_kind = hasattr(rule, "verdict_at")
    now = start or (floor_hour(data[0].ts) if hourly_kind else data[0].ts)
    end = end or data[-1].ts + every
    current = None
    out: list[Transition] = []
    series = HourlySeries.from_readings(data, end=end + every) if hourly_kind else None
    times = [r.ts for r in data]
    lookback = rule.lookback
    while now <= end:
        if series is not None and now == now.replace(minute=0, second=0, microsecond=0):
            verdict = rule.verdict_at(series, int((now - series.start) / timedelta(hours=1)), current)
        else:
            hi = bisect.bisect_right(times, now)
            lo = bisect.bisect_left(times, now - lookback)
            verdict = rule.verdict(data[lo:hi], now, current)
        result = step(device, condition, current, verdict, now)
        out.extend(result.transitions)
        current = result.level
        now += every
    return out


__all__ = [
    "CLEAR",
    "KINDS",
    "LEVELS",
    "RAISE",
    "UPDATE",
    "HourlySeries",
    "Reading",
    "Result",
    "RuleError",
    "Transition",
    "Verdict",
    "evaluate",
    "make_rule",
    "replay",
    "step",
]
