"""Bulk path: write many cases with their whole past at once (the demo's year of history, imports, benchmarks).

::

    seed_history(actor, specs, batch_size=5000)   # specs: an iterable of HistoryCase

Each batch is one transaction: the case rows (with codes reserved per day, one upsert per day), their
status histories, places and area index (optional), the running deadline clocks of the cases still
open (``workcal.start_clocks_in_bulk``), and **one audit row** (``operations.case.seed_history``) with a
digest of every case written. Nothing is checked against the transition table case by case: the
caller describes finished facts; the lifecycle they follow is the table's (report → accept → register →
dispatch → start handling → mark handled → verify → close).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, BatchDigest, PermissionDenied, action, record_batch
from yiwang.core.actor import Actor
from yiwang.core.bulkinsert import RawJSON

from .. import codes, sla
from ..models import Case, CaseArea, CaseAssignment, CasePlace, CaseStatus, CaseStatusChange, RoutedBy
from . import _clocks

S = CaseStatus
# (timestamp attribute, action, to-status) in the order of the loop
STEPS = (
    ("registered_at", "accept", S.ACCEPTED),
    ("registered_at", "register", S.REGISTERED),
    ("dispatched_at", "dispatch", S.DISPATCHED),
    ("dispatched_at", "start_handling", S.HANDLING),
    ("handled_at", "mark_handled", S.HANDLED),
    ("closed_at", "verify_pass", S.VERIFIED),
    ("closed_at", "close", S.CLOSED),
)


@dataclass
class HistoryCase:
    """One case as it happened. Timestamps left None were not reached (the case is still at that step)."""

    category_id: int
    channel: str
    discovery: str
    lon: float
    lat: float
    reported_at: datetime
    description: str = ""
    priority: int = 3
    address: str = ""
    registered_at: datetime | None = None
    dispatched_at: datetime | None = None
    handled_at: datetime | None = None
    closed_at: datetime | None = None
    department_id: int | None = None
    team_id: int | None = None
    district_code: str = ""
    subdistrict_code: str = ""
    grid_code: str = ""
    level4_codes: tuple[str, ...] = ()
    responsible: dict = field(default_factory=dict)
    overdue: bool = False  # a finished step that missed its deadline (statistics)


def status_of(spec: HistoryCase) -> str:
    if spec.closed_at:
        return S.CLOSED
    if spec.handled_at:
        return S.HANDLED
    if spec.dispatched_at:
        return S.HANDLING
    if spec.registered_at:
        return S.REGISTERED
    return S.REPORTED


def _running_clock(spec: HistoryCase) -> tuple[str, datetime] | None:
    """The clock still running for an open case: (kind, started at)."""
    status = status_of(spec)
    if status == S.HANDLING:
        return sla.HANDLE, spec.dispatched_at
    if status == S.REGISTERED:
        return sla.DISPATCH, spec.registered_at
    return None


class _Schedules:
    """Memoised deadline schedules: (start, unit, amount, share) → Schedule (starts are often shared)."""

    def __init__(self):
        from yiwang.core.workcal.services import get_calendar

        self.calendar = get_calendar()
        self.memo: dict = {}

    def __call__(self, started_at, unit, amount, share):
        key = (started_at, unit, amount, share)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self.calendar.schedule(started_at, unit, amount, timedelta(0), share)
        return found


TIMES = ("reported_at", "registered_at", "dispatched_at", "handled_at", "closed_at")
EMPTY = RawJSON("{}")
CASE_COLUMNS = (
    "id", "code", "version", "channel", "discovery", "category", "priority", "description", "answers",
    "external_ref", "public", "reporter", "reporter_name", "reporter_phone", "reporter_anonymous", "created_by",
    "lon", "lat", "address", "district_code", "subdistrict_code", "grid_code", "outside", "status",
    "status_before_suspension", "department", "team", "clock_kind", "due_at", "warned", "overdue",
    "escalation_level", "escalated_at", "parent", "merged_into", "suspected_duplicate_of", "created_at",
    "updated_at", "registered_at", "dispatched_at", "handled_at", "closed_at", "evaluation",
)  # fmt: skip


@action
def _batch(actor: Actor, specs: list[HistoryCase], categories: dict, schedules: _Schedules, history: bool) -> int:
    from yiwang.core import bulkinsert
    from yiwang.core.workcal.bulk import start_clocks_in_bulk

    share_default = float(_clocks.conf("WARNING_SHARE"))
    days = [timezone.localtime(spec.reported_at).date() for spec in specs]
    per_day: dict = {}
    for day in days:
        per_day[day] = per_day.get(day, 0) + 1
    next_number = {day: codes.reserve(day, count) for day, count in per_day.items()}
    ids = bulkinsert.allocate_ids(Case, len(specs))
    rows, clocks, converted, digest = [], [], [], BatchDigest()
    db_time = bulkinsert.db_datetime
    for pk, day, spec in zip(ids, days, specs, strict=True):
        category = categories[spec.category_id]
        number = next_number[day]
        next_number[day] += 1
        code = codes.format_code(day, number)
        status = status_of(spec)
        reached = [t for t in (spec.registered_at, spec.dispatched_at, spec.handled_at, spec.closed_at) if t]
        last = max(reached) if reached else spec.reported_at
        version = 1 + sum(1 for attr, _a, _s in STEPS if getattr(spec, attr))
        clock_kind, due_at, warned = "", None, False
        running = _running_clock(spec)
        if running is not None:
            kind, started = running
            clock_spec = sla.clock_spec(category, kind, default_share=share_default)
            schedule = schedules(started, clock_spec.unit, clock_spec.amount, clock_spec.warn_share)
            clock_kind, due_at = kind, schedule.due_at
            clocks.append((pk, kind, clock_spec, started))
        when = {attr: db_time(getattr(spec, attr)) for attr in TIMES}
        converted.append(when)
        rows.append(
            (pk, code, version, spec.channel, spec.discovery, spec.category_id, spec.priority,
             spec.description or category.name, EMPTY, "", category.public, None, "", "", False, None,
             spec.lon, spec.lat, spec.address, spec.district_code, spec.subdistrict_code, spec.grid_code, False,
             status, "", spec.department_id, spec.team_id, clock_kind, due_at, warned, spec.overdue,
             0, None, None, None, None, when["reported_at"],
             db_time(last), when["registered_at"], when["dispatched_at"], when["handled_at"], when["closed_at"], EMPTY)
        )  # fmt: skip
        digest.add([pk, code, spec.category_id, spec.channel, status, spec.reported_at.isoformat()])
    bulkinsert.insert(Case, CASE_COLUMNS, rows)
    if history:
        _write_history(actor, specs, ids, converted)
    if clocks:
        start_clocks_in_bulk(
            actor,
            (
                (_clocks.SUBJECT_TYPE, pk, kind, spec.unit, spec.amount, started, spec.warn_share)
                for pk, kind, spec, started in clocks
            ),
        )
    record_batch(actor, "operations.case.seed_history", "operations.case", digest)
    return len(rows)


def _write_history(actor: Actor, specs: list[HistoryCase], ids: list[int], times: list[dict]) -> None:
    from yiwang.core import bulkinsert

    label = actor.label
    statuses, places, areas, assignments = [], [], [], []
    place_json: dict = {}
    for spec, pk, when in zip(specs, ids, times, strict=True):
        version, previous = 1, S.REPORTED
        statuses.append((pk, when["reported_at"], None, label, "", S.REPORTED, "report", "", 1))
        for attr, name, to_status in STEPS:
            at = when[attr]
            if at is None:
                break
            version += 1
            statuses.append((pk, at, None, label, previous, to_status, name, "", version))
            previous = to_status
        by_level = {"1": spec.district_code, "2": spec.subdistrict_code, "3": spec.grid_code}
        key = (spec.district_code, spec.subdistrict_code, spec.grid_code, spec.level4_codes)
        encoded = place_json.get(key)
        if encoded is None:
            encoded = place_json[key] = (
                bulkinsert.db_json(by_level), bulkinsert.db_json(list(spec.level4_codes)),
                bulkinsert.db_json(spec.responsible),
            )  # fmt: skip
        places.append(
            (pk, when["reported_at"], None, label, spec.lon, spec.lat, spec.lon, spec.lat, "wgs84", spec.address,
             encoded[0], EMPTY, encoded[1], encoded[2], False)
        )  # fmt: skip
        for level, code in by_level.items():
            if code:
                areas.append((pk, int(level), code))
        for code in dict.fromkeys(spec.level4_codes):
            areas.append((pk, 4, code))
        if spec.dispatched_at and (spec.department_id or spec.team_id):
            assignments.append(
                (pk, when["dispatched_at"], None, label, spec.department_id, spec.team_id, RoutedBy.RULE, None, "")
            )
    entry = ("case", "at", "actor", "actor_label")
    bulkinsert.insert(CaseStatusChange, (*entry, "from_status", "to_status", "action", "reason", "version"), statuses)
    bulkinsert.insert(
        CasePlace,
        (*entry, "lon", "lat", "input_lon", "input_lat", "input_system", "address", "unit_codes", "unit_ids",
         "level4_codes", "responsible", "outside"),
        places,
    )  # fmt: skip
    bulkinsert.insert(CaseArea, ("case", "level", "unit_code"), areas)
    bulkinsert.insert(CaseAssignment, (*entry, "department", "team", "routed_by", "rule", "note"), assignments)


def seed_history(
    actor: Actor,
    specs: Iterable[HistoryCase],
    batch_size: int = 5000,
    *,
    history: bool = True,
    progress=None,
) -> int:
    """Write the cases of ``specs`` in batches of ``batch_size`` (one transaction and one audit row each).

    ``history=False`` writes only the case rows and their running clocks (benchmarks of the sweep and the
    lists). ``progress(count)`` is called after each batch. Only the system (or a system administrator)
    may rewrite the past. Returns how many cases were written.
    """
    from ..models import Category

    if actor.user is not None and not actor.user.is_superuser:
        raise PermissionDenied(_("Only the system may write the history of cases."))
    if batch_size < 1:
        raise ActionError(_("The batch size must be at least 1."), field="batch_size")
    categories = Category.objects.in_bulk()
    schedules = _Schedules()
    written = 0
    iterator = iter(specs)
    while True:
        chunk = list(islice(iterator, batch_size))
        if not chunk:
            break
        written += _batch(actor, chunk, categories, schedules, history)  # one transaction per batch
        if progress is not None:
            progress(written)
    if written:
        from ..queries.cases import refresh_statistics

        refresh_statistics()  # the planner must know the case tables' new shape
    return written
