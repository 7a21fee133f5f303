"""Water steward (水管家) benchmark: inactivity and leak rules on synthetic hourly consumption.

The data (elderly residents living alone, night toilet visits, multi-day absences, meter gaps with
catch-up readings, injected inactivity and leak incidents) is described in ``water_steward_data.py``.

Each rule is replayed hour by hour with :func:`yiwang.sensing.alerts.rules.replay`. Reported per
rule: false alarms per household-month (raises outside an incident of the rule's target), the share
of incidents detected (inactivity: within its 24 hours; leaks: within the leak's duration + 1 h), the
median delay; for leak rules also detection per leak kind and for leaks running through the night.
Households are split over ``--jobs`` processes.

    .venv/bin/python benchmarks/bench_water_steward.py --households 500 --months 6 --jobs 2
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from water_steward_data import LEAK_KINDS, T0, household  # noqa: E402

from yiwang.sensing.alerts.presets import WATER_STEWARD  # noqa: E402
from yiwang.sensing.alerts.rules import RAISE, make_rule, replay  # noqa: E402

PRESET = {r["condition"]: r for r in WATER_STEWARD}

RULES = {
    # name: (kind, params, target)
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
    "quiet_likelihood_1e-3": ("quiet_likelihood", {"alpha": 1e-3, "max_p": 0.9}, "inactivity"),
    "quiet_likelihood_5e-4": (PRESET["inactivity"]["kind"], PRESET["inactivity"]["params"], "inactivity"),
    "quiet_likelihood_3e-4": ("quiet_likelihood", {"alpha": 3e-4, "max_p": 0.9}, "inactivity"),
    "continuous_flow_2h": ("continuous_flow", {"min_flow": 0.001, "hours": 2}, "leak"),
    "continuous_flow_6h": ("continuous_flow", {"min_flow": 0.003, "hours": 6}, "leak"),
    "continuous_flow_0.1_2h": ("continuous_flow", {"min_flow": 0.1, "hours": 2}, "leak"),
    "flow_likelihood_1e-3": ("flow_likelihood", {"alpha": 1e-3}, "leak"),
    "flow_likelihood_3e-4": ("flow_likelihood", {"alpha": 3e-4}, "leak"),
    "flow_likelihood_1e-4": (PRESET["leak"]["kind"], PRESET["leak"]["params"], "leak"),
    "flow_likelihood_1e-5": ("flow_likelihood", {"alpha": 1e-5}, "leak"),
}


def _score_household(hh, rules: dict, days: int) -> dict:
    out = {}
    end = T0 + timedelta(days=days)
    for name, (kind, params, target) in rules.items():
        rule = make_rule(kind, params)
        fired = [t.at for t in replay(rule, hh.readings, end=end) if t.kind == RAISE]
        if target == "inactivity":
            incidents = [(s, s + timedelta(hours=24), "inactivity", False) for s in hh.inactivity]
        else:
            incidents = [(lk.start, lk.start + timedelta(hours=lk.hours + 1), lk.kind, lk.night) for lk in hh.leaks]
        found = []
        for s, e, label, night in incidents:
            hit = [at for at in fired if s < at <= e]
            found.append((label, night, (hit[0] - s) / timedelta(hours=1) if hit else None))
        false = sum(1 for at in fired if not any(s < at <= e for s, e, _, _ in incidents))
        out[name] = (false, found)
    return out


def _work(args) -> list[dict]:
    seeds, names, days = args
    rules = {n: RULES[n] for n in names}
    return [_score_household(household(seed, days), rules, days) for seed in seeds]


def _summary(found: list) -> str:
    delays = [d for _, _, d in found if d is not None]
    if not found:
        return "—"
    med = f"{statistics.median(delays):.0f} h" if delays else "—"
    return f"{len(delays) / len(found):.1%} ({med}, n={len(found)})"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=500)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rules", nargs="*", default=list(RULES))
    args = parser.parse_args(argv)
    days = int(args.months * 30.4)
    seeds = [args.seed * 100_003 + i for i in range(args.households)]
    chunks = [(seeds[j :: args.jobs], args.rules, days) for j in range(args.jobs)]
    began = time.perf_counter()
    print(f"# {args.households} households × {days} days, {args.jobs} processes, load(1m) {os.getloadavg()[0]:.2f}")
    print(f"# {platform.platform()} / Python {platform.python_version()} / nproc {os.cpu_count()}")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = [r for part in pool.map(_work, chunks) for r in part]
    months = args.households * days / 30.4
    print("| rule | target | false alarms / household-month | detected | median delay (h) |")
    print("|---|---|---|---|---|")
    breakdown = []
    for name in args.rules:
        false = sum(r[name][0] for r in results)
        found = [f for r in results for f in r[name][1]]
        delays = [d for _, _, d in found if d is not None]
        detected = len(delays) / len(found) if found else float("nan")
        median = statistics.median(delays) if delays else float("nan")
        default = " (default)" if RULES[name][1] is PRESET.get(RULES[name][2], {}).get("params") else ""
        print(f"| {name}{default} | {RULES[name][2]} | {false / months:.3f} | {detected:.1%} | {median:.1f} |")
        if RULES[name][2] == "leak":
            cells = [_summary([f for f in found if f[0] == kind]) for kind in LEAK_KINDS]
            cells += [_summary([f for f in found if f[1]]), _summary([f for f in found if not f[1]])]
            breakdown.append(f"| {name} | " + " | ".join(cells) + " |")
    print("\nleak detection (median delay, count) by kind and by night:")
    print("| rule | " + " | ".join(LEAK_KINDS) + " | through the night | daytime only |")
    print("|---|" + "---|" * (len(LEAK_KINDS) + 2))
    print("\n".join(breakdown))
    print(f"# total {time.perf_counter() - began:.0f} s, load(1m) {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
