"""Intake policy "auto-register" (自动立案): trusted reports are accepted, registered and dispatched at once.

A category whose ``intake_policy`` is ``auto_register`` (and, if it lists any, whose
``auto_register_channels`` include the report's channel) skips the dispatcher: in the report's own
transaction the system accepts it, registers it and dispatches it where the routing rules send it.
The case row is written once, already dispatched; its status history holds every step (report, accept,
register, dispatch); the assignment history names the rule; the handle clock runs from the report; the
audit trail has the report and one ``operations.case.auto_intake`` event by the system. The dispatch
clock is not started: it would stop at the instant it started.

When no rule and no operations centre gives a department or team, the report stays "reported" for a
dispatcher, like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor

from .. import routing, sla
from ..models import Case, CaseAssignment, CaseStatus, CaseStatusChange, Category, IntakePolicy, RoutedBy
from ..routes import route_placement
from ..workflow import A
from . import _clocks

S = CaseStatus
STEPS = ((A.ACCEPT, S.REPORTED, S.ACCEPTED), (A.REGISTER, S.ACCEPTED, S.REGISTERED), (A.DISPATCH, S.REGISTERED,
         S.DISPATCHED))  # fmt: skip


def applies(category: Category, channel: str) -> bool:
    if category.intake_policy != IntakePolicy.AUTO_REGISTER:
        return False
    channels = category.auto_register_channels or []
    return not channels or channel in channels


@dataclass
class Plan:
    decision: routing.Decision
    spec: sla.ClockSpec
    due_at: datetime
    warn_at: datetime | None


def plan(category: Category, placement, now: datetime, priority: int) -> Plan | None:
    """Where the case goes and when its handling is due; None when nobody can take it."""
    from yiwang.core.workcal.services import get_calendar

    decision = route_placement(category, placement, now, priority)
    if decision.department_id is None and decision.team_id is None:
        return None
    spec = sla.clock_spec(category, sla.HANDLE, default_share=float(_clocks.conf("WARNING_SHARE")))
    schedule = get_calendar().schedule(now, spec.unit, spec.amount, timedelta(0), spec.warn_share)
    return Plan(decision, spec, schedule.due_at, schedule.warn_at)


def prepare(case: Case, chosen: Plan, now: datetime) -> None:
    """Set the columns of a case that is inserted already dispatched."""
    case.status = S.DISPATCHED
    case.version = 1 + len(STEPS)
    case.registered_at = case.dispatched_at = now
    case.department_id = chosen.decision.department_id
    case.team_id = chosen.decision.team_id
    case.clock_kind, case.due_at = sla.HANDLE, chosen.due_at


def write(actor: Actor, case: Case, chosen: Plan, now: datetime) -> None:
    """The histories, the clock and the system's audit event of an auto-registered case (after its insert)."""
    from yiwang.core.workcal.actions import start_clock

    system = Actor.system(actor.channel)
    rows = [
        CaseStatusChange(case=case, at=now, actor=None, actor_label=system.label, from_status=before,
                         to_status=after, action=name, version=2 + i)
        for i, (name, before, after) in enumerate(STEPS)
    ]  # fmt: skip
    CaseStatusChange.objects.bulk_create(rows)
    decision = chosen.decision
    routed_by = RoutedBy.RULE if decision.routed_by == routing.RULE else RoutedBy.FALLBACK
    rule_id = decision.rule.id if decision.rule else None
    CaseAssignment.objects.create(
        case=case, at=now, actor=None, actor_label=system.label, department_id=decision.department_id,
        team_id=decision.team_id, routed_by=routed_by, rule_id=rule_id,
    )  # fmt: skip
    spec = chosen.spec
    start_clock(system, _clocks.subject(case), sla.HANDLE, spec.unit, spec.amount, started_at=now,
                warn_share=spec.warn_share)  # fmt: skip
    record_event(
        system,
        "operations.case.auto_intake",
        case,
        after={
            "steps": [name for name, _b, _a in STEPS],
            "status": case.status,
            "version": case.version,
            "department": decision.department_id,
            "team": decision.team_id,
            "routed_by": routed_by,
            "rule": rule_id,
            "due_at": chosen.due_at.isoformat(),
        },
    )


@action
def set_intake_policy(actor: Actor, category, policy: str, channels: list[str] | None = None) -> Category:
    """Set a category's intake policy (``manual`` or ``auto_register``) and its trusted channels."""
    from yiwang.core import permissions as core_perms

    from ..models import CaseChannel

    user = actor.user
    require(user is None or core_perms.is_system_admin(user), _("Only a system administrator may change this."))
    if policy not in IntakePolicy.values:
        raise ActionError(_("Unknown intake policy “%(value)s”.") % {"value": policy}, field="policy")
    channels = list(dict.fromkeys(channels or []))
    unknown = [c for c in channels if c not in CaseChannel.values]
    if unknown:
        raise ActionError(_("Unknown channel “%(value)s”.") % {"value": unknown[0]}, field="channels")
    row = category if isinstance(category, Category) else Category.objects.get(pk=category)
    before = {"intake_policy": row.intake_policy, "channels": row.auto_register_channels}
    row.intake_policy, row.auto_register_channels = policy, channels
    row.save(update_fields=["intake_policy", "auto_register_channels", "search_text"])
    record_event(actor, "operations.category.intake_policy", row, before=before,
                 after={"intake_policy": policy, "channels": channels})  # fmt: skip
    return row
