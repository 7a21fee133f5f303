"""The dispatcher's case list over many cases: filtered, sorted by deadline, counted, paged.

    .venv/bin/python benchmarks/bench_operations_list.py [--cases 1000000] [--db sqlite|postgres]
                                                       [--data-dir DIR] [--repeat 5]

Prepares a scratch database (demo district, category tree) and writes ``--cases`` cases through the
bulk action ``seed_history`` (``history=False``) with a realistic mix: 80 % closed, the rest registered,
in handling or handled; categories skewed (a few very common), spread over the 13 subdistricts, a
share of the open ones overdue. Then times ``queries.case_list`` (the count and one page, as the
dispatcher's page calls it) for several filter combinations, first page and page 500 (50 per page), the
median of ``--repeat`` runs, and prints the query plan of the heaviest one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_operations_common import configure, machine, prepare, say  # noqa: E402


def specs(n: int, now, seed: int = 5):
    from yiwang.core.models import OrgUnit
    from yiwang.operations.actions import HistoryCase
    from yiwang.operations.models import Category
    from yiwang.operations.seed_categories import share
    from yiwang.territory.geometry import load_geometry
    from yiwang.territory.models import Unit
    from yiwang.territory.services import locate_many

    rng = random.Random(seed)
    weights = share()
    categories = list(Category.objects.filter(code__in=list(weights)))
    cat_weights = [weights[c.code] for c in categories]
    departments = {c.pk: c.departments.values_list("pk", flat=True).first() for c in categories}
    district = Unit.objects.filter(level=1, valid_to__isnull=True).first()
    minx, miny, maxx, maxy = load_geometry(district.geometry).bounds
    pool = [
        p
        for p in locate_many([(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(20000)])
        if not p.outside
    ]
    centre = OrgUnit.objects.filter(code="ORG-OPS").values_list("pk", flat=True).first()
    base = now.replace(minute=0, second=0, microsecond=0)
    picks = rng.choices(categories, cat_weights, k=n)
    for i in range(n):
        place = pool[i % len(pool)]
        category = picks[i]
        fields = place.as_fields()
        r = rng.random()
        age_h = rng.randrange(1, 24 * 365) if r < 0.80 else rng.randrange(1, 24 * 20)
        reported = base - timedelta(hours=age_h)
        registered = reported + timedelta(minutes=30)
        spec = HistoryCase(
            category_id=category.pk, channel="hotline", discovery="passive", lon=place.lon, lat=place.lat,
            reported_at=reported, registered_at=registered, department_id=departments.get(category.pk) or centre,
            district_code=fields["district_code"], subdistrict_code=fields["subdistrict_code"],
            grid_code=fields["grid_code"],
        )  # fmt: skip
        if r < 0.80:
            spec.dispatched_at = registered + timedelta(hours=1)
            spec.handled_at = spec.dispatched_at + timedelta(hours=20)
            spec.closed_at = spec.handled_at + timedelta(hours=4)
            spec.overdue = rng.random() < 0.1
        elif r < 0.83:
            pass  # registered, waiting for dispatch
        elif r < 0.95:
            spec.dispatched_at = registered + timedelta(hours=1)  # in handling
            spec.overdue = rng.random() < 0.25
        else:
            spec.dispatched_at = registered + timedelta(hours=1)
            spec.handled_at = spec.dispatched_at + timedelta(hours=5)
        yield spec


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="the data dir already holds the cases")
    args = parser.parse_args()
    configure(args.db, args.data_dir, pg_name="yiwang_bench_ops_list")
    from django.db import connection
    from django.utils import timezone

    from yiwang.core.actor import Actor, Channel
    from yiwang.operations.actions import seed_history
    from yiwang.operations.models import Case, Category
    from yiwang.operations.queries import case_list, filter_cases

    if not args.reuse:
        prepare()
        t = time.perf_counter()
        written = seed_history(Actor.system(Channel.CLI), specs(args.cases, timezone.now()), 5000, history=False)
        say(f"wrote {written:,} cases in {time.perf_counter() - t:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE operations_case")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    total = Case.objects.count()
    garbage = Category.objects.get(code="CM-ENV-GARBAGE")
    sub = Case.objects.exclude(subdistrict_code="").values_list("subdistrict_code", flat=True).first()
    combos = {
        "status+category+subdistrict+overdue": dict(status="handling", category=garbage, unit=sub, overdue=True),
        "open+category+subdistrict": dict(open_only=True, category=garbage, unit=sub),
        "status+overdue": dict(status="handling", overdue=True),
        "status": dict(status="handling"),
        "open (all)": dict(open_only=True),
    }
    say(machine())
    for name, filters in combos.items():
        last = case_list(page=1, page_size=50, **filters).pages
        for page in dict.fromkeys((1, min(500, last), last)):
            ms, result = timed(lambda f=filters, p=page: case_list(page=p, page_size=50, **f), args.repeat)
            say(
                f"[{args.db}] {total:,} cases · {name} · page {page:,} of {result.pages:,}: {ms:,.1f} ms "
                f"(total {result.total:,}, {len(result.items)} on the page)"
            )
    heavy = filter_cases(**combos["status+category+subdistrict+overdue"]).order_by("due_at", "id")
    say("plan (page query): " + heavy[24950:25000].explain().replace("\n", " | "))


if __name__ == "__main__":
    main()
