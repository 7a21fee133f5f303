"""Many reports at once (the Open311 intake queue): ``report_case``'s steps, one INSERT per table per batch.

::

    results = report_cases([dict(actor=…, channel=…, category=…, lon=…, lat=…, description=…, …), …])

Each report is checked exactly as :func:`~.intake.report_case` checks it (:func:`~.intake.prepare_report`);
one that is refused comes back as its ``ActionError`` in ``results`` and writes nothing. The others are
written together: their case rows, place rows, area index rows and first status rows each in one
statement, then — case by case, as ``report_case`` does — the audit event, the auto-intake steps and the
notifications. The audit rows are appended to their chains together at the end
(:func:`yiwang.core.audit.bulk.chained_in_bulk`).

Duplicate suspicion sees the open cases already stored *and* the earlier reports of the same batch (the
batch's cases are not stored yet when the later ones are checked): the earliest stored case wins, else
the earliest report of the batch — what one ``report_case`` after the other would have found. The stored
cases are searched by one query per category and ~1 km cell of the batch instead of one per report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection

from yiwang.core.actions import ActionError, action
from yiwang.core.audit.bulk import chained_in_bulk
from yiwang.core.bulkinsert import insert_many_objects as _insert

from .. import codes, duplicates
from ..models import Case
from . import _place
from .intake import NewReport, finish_report, prepare_report


class _Earlier:
    """The batch's reports so far, by category and ~500 m cell, for the duplicate check within the batch."""

    CELL = 0.005  # degrees

    def __init__(self):
        self.cells: dict[tuple, list] = {}
        self.count = 0

    def add(self, new: NewReport, case) -> None:
        key = (new.category.pk, int(case.lat // self.CELL), int(case.lon // self.CELL))
        self.cells.setdefault(key, []).append((self.count, new, case))
        self.count += 1

    def repeated(self, new: NewReport):
        """The earliest case of this batch (not stored yet) that ``new`` repeats, or None."""
        category = new.category
        radius = float(category.duplicate_radius_m)
        window = timedelta(hours=category.duplicate_window_hours)
        if radius <= 0 or window <= timedelta(0) or not self.count:
            return None
        lon, lat = new.placement.lon, new.placement.lat
        min_lon, max_lon, min_lat, max_lat = duplicates.bbox(lon, lat, radius)
        best = None
        for y in range(int(min_lat // self.CELL), int(max_lat // self.CELL) + 1):
            for x in range(int(min_lon // self.CELL), int(max_lon // self.CELL) + 1):
                for order, other, case in self.cells.get((category.pk, y, x), ()):
                    if best is not None and order >= best[0]:
                        break  # each cell's list is in batch order
                    if case.status not in duplicates.TARGET_STATES or not new.now - window <= other.now <= new.now:
                        continue
                    if duplicates.haversine_m(lon, lat, case.lon, case.lat) <= radius:
                        best = (order, case)
                        break
        return best[1] if best else None


GROUP = 0.01  # degrees (~1 km): reports of one category in one such cell share a duplicate query


def _probe_sql(states: int) -> str:
    table = connection.ops.quote_name(Case._meta.db_table)
    marks = ", ".join(["%s"] * states)
    # the table name is our model's, quoted; every value is a parameter
    return (
        f"SELECT id, lon, lat, code, created_at FROM {table} WHERE category_id = %s AND lat >= %s AND lat <= %s"  # noqa: S608
        f" AND lon >= %s AND lon <= %s AND created_at >= %s AND created_at <= %s AND status IN ({marks})"
        " ORDER BY created_at, id"
    )


def _as_datetime(value):
    if isinstance(value, str):  # SQLite: UTC text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _stored_repeats(news: list[NewReport]) -> dict[int, duplicates.DuplicateRef]:
    """``earliest_duplicate_ref`` of every report, by one query per category and ~1 km cell of the batch."""
    groups: dict[tuple, list[int]] = {}
    for i, new in enumerate(news):
        category = new.category
        if float(category.duplicate_radius_m) <= 0 or timedelta(hours=category.duplicate_window_hours) <= timedelta(0):
            continue
        key = (category.pk, int(new.placement.lat // GROUP), int(new.placement.lon // GROUP))
        groups.setdefault(key, []).append(i)
    found: dict[int, duplicates.DuplicateRef] = {}
    adapt = connection.ops.adapt_datetimefield_value
    sql = _probe_sql(len(duplicates.TARGET_STATES))
    with connection.cursor() as cursor:
        for (category_pk, _y, _x), members in groups.items():
            category = news[members[0]].category
            radius = float(category.duplicate_radius_m)
            window = timedelta(hours=category.duplicate_window_hours)
            boxes = [duplicates.bbox(news[i].placement.lon, news[i].placement.lat, radius) for i in members]
            since = min(news[i].now for i in members) - window
            until = max(news[i].now for i in members)
            params = [category_pk, min(b[2] for b in boxes), max(b[3] for b in boxes), min(b[0] for b in boxes),
                      max(b[1] for b in boxes), adapt(since), adapt(until), *duplicates.TARGET_STATES]  # fmt: skip
            cursor.execute(sql, params)
            rows = [(pk, lon, lat, code, _as_datetime(at)) for pk, lon, lat, code, at in cursor.fetchall()]
            for i in members:
                new = news[i]
                lon, lat, low = new.placement.lon, new.placement.lat, new.now - window
                for pk, row_lon, row_lat, code, at in rows:  # earliest first, as earliest_duplicate_ref
                    if low <= at <= new.now and duplicates.haversine_m(lon, lat, row_lon, row_lat) <= radius:
                        found[i] = duplicates.DuplicateRef(pk, code)
                        break
    return found


@dataclass
class Plan:
    """A batch checked, placed and built, nothing written yet (:func:`plan_reports`)."""

    results: list  # per report: its (unsaved) Case, or the ActionError that refused it
    built: list = field(default_factory=list)  # (NewReport, Case, report kwargs, CasePlace, [CaseArea])
    repeats: list = field(default_factory=list)  # (case, the earlier case of this batch it repeats)


def plan_reports(reports: list[dict]) -> Plan:
    """Everything of a batch that only reads: checks, places, routing plans, duplicates, the rows to write.

    May run before the writer's turn (SQLite); :func:`write_reports` then writes the plan.
    """
    plan = Plan(results=[])
    prepared: list[tuple[NewReport, dict]] = []
    for report in reports:
        try:
            prepared.append((prepare_report(**report), report))
            plan.results.append(None)  # filled in below
        except ActionError as exc:
            plan.results.append(exc)
    stored = _stored_repeats([new for new, _r in prepared])
    slots = iter([i for i, r in enumerate(plan.results) if r is None])
    batch = _Earlier()
    for n, (new, report) in enumerate(prepared):
        new.duplicate = stored.get(n)
        earlier = batch.repeated(new) if new.duplicate is None else None
        case = new.build(code="")  # its code is taken when it is written
        batch.add(new, case)
        if earlier is not None:
            plan.repeats.append((case, earlier))
        place, areas = _place.place_rows(
            new.actor, case, new.placement, input_lon=report["lon"], input_lat=report["lat"],
            system=(report.get("coord_system") or "wgs84").lower(), address=case.address, now=new.now,
        )  # fmt: skip
        plan.built.append((new, case, report, place, areas))
        plan.results[next(slots)] = case
    return plan


def write_reports(plan: Plan) -> list:
    """Write a :func:`plan_reports` plan in the caller's transaction; returns its results."""
    built = plan.built
    if not built:
        return plan.results
    for new, case, _r, _p, _a in built:
        case.code = codes.new_code(new.now)
    _insert([case for _n, case, _r, _p, _a in built])
    for case, earlier in plan.repeats:  # rare: one UPDATE each, now that the earlier case has its id
        case.suspected_duplicate_of_id = earlier.pk
        case.duplicate_code = earlier.code
        Case.objects.filter(pk=case.pk).update(suspected_duplicate_of_id=earlier.pk)
    for new, case, _r, _p, _a in built:
        if case.duplicate_code and new.duplicate is None:
            new.duplicate = duplicates.DuplicateRef(case.suspected_duplicate_of_id, case.duplicate_code)
    places, areas = [], []
    for _new, case, _r, place, case_areas in built:
        place.case_id = case.pk  # built before the case had its id
        for area in case_areas:
            area.case_id = case.pk
        places.append(place)
        areas += case_areas
    _insert(places)
    _insert(areas)
    _insert([new.status_row(case) for new, case, _r, _p, _a in built])
    with chained_in_bulk():
        for new, case, _r, _p, _a in built:
            finish_report(new, case)
    return plan.results


@action
def report_cases(reports: list[dict]) -> list:
    """Record many reports (``report_case``'s keyword arguments, ``actor`` included, no attachments).

    Returns, in order, the new ``Case`` of each report or the ``ActionError`` that refused it.
    """
    return write_reports(plan_reports(reports))
