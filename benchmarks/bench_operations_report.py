"""report_case in-process: milliseconds and queries per call (no HTTP, no server).

    .venv/bin/python benchmarks/bench_operations_report.py [--n 2000] [--db sqlite|postgres]
                                                         [--data-dir DIR] [--auto-register] [--profile FILE]

Prepares a scratch database (demo district without POIs, the category tree), then reports ``--n`` cases
through ``operations.actions.report_case`` as an Open311 client would (channel ``open311``, one category
with an answer, points spread over every grid), each in its own transaction. Prints the median, p90 and
p99 per call and the queries of one call (counted on a sample with ``CaptureQueriesContext``).
``--profile FILE`` writes a pyinstrument HTML profile of the loop.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_operations_common import configure, grid_points, machine, prepare, say  # noqa: E402

CATEGORY = "CM-ENV-GARBAGE"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--auto-register", action="store_true", help="the category's intake policy: auto-register")
    parser.add_argument("--profile", default=None)
    parser.add_argument("--phone", action="store_true", help="the reporter leaves a phone number (an SMS is sent)")
    parser.add_argument("-v", action="store_true", help="print the queries of one call")
    args = parser.parse_args()
    configure(args.db, args.data_dir, pg_name="yiwang_bench_ops_report")
    prepare()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.core.actor import Actor, Channel
    from yiwang.operations.actions import Reporter, report_case
    from yiwang.operations.models import CaseChannel, Category

    category = Category.objects.get(code=CATEGORY)
    if args.auto_register:
        from yiwang.operations.actions import set_intake_policy

        set_intake_policy(Actor.system(), category, "auto_register")
    points = grid_points()
    channel = getattr(CaseChannel, "OPEN311", CaseChannel.PHOTO_REPORT)
    actor = Actor.system(Channel.OPEN311) if hasattr(Channel, "OPEN311") else Actor.system()

    def one(i: int):
        lon, lat = points[i % len(points)]
        return report_case(
            actor,
            channel=channel,
            discovery="passive",
            category=category,
            lon=lon,
            lat=lat,
            description=f"bench report {i}",
            reporter=Reporter(name="李四", phone="13912345678" if args.phone else ""),
            answers={"volume": "large"},
            external_ref=f"bench:{i}",
        )

    for i in range(50):  # warm caches (territory index, categories, rules)
        one(i)
    with CaptureQueriesContext(connection) as ctx:
        case = one(50)
    kinds = Counter(q["sql"].split()[0].upper() for q in ctx.captured_queries)
    say(f"one call: {len(ctx.captured_queries)} queries ({dict(kinds)}); case {case.code} status {case.status}")
    if args.v:
        for q in ctx.captured_queries:
            say("   " + q["sql"][:200])

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    times = []
    t_all = time.perf_counter()
    for i in range(100, 100 + args.n):
        t0 = time.perf_counter()
        one(i)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    if profiler is not None:
        profiler.stop()
        Path(args.profile).write_text(profiler.output_html())
        say(profiler.output_text(unicode=False, color=False, show_all=False)[:6000])
    times.sort()
    ms = [t * 1000 for t in times]
    say(machine())
    say(
        f"[{args.db}] report_case x {args.n}{' (auto-register)' if args.auto_register else ''}: "
        f"median {statistics.median(ms):.2f} ms, p90 {ms[int(0.9 * len(ms))]:.2f} ms, "
        f"p99 {ms[int(0.99 * len(ms))]:.2f} ms, {args.n / total:.0f} calls/s in one process, "
        f"{len(ctx.captured_queries)} queries per call"
    )


if __name__ == "__main__":
    main()
