"""Synthetic hourly water use of elderly residents living alone, with injected incidents and meter gaps.

Used by ``bench_water_steward.py``. One household = one seed; everything is reproducible.

Normal use: per-household wake/sleep hours, morning and evening peaks, daytime use probability
0.45–0.85 (20 % "irregular" households 0.25–0.55 with frequent outings of 2–6 h; 10 % "busy"
households 0.85–0.95 with twice the volume — a carer or family staying), weekends an hour later and
busier; night use (toilet visits, nocturia 夜尿) with a per-household probability of 0.02–0.20 per
night hour, a flush of ~6 L; 0–3 multi-day absences (trips to family, 30–120 h of zero use).

Incidents (after a 35-day warm-up, outside absences, never overlapping each other):

* inactivity — 24 hours of no use from a random hour (a fall, an illness);
* leaks, two per household, each one of
  - ``cistern``: a running toilet cistern, 0.005–0.04 m³/h for 3–24 h;
  - ``trickle``: a slow cistern leak or a dripping tap, 0.002–0.005 m³/h for 6–48 h;
  - ``open_tap``: a tap left running, 0.2–0.6 m³/h for 2–8 h;
  starting at a random hour (so about a third run through the night), on top of normal use.

Meter gaps: 1.5 % missing hours, whole missing days (~1 a month), a 2–4-day outage in 10 % of
households; after 30 % of gaps the meter reports the gap's volume in its first hour back (a catch-up
reading), the others are lost.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from yiwang.sensing.alerts.rules import Reading

T0 = datetime(2026, 1, 5, 0, 0)  # a Monday
WARMUP_DAYS = 35  # incidents only after the baselines have history
NIGHT = {23, 0, 1, 2, 3, 4}  # hours of day counted as "night" for the leak breakdown

LEAK_KINDS = {  # kind: (flow m³/h range, duration h range, share)
    "cistern": ((0.005, 0.04), (3, 24), 0.45),
    "trickle": ((0.002, 0.005), (6, 48), 0.25),
    "open_tap": ((0.2, 0.6), (2, 8), 0.30),
}


@dataclass
class Leak:
    start: datetime
    hours: int
    kind: str
    night: bool  # runs through at least one hour of 23:00–05:00


@dataclass
class Household:
    readings: list[Reading]
    inactivity: list[datetime]
    leaks: list[Leak]


def _persona(rng: random.Random) -> dict:
    r = rng.random()
    irregular, busy = r < 0.2, r > 0.9
    if irregular:
        day_p = rng.uniform(0.25, 0.55)
    elif busy:
        day_p = rng.uniform(0.85, 0.95)
    else:
        day_p = rng.uniform(0.45, 0.85)
    return {
        "wake": rng.gauss(6.5, 0.8),
        "sleep": rng.gauss(21.5, 0.8),
        "day_p": day_p,
        "night_p": rng.uniform(0.02, 0.20),
        "outing_p": 0.35 if irregular else 0.12,
        "scale": rng.lognormvariate(math.log(0.02), 0.35) * (2 if busy else 1),
        "trips": rng.choice([0, 0, 1, 1, 1, 2, 3]),
    }


def _normal_use(rng: random.Random, p: dict, days: int, away: list[bool]) -> list[float]:
    use = [0.0] * (days * 24)
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
                if rng.random() < p["night_p"]:
                    use[k] = round(rng.uniform(0.004, 0.009), 4)  # a toilet flush
                continue
            if h < wake + 2:
                prob, size = 0.95, 2.0
            elif h >= sleep - 3:
                prob, size = 0.85, 1.6
            else:
                prob, size = min(0.95, p["day_p"] + (0.1 if weekend else 0)), 1.0
            if outing and outing[0] <= h < outing[1]:
                prob = 0.0
            if rng.random() < prob:
                use[k] = round(p["scale"] * size * rng.lognormvariate(0, 0.5), 4)
    return use


def _free_start(rng: random.Random, busy: list[bool], length: int, n: int) -> int | None:
    for _ in range(200):
        start = rng.randrange(WARMUP_DAYS * 24, n - length - 1)
        if not any(busy[max(0, start - 24) : start + length + 24]):
            return start
    return None


def _pick_leak_kind(rng: random.Random) -> str:
    r, acc = rng.random(), 0.0
    for kind, (_, _, share) in LEAK_KINDS.items():
        acc += share
        if r < acc:
            return kind
    return kind


def household(seed: int, days: int) -> Household:
    rng = random.Random(seed)
    p = _persona(rng)
    n = days * 24
    away = [False] * n
    for _ in range(p["trips"]):  # multi-day absences
        start = rng.randrange(0, n - 24 * 6)
        for k in range(start, min(n, start + rng.randint(30, 120))):
            away[k] = True
    use = _normal_use(rng, p, days, away)
    busy = list(away)
    inactivity, leaks = [], []
    start = _free_start(rng, busy, 24, n)
    if start is not None:
        inactivity.append(T0 + timedelta(hours=start))
        for k in range(start, start + 24):
            use[k] = 0.0
            busy[k] = True
    for _ in range(2):
        kind = _pick_leak_kind(rng)
        (lo, hi), (h_lo, h_hi), _ = LEAK_KINDS[kind]
        hours = rng.randint(h_lo, h_hi)
        start = _free_start(rng, busy, hours, n)
        if start is None:
            continue
        flow = rng.uniform(lo, hi)
        night = any(k % 24 in NIGHT for k in range(start, start + hours))  # T0 is a midnight
        leaks.append(Leak(T0 + timedelta(hours=start), hours, kind, night))
        for k in range(start, start + hours):
            use[k] = round(use[k] + flow * rng.uniform(0.9, 1.1), 4)
            busy[k] = True
    present = _meter_gaps(rng, n, days)
    readings = []
    owed = 0.0
    catch_up = False
    for k in range(n):
        if not present[k]:
            if k == 0 or present[k - 1]:  # a new gap: lost or caught up later
                catch_up = rng.random() < 0.3
                owed = 0.0
            owed += use[k]
            continue
        value = use[k] + (owed if catch_up else 0.0)
        owed = 0.0
        catch_up = False
        readings.append(Reading(T0 + timedelta(hours=k, minutes=59), round(value, 4)))
    return Household(readings, inactivity, leaks)


def _meter_gaps(rng: random.Random, n: int, days: int) -> list[bool]:
    present = [rng.random() >= 0.015 for _ in range(n)]  # missing hours (~1.5 %)
    for _ in range(rng.randint(0, days // 30 + 1)):  # whole missing days
        d = rng.randrange(days)
        present[d * 24 : d * 24 + 24] = [False] * 24
    if rng.random() < 0.1:  # a multi-day outage
        s, length = rng.randrange(n - 96), rng.randint(48, 96)
        present[s : s + length] = [False] * length
    return present
