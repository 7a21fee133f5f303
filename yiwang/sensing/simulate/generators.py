"""Pure, seeded generators of device streams for ``yiwang simulate`` (no Django, no I/O).

:func:`build` turns a list of :class:`SimDevice` and a :class:`Plan` (period, scenarios, seed) into a
:class:`Simulation`: every device's readings ``(ts, value)`` sorted by time, and the notable
:class:`Event` s the scenarios placed (which gauges flood, which household falls silent, …).
The same seed, devices and period give the same readings; each device's stream depends only on the
seed and its own code (adding a device does not change the others).

Scenarios (the baseline — every device reporting normal values — always runs):

* ``rainstorm`` — a heavy rainstorm (peak 60-85 mm/h) over the middle of the period: rain gauges
  record it, water rises at the road low points (past the red level at a few "flood-prone" gauges,
  staying shallow elsewhere), some drainage pipes surcharge, one manhole cover is lifted at the peak;
* ``silent`` — an elderly household stops using water (the meter still reports zeros) from early in the
  period to its end; another household's meter drops out for 8 hours (a gap: silence, not inactivity);
* ``daily`` — the baseline alone: the meters' daily cycles, dry-weather flow in the pipes.

Meters report the use of the hour ending at ``ts`` (m³); rain gauges the rain of the interval (mm);
gauges the water depth over the road (m); pipe sensors the fill (%); tilt sensors the angle (°).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from yiwang.sensing.demo import (
    DRAIN_LEVEL,
    DRAIN_LEVELS,
    MANHOLE_TILT,
    RAIN_GAUGE,
    WATER_LEVEL,
    WATER_LEVELS,
    WATER_METER,
)

SCENARIOS = ("daily", "rainstorm", "silent")
LOCAL = ZoneInfo("Asia/Shanghai")
INTERVAL = {WATER_LEVEL: 300, DRAIN_LEVEL: 300, MANHOLE_TILT: 600, RAIN_GAUGE: 300, WATER_METER: 3600}
RED = WATER_LEVELS["red"]
DRAIN_FULL = DRAIN_LEVELS["red"]
OUTAGE_HOURS = 8
# probability that an elderly resident uses water in each local hour, and the mean use then (m³)
USE_P = (0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.65, 0.8, 0.55, 0.35, 0.35, 0.6,
         0.5, 0.25, 0.25, 0.3, 0.35, 0.6, 0.7, 0.5, 0.55, 0.45, 0.2, 0.08)  # fmt: skip
USE_MEAN = (0.006, 0.006, 0.006, 0.006, 0.006, 0.01, 0.025, 0.03, 0.02, 0.012, 0.012, 0.018,
            0.015, 0.01, 0.01, 0.01, 0.012, 0.02, 0.025, 0.018, 0.025, 0.02, 0.01, 0.006)  # fmt: skip


@dataclass(frozen=True)
class SimDevice:
    code: str
    type: str  # a device type code of yiwang.sensing.demo
    area: str = ""  # subdistrict code: the rain falls alike within one area
    key: str = ""  # its key (X-Device-Key / MQTT password)


@dataclass(frozen=True)
class Plan:
    start: datetime  # aware
    end: datetime
    scenarios: tuple[str, ...] = SCENARIOS
    seed: int = 1
    history_days: int = 0  # meters: days of normal use before ``start`` (the rules learn from them)
    gap_rate: float = 0.02  # meters: share of hourly readings that never arrive


@dataclass(frozen=True)
class Event:
    scenario: str
    device: str
    what: str
    at: datetime


@dataclass
class Simulation:
    plan: Plan
    readings: dict[str, list[tuple[datetime, float]]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(r) for r in self.readings.values())


def device_rng(seed: int, code: str, salt: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(code.encode()), salt])


def grid_times(start: datetime, end: datetime, interval: int, phase: int = 0) -> list[datetime]:
    """Times ``k * interval + phase`` seconds after the epoch within [start, end)."""
    t0 = start.timestamp()
    first = (int(t0 - phase) // interval + 1) * interval + phase
    if first - interval >= t0:
        first -= interval
    n = max(0, int((end.timestamp() - first) // interval) + 1)
    times = [datetime.fromtimestamp(first + k * interval, start.tzinfo) for k in range(n)]
    return [t for t in times if start <= t < end]


# --- the rainstorm ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Storm:
    begin: datetime
    peak: datetime
    end: datetime
    peak_mm_h: float

    def intensity(self, t: np.ndarray, lag_s: float = 0.0, factor: float = 1.0) -> np.ndarray:
        """Rain (mm/h) at epoch seconds ``t``: a skewed bell rising to the peak, then a longer tail."""
        t = t - lag_s
        b, p, e = self.begin.timestamp(), self.peak.timestamp(), self.end.timestamp()
        rise = np.clip((t - b) / (p - b), 0, 1)
        fall = np.clip((e - t) / (e - p), 0, 1)
        shape = np.where(t <= p, np.sin(rise * np.pi / 2) ** 2, fall**1.5)
        return np.where((t >= b) & (t <= e), self.peak_mm_h * factor * shape, 0.0)


def storm_for(plan: Plan) -> Storm:
    rng = np.random.default_rng([plan.seed, 101])
    span = plan.end - plan.start
    length = min(timedelta(hours=6), span * 0.5)
    begin = plan.start + span * 0.2
    return Storm(begin, begin + length * 0.35, begin + length, float(rng.uniform(60, 85)))


def _area_rain(plan: Plan, storm: Storm, area: str) -> tuple[float, float]:
    rng = device_rng(plan.seed, area or "-", 1)
    return float(rng.uniform(-900, 900)), float(rng.uniform(0.75, 1.2))  # lag (s), factor


def _flood_prone(devices: list[SimDevice], device_type: str, share: float, minimum: int, seed: int) -> set[str]:
    codes = sorted(d.code for d in devices if d.type == device_type)
    rng = np.random.default_rng([seed, 102, zlib.crc32(device_type.encode())])
    n = min(len(codes), max(minimum, round(share * len(codes))))
    return set(rng.choice(codes, size=n, replace=False).tolist()) if n else set()


def _ponding(rain_mm_h: np.ndarray, dt_s: float, capacity: float, drain_rate: float) -> np.ndarray:
    """Water stored at a low point: rain beyond the drains' capacity fills it, the drains empty it."""
    depth, out = 0.0, np.empty_like(rain_mm_h)
    for i, r in enumerate(rain_mm_h):
        depth += max(0.0, r - capacity) * dt_s / 3600 - drain_rate * depth * dt_s / 3600
        out[i] = max(0.0, depth)
    return out


def _scaled(curve: np.ndarray, peak: float) -> np.ndarray:
    top = float(curve.max())
    return curve * (peak / top) if top > 0 else curve


# --- per device kind -----------------------------------------------------------------------------


def _water_level(d, times, plan, storm, prone, sim) -> list[float]:
    rng = device_rng(plan.seed, d.code)
    t = np.array([x.timestamp() for x in times])
    values = np.abs(rng.normal(0, 0.003, len(t)))
    if storm is not None:
        lag, factor = _area_rain(plan, storm, d.area)
        pond = _ponding(storm.intensity(t, lag, factor), INTERVAL[WATER_LEVEL], 25, 1.2)
        peak = rng.uniform(0.45, 0.65) if d.code in prone else rng.uniform(0.0, 0.2)
        values = values + _scaled(pond, peak)
        if d.code in prone:
            crossed = next(times[i] for i, v in enumerate(values) if v >= RED)
            sim.events.append(Event("rainstorm", d.code, f"water passes the red level ({RED} m)", crossed))
    return np.round(values, 3).tolist()


def _drain(d, times, plan, storm, prone, sim) -> list[float]:
    rng = device_rng(plan.seed, d.code)
    t = np.array([x.timestamp() for x in times])
    hours = np.array([x.astimezone(LOCAL).hour + x.minute / 60 for x in times])
    base = rng.uniform(20, 35) + 8 * np.exp(-((hours - 8) ** 2) / 4) + 10 * np.exp(-((hours - 20) ** 2) / 6)
    values = base + rng.normal(0, 1.0, len(t))
    if storm is not None:
        lag, factor = _area_rain(plan, storm, d.area)
        load = _ponding(storm.intensity(t, lag + 600, factor), INTERVAL[DRAIN_LEVEL], 5, 0.8)
        peak = rng.uniform(115, 135) if d.code in prone else rng.uniform(20, 50)
        values = values + _scaled(load, peak)
        if d.code in prone:
            full = next(times[i] for i, v in enumerate(values) if v >= DRAIN_FULL)
            sim.events.append(Event("rainstorm", d.code, f"the pipe surcharges (over {DRAIN_FULL:g} %)", full))
    return np.round(np.clip(values, 0, 200), 1).tolist()


def _tilt(d, times, plan, storm, lifted, sim) -> list[float]:
    rng = device_rng(plan.seed, d.code)
    values = rng.uniform(0.2, 0.8) + rng.normal(0, 0.05, len(times))
    if storm is not None and d.code in lifted:
        at = storm.peak + timedelta(minutes=int(rng.integers(0, 40)))
        angle = rng.uniform(18, 30)
        values = np.where([x >= at for x in times], angle + rng.normal(0, 0.3, len(times)), values)
        sim.events.append(Event("rainstorm", d.code, f"the manhole cover is lifted ({angle:.0f}°)", at))
    return np.round(np.abs(values), 2).tolist()


def _rain(d, times, plan, storm, _prone, sim) -> list[float]:
    rng = device_rng(plan.seed, d.code)
    if storm is None:
        return [0.0] * len(times)
    lag, factor = _area_rain(plan, storm, d.area)
    t = np.array([x.timestamp() for x in times])
    mm = storm.intensity(t, lag, factor) * INTERVAL[RAIN_GAUGE] / 3600 * rng.lognormal(0, 0.15, len(t))
    return np.round(mm, 1).tolist()  # a tipping bucket of 0.1 mm


def meter_values(code: str, times: list[datetime], seed: int) -> list[float]:
    """Hourly use (m³) of an elderly resident living alone: morning, midday and evening peaks, quiet nights."""
    rng = device_rng(seed, code, 2)
    scale = float(rng.uniform(0.6, 1.4))
    shift = int(rng.integers(-1, 2))  # wakes an hour earlier or later
    out = []
    for ts in times:
        h = ((ts - timedelta(hours=1)).astimezone(LOCAL).hour - shift) % 24  # the hour that just ended
        used = rng.random() < USE_P[h]
        out.append(round(float(rng.lognormal(np.log(USE_MEAN[h] * scale), 0.5)), 4) if used else 0.0)
    return out


def _meters(devices, plan, sim) -> None:
    meters = sorted(d.code for d in devices if d.type == WATER_METER)
    silent, outage = None, None
    if "silent" in plan.scenarios and meters:
        rng = np.random.default_rng([plan.seed, 103])
        picks = rng.choice(meters, size=min(2, len(meters)), replace=False).tolist()
        silent = picks[0]
        outage = picks[1] if len(picks) > 1 else None
    span = plan.end - plan.start
    silent_from = plan.start + min(span * 0.1, timedelta(hours=3))
    outage_from = plan.start + span * 0.4
    for code in meters:
        times = grid_times(plan.start - timedelta(days=plan.history_days), plan.end, 3600)
        values = meter_values(code, times, plan.seed)
        gaps = device_rng(plan.seed, code, 3).random(len(times)) < plan.gap_rate
        rows = []
        for ts, v, gap in zip(times, values, gaps, strict=True):
            if code == outage and outage_from <= ts < outage_from + timedelta(hours=OUTAGE_HOURS):
                continue
            if gap and ts >= plan.start:  # the history the rules learn from is complete
                continue
            rows.append((ts, 0.0 if code == silent and ts >= silent_from else v))
        sim.readings[code] = rows
    if silent:
        sim.events.append(Event("silent", silent, "the household stops using water", silent_from))
    if outage:
        sim.events.append(Event("silent", outage, f"the meter drops out for {OUTAGE_HOURS} h (a gap)", outage_from))


KINDS = {WATER_LEVEL: _water_level, DRAIN_LEVEL: _drain, MANHOLE_TILT: _tilt, RAIN_GAUGE: _rain}


def build(devices: list[SimDevice], plan: Plan) -> Simulation:
    """All readings of ``devices`` over ``plan`` (see the module doc)."""
    unknown = set(plan.scenarios) - set(SCENARIOS)
    if unknown:
        raise ValueError(f"unknown scenario {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    if plan.end <= plan.start:
        raise ValueError("the period must end after it starts")
    sim = Simulation(plan)
    storm = storm_for(plan) if "rainstorm" in plan.scenarios else None
    if storm is not None:
        sim.events.append(Event("rainstorm", "", f"rain begins (peak {storm.peak_mm_h:.0f} mm/h)", storm.begin))
    special = {
        WATER_LEVEL: _flood_prone(devices, WATER_LEVEL, 0.12, 2, plan.seed),
        DRAIN_LEVEL: _flood_prone(devices, DRAIN_LEVEL, 0.08, 1, plan.seed),
        MANHOLE_TILT: _flood_prone(devices, MANHOLE_TILT, 0.0, 1, plan.seed),
        RAIN_GAUGE: set(),
    }
    for d in devices:
        if d.type in KINDS:
            phase = int(device_rng(plan.seed, d.code, 4).integers(0, 60))
            times = grid_times(plan.start, plan.end, INTERVAL[d.type], phase)
            values = KINDS[d.type](d, times, plan, storm, special[d.type], sim)
            sim.readings[d.code] = list(zip(times, values, strict=True))
    _meters(devices, plan, sim)
    sim.events.sort(key=lambda e: (e.at, e.device))
    return sim
