"""Planning and writing a territory import (called by ``actions.import_territory`` inside its transaction).

``plan_units`` compares the file with the units in force: new codes are created, changed units get a
new version (the old row is closed on the new row's ``valid_from``), unchanged units are left alone,
and with ``replace`` the units missing from the file are closed. Nothing is written while any problem
remains: the caller raises and the transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from yiwang.core.audit.hashing import BatchDigest
from yiwang.core.models import OrgUnit

from .geometry import LocalProjection, dump_geometry, load_geometry
from .models import TerritoryRevision, Unit
from .validation import Problem, UnitRecord, check_territory, coordinate_system_of, parse_units


@dataclass
class UnitPlan:
    system: str = "wgs84"
    create: list[Unit] = field(default_factory=list)  # new codes and new versions, unsaved
    close: dict[int, dt.date] = field(default_factory=dict)  # row id -> valid_to
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def content_hash(row: Unit) -> str:
    payload = {
        "code": row.code,
        "level": row.level,
        "kind": row.kind,
        "name": row.name,
        "name_en": row.name_en,
        "parent": row.parent_code,
        "org_unit": row.org_unit_id,
        "population": row.population,
        "geometry": row.geometry,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def org_units_in_force(on: dt.date) -> dict[str, int]:
    """OrgUnit code -> id of the version in force on ``on``, else of the current (open) version.

    The fallback lets a territory dated in the past point at org units recorded only today.
    """
    current = OrgUnit.objects.filter(valid_to__isnull=True)
    then = OrgUnit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on)
    found = dict(current.order_by("valid_from").values_list("code", "id"))
    found.update(then.order_by("valid_from").values_list("code", "id"))
    return found


def current_records() -> tuple[dict[str, Unit], dict[str, UnitRecord]]:
    rows = {u.code: u for u in Unit.objects.filter(valid_to__isnull=True).select_for_update()}
    records = {
        code: UnitRecord(
            code=code,
            level=u.level,
            kind=u.kind,
            name=u.name,
            parent_code=u.parent_code,
            geometry=load_geometry(u.geometry),
        )
        for code, u in rows.items()
    }
    return rows, records


def plan_units(
    data: dict,
    *,
    coordinate_system: str | None,
    valid_from: dt.date,
    replace: bool,
    tolerance_m2: float,
) -> UnitPlan:
    system, problems = coordinate_system_of(data, coordinate_system)
    plan = UnitPlan(system=system, problems=problems)
    records, problems = parse_units(data, system)
    plan.problems.extend(problems)
    current, merged = current_records()
    file_codes = {r.code for r in records}
    closing = [code for code in current if code not in file_codes] if replace else []
    for code in closing:
        merged.pop(code)
    merged.update({r.code: r for r in records})
    orgs = org_units_in_force(valid_from)
    plan.problems.extend(check_territory(merged, tolerance_m2, set(orgs)))
    proj = LocalProjection.around([r.geometry for r in records if r.geometry is not None])
    for record in records:
        if record.geometry is None:
            continue
        row = _row(record, orgs, valid_from, proj)
        old = current.get(record.code)
        if old is None:
            plan.create.append(row)
            plan.created.append(record.code)
        elif old.content_hash == row.content_hash:
            plan.unchanged += 1
        elif row.valid_from < old.valid_from:
            msg = _("valid_from %(new)s is before the current version's valid_from %(old)s")
            plan.problems.append(Problem(record.code, msg % {"new": row.valid_from, "old": old.valid_from}))
        else:
            plan.close[old.id] = row.valid_from
            plan.create.append(row)
            plan.changed.append(record.code)
    for code in closing:
        plan.close[current[code].id] = valid_from
        plan.closed.append(code)
    return plan


def _row(record: UnitRecord, orgs: dict[str, int], valid_from: dt.date, proj: LocalProjection) -> Unit:
    row = Unit(
        code=record.code,
        level=record.level,
        kind=record.kind,
        name=record.name,
        name_en=record.name_en,
        parent_code=record.parent_code,
        org_unit_id=orgs.get(record.org_unit_code) if record.org_unit_code else None,
        population=record.population,
        geometry=dump_geometry(record.geometry),
        area_m2=round(proj.area_m2(record.geometry), 1),
        valid_from=record.valid_from or valid_from,
    )
    row.content_hash = content_hash(row)
    return row


def apply_units(plan: UnitPlan) -> BatchDigest:
    """Write the plan (bulk) and return the digest of what was written."""
    batch = BatchDigest()
    by_date: dict[dt.date, list[int]] = {}
    for row_id, valid_to in plan.close.items():
        by_date.setdefault(valid_to, []).append(row_id)
    for valid_to, ids in sorted(by_date.items()):
        Unit.objects.filter(id__in=ids).update(valid_to=valid_to)
    for code in plan.closed:
        batch.add({"close": code})
    Unit.objects.bulk_create(plan.create, batch_size=500)
    for row in plan.create:
        batch.add({"open": row.code, "valid_from": row.valid_from.isoformat(), "content": row.content_hash})
    return batch


def bump_revision(*, units: bool = False, pois: bool = False) -> TerritoryRevision:
    rev, _created = TerritoryRevision.objects.select_for_update().get_or_create(id=1)
    rev.units += int(units)
    rev.pois += int(pois)
    rev.save(update_fields=["units", "pois"])
    return rev
