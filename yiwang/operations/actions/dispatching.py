"""Dispatch (派遣) — explicit or by the routing rules — and return (退单, "not ours")."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action
from yiwang.core.actor import Actor
from yiwang.core.models import OrgUnit

from .. import routing
from ..models import Case, CaseAssignment, CaseNote, NoteKind, RoutedBy
from ..routes import route_case
from ..workflow import A
from . import _clocks, _notify
from ._base import begin, require_text


def _org(value, field: str) -> OrgUnit | None:
    if value is None or isinstance(value, OrgUnit):
        return value
    row = OrgUnit.objects.filter(pk=value).first()
    if row is None:
        raise ActionError(_("There is no such organisation unit."), field=field)
    return row


def assign(step, department, team, routed_by: str, *, rule_id=None, note: str = "") -> CaseAssignment:
    """Set the case's current assignment and append it to the assignment history."""
    if department is None and team is None:
        raise ActionError(_("Choose a department or a handling team."), field="department")
    for unit, name in ((department, "department"), (team, "team")):
        if unit is not None and not unit.is_current():
            raise ActionError(_("“%(name)s” no longer exists.") % {"name": unit.name}, field=name)
    step.set(department=department, team=team)
    return CaseAssignment.objects.create(
        case=step.case,
        at=step.now,
        actor=step.actor.user,
        actor_label=step.actor.label,
        department=department,
        team=team,
        routed_by=routed_by,
        rule_id=rule_id,
        note=note,
    )


def tell_assigned(actor, case) -> None:
    _notify.tell_handlers(
        actor,
        case,
        _notify.subject_line(case, gettext("dispatched to you")),
        gettext("Case %(code)s (%(category)s, %(address)s) was dispatched to you; due %(due)s.")
        % {
            "code": case.code,
            "category": case.category.name,
            "address": case.address or "—",
            "due": case.due_at.isoformat(timespec="minutes") if case.due_at else "—",
        },
        ack=True,
    )


@action
def dispatch(
    actor: Actor,
    case,
    *,
    department=None,
    team=None,
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """派遣: to the department/team given, or (both omitted) where the routing rules send it.

    Stops the dispatch clock and starts a fresh handle clock; tells the handlers. Re-dispatching a
    dispatched case (or a returned one) moves it to the new assignee.
    """
    step = begin(actor, case, A.DISPATCH, expected_version=expected_version)
    department, team = _org(department, "department"), _org(team, "team")
    if department is None and team is None:
        decision = route_case(step.case, step.now)
        orgs = OrgUnit.objects.in_bulk([i for i in (decision.department_id, decision.team_id) if i])
        department, team = orgs.get(decision.department_id), orgs.get(decision.team_id)
        routed_by = RoutedBy.RULE if decision.routed_by == routing.RULE else RoutedBy.FALLBACK
        rule_id = decision.rule.id if decision.rule else None
        if department is None and team is None:
            raise ActionError(
                _("No routing rule matches and there is no operations centre to fall back on; choose a department."),
                field="department",
            )
    else:
        routed_by, rule_id = RoutedBy.EXPLICIT, None
    row = assign(step, department, team, routed_by, rule_id=rule_id, note=note)
    _clocks.stop(step, "dispatch")
    _clocks.start(step, "handle")
    step.set(dispatched_at=step.now)
    case = step.commit(
        reason=note,
        audit={
            "department": department.pk if department else None,
            "team": team.pk if team else None,
            "routed_by": row.routed_by,
            "rule": rule_id,
            "due_at": step.case.due_at.isoformat() if step.case.due_at else None,
        },
    )
    tell_assigned(actor, case)
    return case


@action
def return_case(actor: Actor, case, *, reason: str, expected_version: int | None = None) -> Case:
    """退单: "not ours" — back to the dispatcher with the reason; the handle clock stops, dispatch restarts."""
    reason = require_text(reason, "reason", _("Say why the case is not yours to handle."))
    step = begin(actor, case, A.RETURN, expected_version=expected_version)
    CaseNote.objects.create(
        case=step.case, at=step.now, actor=actor.user, actor_label=actor.label, kind=NoteKind.RETURN, text=reason
    )
    returned_by = step.case.department
    _clocks.stop(step, "handle")
    _clocks.start(step, "dispatch")
    case = step.commit(reason=reason, audit={"returned_by": returned_by.pk if returned_by else None})
    return case
