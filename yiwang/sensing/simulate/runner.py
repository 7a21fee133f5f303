"""Play a :class:`~.generators.Simulation` into a sink on a simulated clock that runs ``speed`` times faster
than real time, printing progress and the scenario's events as the clock passes them."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .generators import LOCAL, Event, Simulation

FAST_STEP = timedelta(minutes=15)  # speed 0 (as fast as possible): simulated time sent per tick


@dataclass
class RunReport:
    history: int = 0  # readings before the period (meters' history)
    live: int = 0  # readings of the period
    events: list[Event] = field(default_factory=list)
    seconds: float = 0.0
    unacknowledged: int = 0


def period(duration: timedelta, speed: float, now: datetime) -> tuple[datetime, datetime]:
    """The simulated period: it ends when the run ends, so simulated time never runs ahead of real time
    (the ingestion refuses observations from the future)."""
    real = duration / speed if speed > 0 else timedelta(0)
    start = now - duration + real
    return start, start + duration


def _local(ts: datetime) -> str:
    return ts.astimezone(LOCAL).strftime("%m-%d %H:%M")


def run(
    sim: Simulation,
    keys: dict[str, str],
    sink,
    *,
    speed: float,
    tick: float = 0.5,
    progress: Callable[[str], None] = print,
    every: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """Send the history first (in bulk), then the period's readings as the simulated clock passes them."""
    plan, report = sim.plan, RunReport()
    began = clock()
    timeline: list[tuple[datetime, str, int, float]] = []
    for code, rows in sim.readings.items():
        past = [r for r in rows if r[0] < plan.start]
        if past:
            sink.send(code, keys.get(code, ""), past, 0)
            report.history += len(past)
        timeline.extend((ts, code, seq, value) for seq, (ts, value) in enumerate(rows) if ts >= plan.start)
    if report.history:
        meters = sum(1 for rows in sim.readings.values() if rows and rows[0][0] < plan.start)
        progress(f"history: {report.history:,} readings of {meters} meters before {_local(plan.start)} sent")
    timeline.sort()
    events = list(sim.events)
    progress(
        f"simulating {_local(plan.start)} → {_local(plan.end)} (Asia/Shanghai) at {speed:g}× "
        f"({len(timeline):,} readings of {len(sim.readings)} devices, scenarios {', '.join(plan.scenarios)})"
        if speed > 0
        else f"simulating {_local(plan.start)} → {_local(plan.end)} as fast as possible ({len(timeline):,} readings)"
    )
    i, real0, last_print, fast_now = 0, clock(), clock(), plan.start
    while i < len(timeline) or events:
        if speed > 0:
            now = plan.start + timedelta(seconds=(clock() - real0) * speed)
        else:
            fast_now += FAST_STEP
            now = fast_now
        due: dict[str, list] = defaultdict(list)
        while i < len(timeline) and timeline[i][0] <= now:
            ts, code, seq, value = timeline[i]
            if not due[code]:
                due[code].append(seq)
            due[code].append((ts, value))
            i += 1
        for code, items in due.items():
            sink.send(code, keys.get(code, ""), items[1:], items[0])
            report.live += len(items) - 1
        while events and events[0].at <= now:
            event = events.pop(0)
            report.events.append(event)
            progress(f"  {_local(event.at)}  {event.scenario}: {event.device or 'district'} — {event.what}")
        if clock() - last_print >= every:
            last_print = clock()
            progress(f"{_local(min(now, plan.end))}  {report.live:,}/{len(timeline):,} readings sent")
        if now >= plan.end and i >= len(timeline):
            break
        if speed > 0:
            sleep(tick)
    report.unacknowledged = sink.close()
    report.seconds = clock() - began
    progress(
        f"done: {report.history + report.live:,} readings sent in {report.seconds:.1f} s"
        + (f", {report.unacknowledged} messages not acknowledged by the broker" if report.unacknowledged else "")
    )
    return report
