"""A year of city-operations history for the demo district: ~300,000 cases with realistic mixes.

Pure generation (a seeded ``random.Random``), written through the batch action
``yiwang.operations.actions.seed_history`` (one audit row per batch, with a digest):

* channels: 12345 hotline ~45 %, grid patrol ~30 %, 随身拍 ~15 %, IoT sensors ~5 %, the rest joint duty,
  emergency duty, leaders' instructions and Open311 apps; the discovery mode follows the channel;
* categories skewed by ``operations.seed_categories.share()`` (garbage, illegal parking and stalls lead);
* places: most reports where people live (level-4 residential units), the rest anywhere in the district;
* times: more by day than by night and on working days, registered within minutes, dispatched and
  handled against the category's working-time deadlines (about 90 % on time), verified and closed
  within a day; the most recent cases are still open at the step they have reached, with running clocks.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone

HISTORY_CASES = 300_000
DAYS = 365
ON_TIME = 0.9

CHANNELS = (
    ("hotline", "passive", 45.0),
    ("grid_patrol", "active", 30.0),
    ("photo_report", "passive", 15.0),
    ("iot", "intelligent", 5.0),
    ("joint_duty", "active", 2.0),
    ("emergency_duty", "active", 1.0),
    ("open311", "passive", 1.5),
    ("leader_instruction", "active", 0.5),
)
# reports per hour of the local day (relative)
HOURS = (1, 0.5, 0.3, 0.3, 0.4, 0.8, 2, 4, 7, 9, 9, 8, 6, 7, 8, 8, 7, 6, 5, 5, 4, 3, 2, 1.5)
POOL = 12_000


class _Deadlines:
    """Working-time deadlines, memoised by (hour, unit, amount): a year has only ~8,760 distinct hours."""

    def __init__(self):
        from yiwang.core.workcal.services import get_calendar

        self.calendar = get_calendar()
        self.memo: dict = {}

    def due(self, start: datetime, unit: str, amount: int) -> datetime:
        hour = start.replace(minute=0, second=0, microsecond=0)
        key = (hour, unit, amount)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.calendar.schedule(hour, unit, amount).due_at
        return found + (start - hour) if unit == "ch" else max(found, start + timedelta(minutes=30))


def _points(rng: random.Random, district) -> list:
    """Placements of a pool of points: 70 % inside residential level-4 units, 30 % anywhere."""
    import shapely

    from yiwang.territory.services import locate_many

    homes = [u for u in district.level(4) if u.kind == "residential"] or district.level(4)
    weights = [max(1, u.population or 1) for u in homes]
    whole = district.level(1)[0].geometry
    raw = []
    while len(raw) < POOL:
        area = rng.choices(homes, weights)[0].geometry if homes and rng.random() < 0.7 else whole
        minx, miny, maxx, maxy = area.bounds
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if area.contains(shapely.Point(x, y)):
            raw.append((round(x, 6), round(y, 6)))
    return [p for p in locate_many(raw) if not p.outside]


def generate(district, count: int = HISTORY_CASES, *, seed: int = 1, now: datetime | None = None) -> Iterator:
    """``HistoryCase`` specs of ``count`` cases over the year before ``now``, in time order."""
    from yiwang.core.models import OrgUnit
    from yiwang.operations.actions import HistoryCase
    from yiwang.operations.models import Category
    from yiwang.operations.seed_categories import share
    from yiwang.operations.sla import DISPATCH, HANDLE, clock_spec

    rng = random.Random(seed * 7919 + count)
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    shares = share()
    categories = [
        c for c in Category.objects.filter(code__in=list(shares), active=True).prefetch_related("departments")
    ]
    if not categories:
        return
    cat_weights = [shares[c.code] for c in categories]
    departments = {c.pk: min((d.pk for d in c.departments.all()), default=None) for c in categories}
    centre = OrgUnit.objects.filter(code="ORG-OPS").values_list("pk", flat=True).first()
    specs = {c.pk: (clock_spec(c, DISPATCH), clock_spec(c, HANDLE)) for c in categories}
    pool = [(p, p.as_fields(), _responsible(p)) for p in _points(rng, district)]
    zone = timezone.get_current_timezone()
    deadlines = _Deadlines()
    start = now - timedelta(days=DAYS)
    channels = [(c, d) for c, d, _w in CHANNELS]
    channel_weights = [w for _c, _d, w in CHANNELS]
    # report instants: uniform minutes of the year, thinned by hour of day and weekday
    instants = []
    top = max(HOURS)
    span = DAYS * 24 * 60
    while len(instants) < count:
        at = start + timedelta(minutes=rng.randrange(span))
        local = at.astimezone(zone)
        weight = HOURS[local.hour] / top * (0.7 if local.weekday() >= 5 else 1.0)
        if rng.random() < weight:
            instants.append(at)
    instants.sort()
    picks = rng.choices(categories, cat_weights, k=count)
    ways = rng.choices(channels, channel_weights, k=count)
    for reported, category, (channel, discovery) in zip(instants, picks, ways, strict=True):
        place, fields, responsible = pool[rng.randrange(len(pool))]
        dispatch_spec, handle_spec = specs[category.pk]
        registered = reported + timedelta(minutes=int(rng.expovariate(1 / 25)) + 5)
        late = rng.random() > ON_TIME
        due = deadlines.due(registered, dispatch_spec.unit, dispatch_spec.amount)
        dispatched = _step(rng, registered, due, late and rng.random() < 0.3)
        due = deadlines.due(dispatched, handle_spec.unit, handle_spec.amount)
        handled = _step(rng, dispatched, due, late)
        closed = handled + timedelta(minutes=rng.randrange(60, 24 * 60))
        spec = HistoryCase(
            category_id=category.pk, channel=channel, discovery=discovery, lon=place.lon, lat=place.lat,
            reported_at=reported, priority=category.default_priority,
            department_id=departments.get(category.pk) or centre,
            team_id=responsible["grid"] or responsible["subdistrict"],
            district_code=fields["district_code"], subdistrict_code=fields["subdistrict_code"],
            grid_code=fields["grid_code"], level4_codes=tuple(fields["level4_codes"]), responsible=responsible,
        )  # fmt: skip
        # the steps reached by now (the most recent cases are still open)
        for name, at in (("registered_at", registered), ("dispatched_at", dispatched), ("handled_at", handled),
                         ("closed_at", closed)):  # fmt: skip
            if at > now:
                break
            setattr(spec, name, at)
        spec.overdue = late and spec.handled_at is not None  # open ones: the clock sweep decides
        yield spec


def _responsible(place) -> dict:
    return {
        "district": place.district.org_unit_id if place.district else None,
        "subdistrict": place.subdistrict.org_unit_id if place.subdistrict else None,
        "grid": place.grid.org_unit_id if place.grid else None,
    }


def _step(rng: random.Random, start: datetime, due: datetime, late: bool) -> datetime:
    """When a step finished: somewhere before its deadline, or (late) some hours to days after it."""
    if late:
        return due + timedelta(minutes=rng.randrange(30, 3 * 24 * 60))
    budget = max(60, int((due - start).total_seconds() // 60))
    return start + timedelta(minutes=max(5, int(budget * rng.betavariate(2, 3))))


def history_size() -> int:
    """How many cases the demo's history holds: ``YIWANG_DEMO_HISTORY_CASES`` or ``settings.DEMO_HISTORY_CASES``."""
    import os

    from django.conf import settings

    return int(os.environ.get("YIWANG_DEMO_HISTORY_CASES", getattr(settings, "DEMO_HISTORY_CASES", HISTORY_CASES)))


def seed(actor, district, count: int | None = None, *, progress=None) -> dict:
    """Write the demo's year of history through the batch action; returns a summary."""
    from yiwang.operations.actions import seed_history

    count = history_size() if count is None else count
    written = seed_history(actor, generate(district, count, seed=district.seed), 5000, progress=progress)
    return {"created": written}
