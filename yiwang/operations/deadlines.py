"""Deadline events of cases: the work calendar's clock sweep calls these handlers (in the worker).

* warning (at the category's share of the time, default 75 %): the case is marked ``warned`` and its
  handlers are told the deadline nears;
* overdue: the case is marked ``overdue`` and escalated one level (grid), with a supervision record and
  a notification; :func:`sweep_escalations` (a periodic job) raises it further (subdistrict, district)
  while it stays overdue, every ``OPERATIONS["ESCALATE_EVERY_HOURS"]`` working hours.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yiwang.core.actions import ActionError, BatchDigest, record_batch, record_event
from yiwang.core.actor import Actor, Channel

from . import sla

log = logging.getLogger("yiwang.operations")
SUBJECT_TYPE = "operations.case"
ESCALATION_SWEEP_SECONDS = 300


def _case_for(clock):
    from .models import Case

    case = Case.objects.select_related("category", "department", "team").filter(pk=clock.subject_id).first()
    if case is None or not case.is_open or case.clock_kind != clock.kind:
        return None
    return case


def on_warning(clock) -> None:
    """The deadline nears: mark the case and tell its handlers (runs inside the sweep's transaction)."""
    from .actions import _notify
    from .models import Case

    case = _case_for(clock)
    if case is None:
        return
    Case.objects.filter(pk=case.pk).update(warned=True)
    actor = Actor.system(Channel.WORKER)
    record_event(actor, "operations.case.deadline_warning", case, after={"clock": clock.pk, "kind": clock.kind})
    _notify.tell_handlers(
        actor,
        case,
        _notify.subject_line(case, gettext("deadline nears")),
        gettext("Case %(code)s is due %(due)s.")
        % {"code": case.code, "due": timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")},
    )


def on_overdue(clock) -> None:
    """Past the deadline: mark the case overdue and escalate it one level."""
    from .actions import escalate
    from .models import Case

    case = _case_for(clock)
    if case is None:
        return
    Case.objects.filter(pk=case.pk).update(overdue=True)
    if case.escalation_level == sla.LEVEL_NONE:
        escalate(case)


def sweep_escalations(now: datetime | None = None) -> int:
    """Raise overdue cases whose last escalation is ``ESCALATE_EVERY_HOURS`` working hours old; returns how many."""
    from yiwang.core.workcal.services import working_time_between

    from .actions import _clocks, escalate
    from .models import Case
    from .workflow import SUPERVISABLE

    now = now or timezone.now()
    every = float(_clocks.conf("ESCALATE_EVERY_HOURS"))
    rows = Case.objects.filter(overdue=True, status__in=SUPERVISABLE, escalation_level__lt=sla.LEVEL_DISTRICT)
    raised = 0
    for case in rows.order_by("escalated_at", "id").only("id", "escalation_level", "escalated_at")[:1000]:
        worked = working_time_between(case.escalated_at, now, strict=False) if case.escalated_at else None
        if not sla.escalation_due(case.escalation_level, case.escalated_at, worked, every):
            continue
        try:
            with transaction.atomic():
                escalate(case.pk)
            raised += 1
        except ActionError as exc:
            log.info("case %s not escalated: %s", case.pk, exc.message)
    return raised


# --- set-based handlers (the sweep calls them once per batch of up to 2,000 clocks) ----------------

CASE_FIELDS = (
    "id",
    "code",
    "status",
    "clock_kind",
    "escalation_level",
    "version",
    "department_id",
    "team_id",
    "subdistrict_code",
    "grid_code",
)


class CaseRef:
    """The columns of a case that the set-based handlers need (no model instance: thousands at a time)."""

    __slots__ = (*CASE_FIELDS, "escalated_at", "overdue")

    def __init__(self, row):
        for name, value in zip(CASE_FIELDS, row, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id


def cases_for(clocks) -> list[CaseRef]:
    """The open cases whose running clock is the one that fired (one query per 500 clocks)."""
    from .models import Case
    from .workflow import OPEN_STATES

    kinds = {}
    for clock in clocks:
        if clock.subject_id.isdigit():
            kinds[int(clock.subject_id)] = clock.kind
    ids = list(kinds)
    found = []
    for start in range(0, len(ids), 500):
        rows = Case.objects.filter(pk__in=ids[start : start + 500], status__in=OPEN_STATES).values_list(*CASE_FIELDS)
        found += [CaseRef(row) for row in rows if row[3] == kinds[row[0]]]
    return found


def on_warnings(clocks) -> None:
    """The deadlines near: mark the cases, one audit row for the batch, tell the handlers (digest per person)."""
    from .models import Case

    cases = cases_for(clocks)
    if not cases:
        return
    for start in range(0, len(cases), 500):
        Case.objects.filter(pk__in=[c.pk for c in cases[start : start + 500]]).update(warned=True)
    _tell_warnings(cases, clocks)


def _tell_warnings(cases: list[CaseRef], clocks) -> None:
    """One audit row for the batch's warnings and the handlers told (digest per person)."""
    from .actions import _notify

    actor = Actor.system(Channel.WORKER)
    due = {int(c.subject_id): c.due_at for c in clocks if c.subject_id.isdigit()}
    digest = BatchDigest()
    for case in cases:
        digest.add({"case": case.pk, "kind": case.clock_kind})
    record_batch(actor, "operations.case.deadline_warning", "operations.case", digest)
    teams = _notify.users_of({c.department_id for c in cases} | {c.team_id for c in cases}, _notify.HANDLER_ROLES)
    pairs = []
    for case in cases:
        seen = set()
        for unit in (case.department_id, case.team_id):
            for user in teams.get(unit, []):
                if user.pk not in seen:
                    seen.add(user.pk)
                    pairs.append((user, case, "handler"))
    what = gettext("deadline nears")

    def render(case, _kind):
        due_at = timezone.localtime(due[case.pk]).strftime("%Y-%m-%d %H:%M")
        body = gettext("Case %(code)s is due %(due)s.") % {"code": case.code, "due": due_at}
        return _notify.subject_line(case, what), body

    _notify.tell_many(actor, pairs, render, what)


def on_warnings_and_overdues(clocks) -> None:
    """Warning and deadline in one sweep (after a weekend, an outage): the work of both handlers, one UPDATE.

    The cases not yet escalated are marked warned, overdue and escalated by one ``UPDATE … RETURNING``
    per 500 (:func:`escalate_overdue` with ``warned=True``); the others warned and overdue by one. The
    audit rows and notifications are those of :func:`on_warnings` followed by :func:`on_overdues`.
    """
    from .actions.supervision import escalate_overdue
    from .models import Case

    cases = cases_for(clocks)
    if not cases:
        return
    already = [c.pk for c in cases if c.escalation_level != sla.LEVEL_NONE]
    for start in range(0, len(already), 500):
        Case.objects.filter(pk__in=already[start : start + 500]).update(warned=True, overdue=True)
    fresh = [c for c in cases if c.escalation_level == sla.LEVEL_NONE]
    _tell_warnings(cases, clocks)
    escalate_overdue(cases, warned=True)  # sets the level on the refs it escalated
    left = [c.pk for c in fresh if c.escalation_level == sla.LEVEL_NONE]  # escalated meanwhile elsewhere
    for start in range(0, len(left), 500):
        Case.objects.filter(pk__in=left[start : start + 500]).update(warned=True, overdue=True)


def on_overdues(clocks) -> None:
    """Past the deadlines: mark the cases overdue and escalate those not yet escalated (set-based)."""
    from .actions.supervision import escalate_overdue
    from .models import Case

    cases = cases_for(clocks)
    if not cases:
        return
    # cases not yet escalated get ``overdue`` with their escalation (one UPDATE); the others only the mark
    already = [c.pk for c in cases if c.escalation_level != sla.LEVEL_NONE]
    for start in range(0, len(already), 500):
        Case.objects.filter(pk__in=already[start : start + 500]).update(overdue=True)
    escalate_overdue(cases)


def register() -> None:
    from yiwang.core.workcal.sweep import register_batch_clock_handler, register_both_clock_handler

    from . import evaluation

    # set-based: one call per sweep batch (``on_warning``/``on_overdue`` remain for a single clock)
    register_batch_clock_handler(SUBJECT_TYPE, on_warning=on_warnings, on_overdue=on_overdues)
    register_both_clock_handler(SUBJECT_TYPE, on_warnings_and_overdues)
    evaluation.register()
