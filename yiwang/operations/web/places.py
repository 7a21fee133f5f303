"""A simple geocoder over the territory: place names typed by a hotline operator or a resident → a point.

It knows the names of the territory units in force (residential areas, parks, metro stations, grids,
subdistricts) and of the named points of interest (schools, shelters, shops, buildings …). An address
such as "幸福小区12号楼门口" matches the unit "幸福小区" because the name is contained in it; a short
query such as "幸福" matches every name that contains it. Results are ranked: exact name, the longest
name contained in the query, names starting with the query, names containing it.

The list is built once per process and rebuilt when the territory revision changes (read at most once
per ``TERRITORY["REVISION_CHECK_SECONDS"]``, as the territory's own indexes do).

This reads the territory through ``services.units_in_force`` and its points of interest read-only;
the territory context could later offer a ``search_places`` query of its own and replace this.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from yiwang.territory import services as territory
from yiwang.territory.geometry import load_geometry

# kinds of points of interest whose names are useful as places (cameras and sensor sites are not)
POI_KINDS = (
    "school",
    "shelter",
    "hospital",
    "shop",
    "residential_building",
    "service_point",
    "material_depot",
    "pumping_station",
    "other",
)
MIN_QUERY = 2  # characters: a single character matches too much to be useful
# on a tie, the most specific place first: level-4 units, then points of interest, grids, subdistricts
SPECIFIC_FIRST = {4: 0, 5: 1, 3: 2, 2: 3}


@dataclass(frozen=True)
class Place:
    name: str
    name_en: str
    kind: str  # a unit kind (residential, grid, …) or a POI kind (school, …)
    code: str
    lon: float  # WGS-84, inside the unit (a representative point) or the POI itself
    lat: float
    level: int  # 1–4 for units, 5 for points of interest
    parent: str  # code of the unit above (units), or of the grid (POIs)

    @property
    def search_names(self) -> tuple[str, ...]:
        return tuple(n for n in (_norm(self.name), _norm(self.name_en)) if n)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "name_en": self.name_en,
            "kind": self.kind,
            "code": self.code,
            "lon": round(self.lon, 7),
            "lat": round(self.lat, 7),
            "level": self.level,
        }


def _norm(text: str) -> str:
    return "".join((text or "").lower().split())


def _unit_places() -> list[Place]:
    places = []
    for row in territory.units_in_force():
        if row.level == 1:
            continue
        point = load_geometry(row.geometry).representative_point()
        places.append(Place(row.name, row.name_en, row.kind, row.code, point.x, point.y, row.level, row.parent_code))
    return places


def _poi_places() -> list[Place]:
    from yiwang.territory.models import PointOfInterest

    rows = (
        PointOfInterest.objects.filter(kind__in=POI_KINDS)
        .exclude(name="")
        .values_list("name", "kind", "code", "lon", "lat", "grid_code")
    )
    return [Place(name, "", kind, code, lon, lat, 5, grid) for name, kind, code, lon, lat, grid in rows]


class _Gazetteer:
    def __init__(self):
        self.lock = threading.Lock()
        self.places: list[Place] = []
        self.revision: tuple[int, int] | None = None
        self.checked_at = 0.0

    def get(self) -> list[Place]:
        with self.lock:
            interval = settings.TERRITORY.get("REVISION_CHECK_SECONDS", 1.0)
            now = time.monotonic()
            if self.revision is None or now - self.checked_at >= interval:
                rev = territory.read_revision()
                revision = (rev.units, rev.pois)
                self.checked_at = now
                if revision != self.revision:
                    self.places = _unit_places() + _poi_places()
                    self.revision = revision
            return self.places

    def clear(self) -> None:
        with self.lock:
            self.revision = None
            self.places = []


_gazetteer = _Gazetteer()


def forget() -> None:
    """Drop this process's list (tests, and after an import in this process)."""
    _gazetteer.clear()


territory.territory_changed.connect(lambda **kw: forget(), dispatch_uid="operations-web-places-forget", weak=False)


def _score(place: Place, query: str) -> tuple | None:
    best = None
    for name in place.search_names:
        if name == query:
            score = (0, 0)
        elif len(name) >= MIN_QUERY and name in query:
            score = (1, -len(name))  # the longest name the address contains
        elif name.startswith(query):
            score = (2, len(name))
        elif query in name:
            score = (3, len(name))
        else:
            continue
        best = score if best is None or score < best else best
    return best


def search(text: str, *, limit: int = 10) -> list[Place]:
    """Places whose name matches ``text``, best first (units before points of interest on a tie)."""
    query = _norm(text)
    if len(query) < MIN_QUERY:
        return []
    scored = []
    for place in _gazetteer.get():
        score = _score(place, query)
        if score is not None:
            scored.append((score, SPECIFIC_FIRST.get(place.level, 9), place.name, place.code, place))
    scored.sort(key=lambda t: t[:4])
    return [t[-1] for t in scored[:limit]]


def best_match(text: str) -> Place | None:
    """The one place ``text`` clearly names: a single result, or an exact or contained name ahead of the rest."""
    found = search(text, limit=2)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    first, second = (_score(p, _norm(text)) for p in found)
    if first[0] <= 1 and first < second:
        return found[0]
    return None
