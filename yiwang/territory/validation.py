"""Parsing and validating a territory GeoJSON file: every problem is listed with its unit code.

Pure module (no database access): ``parse_units`` turns features into ``UnitRecord``s, and
``check_territory`` checks the whole territory as it would stand after the import (the file's units
merged over the current ones): level relations, parents, containment, and that levels 1–3 tile their
parent (no overlaps, no gaps beyond the tolerance). See docs/territory.md for the format.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import shapely
from django.utils.translation import gettext as _
from shapely.validation import explain_validity

from .geometry import SYSTEMS, GeometryError, LocalProjection, parse_geometry, to_wgs84_geometry
from .models import KINDS_BY_LEVEL, UnitKind

REQUIRED = ("code", "name", "level", "kind")
# levels whose units must tile their parent (the children of a level-1 or level-2 unit)
TILED_LEVELS = (2, 3)


@dataclass(frozen=True)
class Problem:
    code: str  # the unit's code, or "#<n>" for the n-th feature (from 1) when it has no code
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass
class UnitRecord:
    code: str
    level: int
    kind: str
    name: str
    name_en: str = ""
    parent_code: str = ""
    org_unit_code: str = ""
    population: int | None = None
    valid_from: dt.date | None = None
    geometry: shapely.Geometry | None = None  # WGS-84
    extra: dict = field(default_factory=dict)


def coordinate_system_of(data: dict, override: str | None) -> tuple[str, list[Problem]]:
    system = override or data.get("coordinate_system") or "wgs84"
    system = str(system).lower().replace("-", "")
    if system not in SYSTEMS:
        msg = _("unknown coordinate system %(system)s (use one of %(known)s)") % {
            "system": system,
            "known": ", ".join(SYSTEMS),
        }
        return "wgs84", [Problem("*", msg)]
    return system, []


def features_of(data) -> tuple[list, list[Problem]]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [], [Problem("*", _("the file is not a GeoJSON FeatureCollection"))]
    features = data.get("features")
    if not isinstance(features, list):
        return [], [Problem("*", _("the FeatureCollection has no list of features"))]
    return features, []


def _int_or_none(value, label: str, code: str, problems: list[Problem], minimum: int = 0):
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value or value < minimum:
        problems.append(
            Problem(code, _("%(field)s must be a whole number ≥ %(min)s") % {"field": label, "min": minimum})
        )
        return None
    return int(value)


def _date_or_none(value, code: str, problems: list[Problem]):
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Problem(code, _("valid_from %(value)s is not an ISO date (YYYY-MM-DD)") % {"value": value}))
        return None


def parse_units(data: dict, system: str) -> tuple[list[UnitRecord], list[Problem]]:
    """The file's features as UnitRecords (WGS-84), with every problem found in them."""
    features, problems = features_of(data)
    records: list[UnitRecord] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            problems.append(Problem(f"#{index}", _("feature has no properties")))
            continue
        code = str(props.get("code") or "").strip()
        label = code or f"#{index}"
        missing = [name for name in REQUIRED if props.get(name) in (None, "")]
        if missing:
            problems.append(Problem(label, _("missing fields: %(fields)s") % {"fields": ", ".join(missing)}))
        if code in seen:
            problems.append(
                Problem(
                    code,
                    _("duplicate code (features #%(first)s and #%(again)s)") % {"first": seen[code], "again": index},
                )
            )
            continue
        if code:
            seen[code] = index
        record = _record(label, props, problems)
        record.geometry = _geometry(label, feature.get("geometry"), system, problems)
        if code and not missing:
            records.append(record)
    return records, problems


def _record(code: str, props: dict, problems: list[Problem]) -> UnitRecord:
    level = _int_or_none(props.get("level"), "level", code, problems, minimum=1)
    if level is not None and level not in KINDS_BY_LEVEL:
        problems.append(Problem(code, _("level must be 1, 2, 3 or 4, not %(level)s") % {"level": level}))
        level = None
    kind = str(props.get("kind") or "")
    if kind and kind not in UnitKind.values:
        problems.append(
            Problem(
                code,
                _("unknown kind %(kind)s (use one of %(known)s)") % {"kind": kind, "known": ", ".join(UnitKind.values)},
            )
        )
    elif kind and level is not None and kind not in KINDS_BY_LEVEL[level]:
        problems.append(
            Problem(code, _("a unit of kind %(kind)s cannot stand at level %(level)s") % {"kind": kind, "level": level})
        )
    parent = props.get("parent")
    parent = "" if parent is None else str(parent).strip()
    if level == 1 and parent:
        problems.append(Problem(code, _("a level-1 unit has no parent (parent must be null)")))
    elif level and level > 1 and not parent:
        problems.append(Problem(code, _("missing fields: %(fields)s") % {"fields": "parent"}))
    return UnitRecord(
        code=code,
        level=level or 0,
        kind=kind,
        name=str(props.get("name") or "").strip(),
        name_en=str(props.get("name_en") or "").strip(),
        parent_code=parent,
        org_unit_code=str(props.get("org_unit") or "").strip(),
        population=_int_or_none(props.get("population"), "population", code, problems),
        valid_from=_date_or_none(props.get("valid_from"), code, problems),
    )


def _geometry(code: str, value, system: str, problems: list[Problem]):
    if value is None:
        problems.append(Problem(code, _("missing fields: %(fields)s") % {"fields": "geometry"}))
        return None
    try:
        geom = parse_geometry(value)
    except GeometryError as exc:
        problems.append(Problem(code, _("unreadable geometry: %(reason)s") % {"reason": exc}))
        return None
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        problems.append(
            Problem(code, _("geometry must be a Polygon or MultiPolygon, not %(type)s") % {"type": geom.geom_type})
        )
        return None
    if geom.is_empty:
        problems.append(Problem(code, _("geometry is empty")))
        return None
    if not geom.is_valid:
        problems.append(Problem(code, _("invalid polygon: %(reason)s") % {"reason": explain_validity(geom)}))
        return None
    return to_wgs84_geometry(geom, system)


def check_territory(
    units: dict[str, UnitRecord], tolerance_m2: float, known_org_units: set[str] | None = None
) -> list[Problem]:
    """Check the territory as it would stand: parents, levels, org units, containment, tiling."""
    problems: list[Problem] = []
    children: dict[str, list[UnitRecord]] = defaultdict(list)
    for unit in units.values():
        if known_org_units is not None and unit.org_unit_code and unit.org_unit_code not in known_org_units:
            problems.append(Problem(unit.code, _("unknown org unit %(org)s") % {"org": unit.org_unit_code}))
        if unit.level <= 1 or not unit.parent_code:
            continue
        parent = units.get(unit.parent_code)
        if parent is None:
            problems.append(Problem(unit.code, _("unknown parent %(parent)s") % {"parent": unit.parent_code}))
        elif parent.level != unit.level - 1:
            problems.append(
                Problem(
                    unit.code,
                    _("a level-%(level)s unit needs a level-%(want)s parent; %(parent)s is level %(plevel)s")
                    % {"level": unit.level, "want": unit.level - 1, "parent": parent.code, "plevel": parent.level},
                )
            )
        else:
            children[parent.code].append(unit)
    problems.extend(_spatial_problems(units, children, tolerance_m2))
    return problems


def _spatial_problems(units, children, tolerance_m2: float) -> list[Problem]:
    geoms = [u.geometry for u in units.values() if u.geometry is not None]
    if not geoms:
        return []
    proj = LocalProjection.around(geoms)
    metric = {code: proj.forward(u.geometry) for code, u in units.items() if u.geometry is not None}
    present_levels = {u.level for u in units.values()}
    problems: list[Problem] = []
    for parent_code, kids in sorted(children.items()):
        parent_geom = metric.get(parent_code)
        kids = [k for k in kids if k.code in metric]
        if parent_geom is None:
            continue
        for kid in kids:
            outside = metric[kid.code].difference(parent_geom).area
            if outside > tolerance_m2:
                problems.append(
                    Problem(
                        kid.code,
                        _("lies outside its parent %(parent)s by %(area).1f m²")
                        % {"parent": parent_code, "area": outside},
                    )
                )
        level = units[parent_code].level + 1
        if level in TILED_LEVELS:
            problems.extend(_overlaps(kids, metric, tolerance_m2))
    for unit in units.values():
        level = unit.level + 1
        if level not in TILED_LEVELS or level not in present_levels or unit.code not in metric:
            continue
        kids = [metric[k.code] for k in children.get(unit.code, []) if k.code in metric]
        covered = shapely.union_all(kids) if kids else None
        gap = metric[unit.code] if covered is None else metric[unit.code].difference(covered)
        if gap.area > tolerance_m2:
            problems.append(
                Problem(
                    unit.code,
                    _("its level-%(level)s units leave a gap of %(area).1f m² (near %(where)s)")
                    % {"level": level, "area": gap.area, "where": _where(gap, proj)},
                )
            )
    return problems


def _overlaps(kids: list[UnitRecord], metric: dict, tolerance_m2: float) -> list[Problem]:
    if len(kids) < 2:
        return []
    geoms = [metric[k.code] for k in kids]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    problems = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        area = geoms[i].intersection(geoms[j]).area
        if area > tolerance_m2:
            problems.append(
                Problem(
                    kids[i].code,
                    _("overlaps its sibling %(other)s by %(area).1f m²") % {"other": kids[j].code, "area": area},
                )
            )
    return problems


def _where(geom, proj: LocalProjection) -> str:
    point = geom.representative_point()
    return f"{point.x / proj.kx:.6f},{point.y / proj.ky:.6f}"
