"""The answer to "where is this point?": the units at every level and who is responsible for them.

A ``Placement`` holds the codes AND the row ids of the unit versions in force when the point was
placed, and the responsible org unit ids per level, so that cases and devices can store it and keep
meaning what it meant then, whatever later imports change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PlacedUnit:
    unit_id: int  # the Unit row (version) in force
    code: str
    level: int
    kind: str
    name: str
    name_en: str = ""
    org_unit_id: int | None = None  # the responsible OrgUnit row, if any
    org_unit_code: str = ""
    org_unit_name: str = ""

    def to_dict(self) -> dict:
        return {
            "unit_id": self.unit_id,
            "code": self.code,
            "level": self.level,
            "kind": self.kind,
            "name": self.name,
            "name_en": self.name_en,
            "org_unit": (
                {"id": self.org_unit_id, "code": self.org_unit_code, "name": self.org_unit_name}
                if self.org_unit_id
                else None
            ),
        }


@dataclass(frozen=True)
class Placement:
    lon: float  # WGS-84
    lat: float
    outside: bool  # True: the point is outside the district (no unit at any level)
    district: PlacedUnit | None = None
    subdistrict: PlacedUnit | None = None
    grid: PlacedUnit | None = None
    level4: tuple[PlacedUnit, ...] = ()
    on: dt.date | None = None  # the date whose unit versions were used
    revision: int = 0  # territory revision of the index that answered

    @property
    def chain(self) -> tuple[PlacedUnit, ...]:
        """The units of levels 1–3 that were found, top down."""
        return tuple(u for u in (self.district, self.subdistrict, self.grid) if u is not None)

    @property
    def codes(self) -> dict:
        return {
            "district": _code(self.district),
            "subdistrict": _code(self.subdistrict),
            "grid": _code(self.grid),
            "level4": [u.code for u in self.level4],
        }

    @property
    def responsible_org_unit_id(self) -> int | None:
        """The org unit responsible for the deepest unit of levels 1–3 that has one (grid first)."""
        for unit in reversed(self.chain):
            if unit.org_unit_id:
                return unit.org_unit_id
        return None

    def as_fields(self) -> dict:
        """Values for the fields of ``yiwang.territory.models.PlacementFields``."""
        return {
            "outside_territory": self.outside,
            "district_code": _code(self.district),
            "subdistrict_code": _code(self.subdistrict),
            "grid_code": _code(self.grid),
            "level4_codes": [u.code for u in self.level4],
            "district_unit_id": _id(self.district),
            "subdistrict_unit_id": _id(self.subdistrict),
            "grid_unit_id": _id(self.grid),
            "level4_unit_ids": [u.unit_id for u in self.level4],
            "district_org_unit_id": _org(self.district),
            "subdistrict_org_unit_id": _org(self.subdistrict),
            "grid_org_unit_id": _org(self.grid),
        }

    def to_dict(self) -> dict:
        """The JSON answer of the API and the console command."""
        if self.outside:
            return {"outside": True, "lon": self.lon, "lat": self.lat}
        return {
            "outside": False,
            "lon": self.lon,
            "lat": self.lat,
            "on": self.on.isoformat() if self.on else None,
            "revision": self.revision,
            "codes": self.codes,
            "chain": [u.to_dict() for u in self.chain],
            "level4": [u.to_dict() for u in self.level4],
            "responsible_org_unit_id": self.responsible_org_unit_id,
        }


def _code(unit: PlacedUnit | None) -> str:
    return unit.code if unit else ""


def _id(unit: PlacedUnit | None) -> int | None:
    return unit.unit_id if unit else None


def _org(unit: PlacedUnit | None) -> int | None:
    return unit.org_unit_id if unit else None
