"""Water steward (水管家) benchmark: inactivity and leak rules on synthetic hourly consumption.

Generates realistic hourly water use for N households (elderly living alone, a minority with
irregular days out) over M months: morning and evening peaks, quieter and later weekends, outings of
a few hours, multi-day absences (trips to family — a realistic source of false alarms, NOT excluded),
meter gaps (missing hours, whole missing days, multi-day outages), and injected incidents:

* inactivity — 24 hours of no use from a random hour (a fall, an illness);
* leak — 3 to 12 hours of continuous flow (a tap left on, a running cistern).

Each rule is replayed hour by hour with :func:`yiwang.sensing.alerts.rules.replay`. Reported per
rule: false alarms per household-month (raises outside an incident of the rule's target), the share
of incidents detected within their 24 hours (leaks: within their duration + 1 h), the median delay.

    .venv/bin/python benchmarks/bench_water_steward.py --households 500 --months 6
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from yiwang.sensing.alerts.rules import RAISE, Reading, make_rule, replay  # noqa: E402

T0 = datetime(2026, 1, 5, 0, 0)  # a Monday
WARMUP_DAYS = 35  # incidents only after the baselines have history

RULES = {
    # (kind, params, target)
    "no_use_12h_any_hour": (
        "no_consumption",
        {"max_total": 0.01, "hours": 12, "day_start": 0, "day_end": 24},
        "inactivity",
    ),
    "no_use_12_daytime_h": (
        "no_consumption",
        {"max_total": 0.01, "hours": 12, "day_start": 7, "day_end": 22},
        "inactivity",
    ),
    "baseline_deviation": ("baseline_deviation", {"ratio": 0.1, "z": 3.0, "min_expected": 0.05}, "inactivity"),
    "quiet_likelihood": ("quiet_likelihood", {"alpha": 1e-3, "max_p": 0.9}, "inactivity"),
    "quiet_likelihood_3e-4": ("quiet_likelihood", {"alpha": 3e-4, "max_p": 0.9}, "inactivity"),
    "continuous_flow_2h": ("continuous_flow", {"min_flow": 0.001, "hours": 2}, "leak"),
    "continuous_flow_6h": ("continuous_flow", {"min_flow": 0.003, "hours": 6}, "leak"),
}


@dataclass
class Household:
    readings: list[Reading]
    inactivity: list[datetime]
    leaks: list[tuple[datetime, int]]


def _persona(rng: random.Random) -> dict:
    irregular = rng.random() < 0.2
    return {
        "wake": rng.gauss(6.5, 0.8),
        "sleep": rng.gauss(21.5, 0.8),
        "day_p": rng.uniform(0.25, 0.55) if irregular else rng.uniform(0.45, 0.85),
        "outing_p": 0.35 if irregular else 0.12,
        "scale": rng.lognormvariate(math.log(0.02), 0.35),
        "trips": rng.choice([0, 0, 1, 1, 1, 2, 3]),
    }


def household(seed: int, days: int) -> Household:
    rng = random.Random(seed)
    p = _persona(rng)
    n = days * 24
    away = [False] * n
    for _ in range(p["trips"]):  # multi-day absences
        start = rng.randrange(0, n - 24 * 6)
        for k in range(start, min(n, start + rng.randint(30, 120))):
            away[k] = True
    use = [0.0] * n
    for day in range(days):
        weekend = (T0 + timedelta(days=day)).weekday() >= 5
        wake = p["wake"] + (1.0 if weekend else 0.0) + rng.gauss(0, 0.4)
        sleep = p["sleep"] + rng.gauss(0, 0.4)
        outing = None
        if rng.random() < p["outing_p"]:
            s = rng.uniform(wake + 2, sleep - 5)
            outing = (s, s + rng.uniform(2, 6))
        for h in range(24):
            k = day * 24 + h
            if away[k]:
                continue
            if h + 1 <= wake or h >= sleep + 0.5:
                prob, size = 0.04, 0.3
            elif h < wake + 2:
                prob, size = 0.95, 2.0
            elif h >= sleep - 3:
                prob, size = 0.85, 1.6
            else:
                prob, size = min(0.95, p["day_p"] + (0.1 if weekend else 0)), 1.0
            if outing and outing[0] <= h < outing[1]:
                prob = 0.0
            if rng.random() < prob:
                use[k] = round(p["scale"] * size * rng.lognormvariate(0, 0.5), 4)
    inactivity, leaks = [], []
    free = [k for k in range(WARMUP_DAYS * 24, n - 48) if not any(away[k : k + 24])]
    if free:
        start = rng.choice(free)
        inactivity.append(T0 + timedelta(hours=start))
        for k in range(start, start + 24):
            use[k] = 0.0
        lk = (start + 24 * rng.randint(5, 20)) % (n - 24 - WARMUP_DAYS * 24) + WARMUP_DAYS * 24
        hours = rng.randint(3, 12)
        leaks.append((T0 + timedelta(hours=lk), hours))
        flow = rng.uniform(0.004, 0.03)
        for k in range(lk, min(n, lk + hours)):
            use[k] = round(use[k] + flow, 4)
    present = [True] * n
    for k in range(n):  # missing hours (~1.5 %)
        if rng.random() < 0.015:
            present[k] = False
    for _ in range(rng.randint(0, days // 30 + 1)):  # whole missing days
        d = rng.randrange(days)
        present[d * 24 : d * 24 + 24] = [False] * 24
    if rng.random() < 0.1:  # a multi-day outage
        s, length = rng.randrange(n - 96), rng.randint(48, 96)
        present[s : s + length] = [False] * length
    readings = [Reading(T0 + timedelta(hours=k, minutes=59), use[k]) for k in range(n) if present[k]]
    return Household(readings, inactivity, leaks)


def score(name: str, households: list[Household], days: int) -> dict:
    kind, params, target = RULES[name]
    rule = make_rule(kind, params)
    false_alarms, delays, incidents = 0, [], 0
    for hh in households:
        fired = [t for t in replay(rule, hh.readings, end=T0 + timedelta(days=days)) if t.kind == RAISE]
        windows = (
            [(s, s + timedelta(hours=24)) for s in hh.inactivity]
            if target == "inactivity"
            else [(s, s + timedelta(hours=h + 1)) for s, h in hh.leaks]
        )
        incidents += len(windows)
        for s, e in windows:
            hit = [t.at for t in fired if s < t.at <= e]
            if hit:
                delays.append((hit[0] - s) / timedelta(hours=1))
        false_alarms += sum(1 for t in fired if not any(s < t.at <= e for s, e in windows))
    months = len(households) * days / 30.4
    return {
        "rule": name,
        "target": target,
        "false_per_household_month": false_alarms / months,
        "detected": len(delays) / incidents if incidents else float("nan"),
        "median_delay_h": statistics.median(delays) if delays else float("nan"),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rules", nargs="*", default=list(RULES))
    args = parser.parse_args(argv)
    days = int(args.months * 30.4)
    began = time.perf_counter()
    households = [household(args.seed * 100_003 + i, days) for i in range(args.households)]
    print(f"# {args.households} households × {days} days, generated in {time.perf_counter() - began:.1f}s")
    print(f"# {platform.platform()} / Python {platform.python_version()} / {platform.processor() or 'cpu'}")
    print("| rule | target | false alarms / household-month | detected | median delay (h) | time (s) |")
    print("|---|---|---|---|---|---|")
    for name in args.rules:
        t = time.perf_counter()
        r = score(name, households, days)
        print(
            f"| {r['rule']} | {r['target']} | {r['false_per_household_month']:.3f} | {r['detected']:.1%} "
            f"| {r['median_delay_h']:.1f} | {time.perf_counter() - t:.1f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
