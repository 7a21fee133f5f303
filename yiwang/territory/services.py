"""Locating points: an in-memory spatial index of the territory, kept fresh across processes.

Every process keeps one ``TerritoryIndex`` (a ``spatial.Locator`` over the units in force plus what a
``Placement`` needs about each unit). It is rebuilt when the territory revision in the database
(``TerritoryRevision.units``, bumped by every import) differs from the one it was built at; the
revision is read at most once per ``TERRITORY["REVISION_CHECK_SECONDS"]``, and an import in this
process drops the index at once (``invalidate``) so the next call sees it. Other gunicorn workers
notice within that interval.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from .geometry import load_geometry, point_to_wgs84
from .models import TerritoryRevision, Unit
from .placement import PlacedUnit, Placement
from .spatial import Locator, UnitShape

# sent (on commit) after an import changed the units or the points of interest; kwargs: units, pois
territory_changed = Signal()

_HISTORY_CACHE_SIZE = 8


@dataclass
class TerritoryIndex:
    revision: int
    on: dt.date | None  # None: the units in force now
    units: dict[str, PlacedUnit]  # code -> unit
    locator: Locator | None

    def place(self, lon: float, lat: float, on: dt.date) -> Placement:
        found = self.locator.locate(lon, lat) if self.locator is not None else None
        if found is None:
            return Placement(lon=lon, lat=lat, outside=True, on=on, revision=self.revision)
        units = self.units
        return Placement(
            lon=lon,
            lat=lat,
            outside=False,
            district=units.get(found.level1) if found.level1 else None,
            subdistrict=units.get(found.level2) if found.level2 else None,
            grid=units.get(found.level3) if found.level3 else None,
            level4=tuple(units[c] for c in found.level4),
            on=on,
            revision=self.revision,
        )


def units_in_force(on: dt.date | None = None):
    """Unit rows in force on ``on`` (None: the current rows)."""
    qs = Unit.objects.select_related("org_unit")
    if on is None:
        return qs.filter(valid_to__isnull=True)
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)


def build_index(revision: int, on: dt.date | None = None) -> TerritoryIndex:
    rows = list(units_in_force(on))
    units = {}
    shapes = []
    for row in rows:
        org = row.org_unit
        units[row.code] = PlacedUnit(
            unit_id=row.id,
            code=row.code,
            level=row.level,
            kind=row.kind,
            name=row.name,
            name_en=row.name_en,
            org_unit_id=org.id if org else None,
            org_unit_code=org.code if org else "",
            org_unit_name=org.name if org else "",
        )
        shapes.append(UnitShape(row.code, row.level, row.parent_code or None, load_geometry(row.geometry)))
    return TerritoryIndex(revision=revision, on=on, units=units, locator=Locator(shapes) if shapes else None)


def read_revision() -> TerritoryRevision:
    rev = TerritoryRevision.objects.filter(id=1).first()
    return rev or TerritoryRevision(id=1)


class _Cache:
    """Per-process cache of the current index (and a few past dates), checked against the revision."""

    def __init__(self):
        self.lock = threading.Lock()
        self.current: TerritoryIndex | None = None
        self.history: OrderedDict[tuple[int, dt.date], TerritoryIndex] = OrderedDict()
        self.revision = -1
        self.checked_at = 0.0

    def revision_now(self, fresh: bool = False) -> int:
        interval = settings.TERRITORY.get("REVISION_CHECK_SECONDS", 1.0)
        now = time.monotonic()
        if fresh or self.revision < 0 or now - self.checked_at >= interval:
            self.revision = read_revision().units
            self.checked_at = now
        return self.revision

    def index(self, on: dt.date | None, fresh: bool = False) -> TerritoryIndex:
        with self.lock:
            revision = self.revision_now(fresh)
            if on is None:
                if self.current is None or self.current.revision != revision:
                    self.current = build_index(revision)
                return self.current
            key = (revision, on)
            if key not in self.history:
                self.history[key] = build_index(revision, on)
                while len(self.history) > _HISTORY_CACHE_SIZE:
                    self.history.popitem(last=False)
            self.history.move_to_end(key)
            return self.history[key]

    def invalidate(self) -> None:
        with self.lock:
            self.current = None
            self.history.clear()
            self.revision = -1


_cache = _Cache()


def invalidate(**_kwargs) -> None:
    """Drop this process's index; the next locate rebuilds it (connected to ``territory_changed``)."""
    _cache.invalidate()


territory_changed.connect(invalidate, dispatch_uid="territory-services-invalidate")


def current_index(on: dt.date | None = None, *, fresh: bool = False) -> TerritoryIndex:
    """This process's index of the units in force on ``on`` (None: now).

    ``fresh`` reads the revision from the database now instead of trusting a check made less than
    REVISION_CHECK_SECONDS ago (writers use it, so that they never work on a stale index).
    """
    return _cache.index(on, fresh)


def _as_date(at) -> dt.date | None:
    if at is None:
        return None
    if isinstance(at, dt.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def locate(lon: float, lat: float, system: str = "wgs84", at: dt.date | dt.datetime | None = None) -> Placement:
    """Resolve a point to its unit at every level and the responsible org units.

    ``system`` is the point's coordinate system (wgs84, gcj02 or bd09); ``at`` a date or datetime to
    resolve against the unit versions in force then (None: now). A point outside the district gives a
    Placement with ``outside=True`` and no units.
    """
    wlon, wlat = point_to_wgs84(lon, lat, system)
    on = _as_date(at)
    index = current_index(on)
    return index.place(wlon, wlat, on or timezone.localdate())


def locate_many(points, system: str = "wgs84", at=None) -> list[Placement]:
    """``locate`` for many (lon, lat) pairs at once, with one index lookup."""
    on = _as_date(at)
    index = current_index(on)
    day = on or timezone.localdate()
    return [index.place(*point_to_wgs84(lon, lat, system), day) for lon, lat in points]
