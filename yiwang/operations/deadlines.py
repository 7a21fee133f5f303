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

from yiwang.core.actions import ActionError, record_event
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


def register() -> None:
    from yiwang.core.workcal.sweep import register_clock_handler

    from . import evaluation

    register_clock_handler(SUBJECT_TYPE, on_warning=on_warning, on_overdue=on_overdue)
    evaluation.register()
