"""The deadline sweep over many open cases: how long ``sweep_clocks(now)`` takes when a share fires.

    .venv/bin/python benchmarks/bench_operations_sweep.py [--cases 1000000] [--firing 0.005]
                                                        [--db sqlite|postgres] [--data-dir DIR]

Prepares a scratch database (demo district, category tree), writes ``--cases`` open cases through the
bulk action ``operations.actions.seed_history`` (one audit row per batch; ``history=False``: case rows
and their running clocks only), most of them dispatched a few hours before ``now`` (their handle clocks
run far from any deadline) and a share ``--firing`` dispatched a month earlier (their warning and their
deadline both fire — in one pass of the sweep: one mark of the clock, one ``UPDATE … RETURNING`` of the
case). Then times ``sweep_clocks(now)`` — warnings, overdue marks, the grid-level escalation with its
supervision rows, notifications and audit rows — and a second sweep with nothing left to fire, and
counts the cases warned, overdue and escalated.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_operations_common import configure, machine, prepare, say  # noqa: E402

BUSY = ("CM-ENV-GARBAGE", "PS-TRAFFIC-PARKING", "CM-ENV-STALL", "LV-NEIGH-NOISE", "LV-NEIGH-PROPERTY")


def specs(n: int, firing: float, now, seed: int = 11):
    """Open cases: (1 - firing) dispatched 1–6 hours ago, ``firing`` dispatched 30–40 days ago."""
    from yiwang.core.models import OrgUnit
    from yiwang.operations.actions import HistoryCase
    from yiwang.operations.models import Category
    from yiwang.territory.models import Unit
    from yiwang.territory.services import locate_many

    rng = random.Random(seed)
    categories = list(Category.objects.filter(code__in=BUSY))
    departments = {c.pk: (c.departments.values_list("pk", flat=True).first()) for c in categories}
    bounds = [u for u in Unit.objects.filter(level=1, valid_to__isnull=True)]
    from yiwang.territory.geometry import load_geometry

    minx, miny, maxx, maxy = load_geometry(bounds[0].geometry).bounds
    pool = []
    for placement in locate_many([(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(5000)]):
        if not placement.outside:
            pool.append(placement)
    centre = OrgUnit.objects.filter(code="ORG-OPS").values_list("pk", flat=True).first()
    base = now.replace(second=0, microsecond=0)
    for i in range(n):
        place = pool[i % len(pool)]
        category = categories[i % len(categories)]
        old = rng.random() < firing
        minutes = rng.randrange(30 * 24 * 60, 40 * 24 * 60, 10) if old else rng.randrange(60, 360, 10)
        dispatched = base - timedelta(minutes=minutes)
        fields = place.as_fields()
        yield HistoryCase(
            category_id=category.pk,
            channel="hotline",
            discovery="passive",
            lon=place.lon,
            lat=place.lat,
            reported_at=dispatched - timedelta(minutes=40),
            registered_at=dispatched - timedelta(minutes=20),
            dispatched_at=dispatched,
            department_id=departments.get(category.pk) or centre,
            district_code=fields["district_code"],
            subdistrict_code=fields["subdistrict_code"],
            grid_code=fields["grid_code"],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--firing", type=float, default=0.005)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of the first sweep")
    args = parser.parse_args()
    configure(args.db, args.data_dir, pg_name="yiwang_bench_ops_sweep")
    prepare()

    from django.utils import timezone

    from yiwang.core.actor import Actor, Channel
    from yiwang.core.workcal.models import Clock
    from yiwang.core.workcal.sweep import sweep_clocks
    from yiwang.operations.actions import seed_history
    from yiwang.operations.models import Case, Supervision

    now = timezone.now()
    t = time.perf_counter()
    last = [0.0]

    def progress(count: int) -> None:
        if time.perf_counter() - last[0] > 10:
            last[0] = time.perf_counter()
            say(f"  {count:,} cases written ({count / (time.perf_counter() - t):,.0f}/s)")

    written = seed_history(
        Actor.system(Channel.CLI), specs(args.cases, args.firing, now), 5000, history=False, progress=progress
    )
    build = time.perf_counter() - t
    say(f"wrote {written:,} open cases with running clocks in {build:.1f} s ({written / build:,.0f}/s)")
    firing = Clock.objects.filter(state="running", due_at__lte=now).count()
    say(f"{firing:,} clocks are due at now; sweeping …")
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    t = time.perf_counter()
    result = sweep_clocks(now)
    first = time.perf_counter() - t
    if profiler is not None:
        profiler.stop()
        say(profiler.output_text(unicode=False, color=False)[:8000])
    t = time.perf_counter()
    again = sweep_clocks(now)
    second = time.perf_counter() - t
    warned = Case.objects.filter(warned=True).count()
    overdue = Case.objects.filter(overdue=True).count()
    escalated = Case.objects.filter(escalation_level=1).count()
    supervisions = Supervision.objects.count()
    say(machine())
    say(
        f"[{args.db}] sweep over {written:,} open cases: {result} in {first * 1000:,.0f} ms; "
        f"a second sweep ({again}) in {second * 1000:,.1f} ms; cases warned {warned:,}, overdue {overdue:,}, escalated "
        f"{escalated:,}, supervision rows {supervisions:,}"
    )


if __name__ == "__main__":
    main()
