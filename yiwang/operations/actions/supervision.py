"""Supervision (督办) by people; escalation of overdue cases up the levels (grid → subdistrict → district)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import action
from yiwang.core.actor import Actor, Channel
from yiwang.core.models import OrgUnit
from yiwang.core.roles import OrgKind, Role
from yiwang.core.scope import org_units_for

from .. import sla
from ..models import Case, CasePlace, EscalationLevel, Supervision
from ..routes import operations_centre_id
from ..workflow import A
from . import _notify
from ._base import begin, require_text


def level_org(case: Case, level: int) -> OrgUnit | None:
    """Who supervises ``case`` at ``level``: the grid's team, the subdistrict's centre, the operations centre."""
    place = CasePlace.objects.filter(case=case).order_by("-at", "-id").first()
    responsible = place.responsible if place else {}
    org_id = None
    if level == sla.LEVEL_GRID:
        org_id = responsible.get("grid") or responsible.get("subdistrict")
    elif level == sla.LEVEL_SUBDISTRICT:
        org_id = responsible.get("subdistrict")
    if org_id is None or level == sla.LEVEL_DISTRICT:
        org_id = operations_centre_id()
    return OrgUnit.objects.filter(pk=org_id).first() if org_id else None


def actor_level(actor: Actor) -> tuple[int, OrgUnit | None]:
    """The level a person supervises at: leaders and the operations centre the district, dispatchers the subdistrict."""
    user = actor.user
    if user is None:
        return sla.LEVEL_DISTRICT, None
    centre = org_units_for(user, Role.OPERATIONS_CENTRE, Role.LEADER)
    if centre:
        return sla.LEVEL_DISTRICT, centre[0]
    grid_centres = [u for u in org_units_for(user, Role.DISPATCHER) if u.kind == OrgKind.GRID_CENTRE]
    return sla.LEVEL_SUBDISTRICT, (grid_centres[0] if grid_centres else None)


@action
def supervise(actor: Actor, case, *, note: str, expected_version: int | None = None) -> Case:
    """督办: a supervision order on an open case; the handlers are told (with an acknowledgement link)."""
    note = require_text(note, "note", _("Write the supervision instruction."))
    step = begin(actor, case, A.SUPERVISE, expected_version=expected_version)
    level, org = actor_level(actor)
    row = Supervision.objects.create(
        case=step.case, at=step.now, actor=actor.user, actor_label=actor.label, level=level, by_org=org, note=note
    )
    case = step.commit(reason=note, audit={"supervision": row.pk, "level": level})
    _notify.tell_handlers(
        actor,
        case,
        _notify.subject_line(case, gettext("supervised")),
        gettext("Case %(code)s is under supervision: %(note)s") % {"code": case.code, "note": note},
        ack=True,
    )
    return case


@action
def escalate(case, *, reason: str = "") -> Supervision | None:
    """Raise an overdue case one level (system action of the deadline sweep); None when already at the district."""
    actor = Actor.system(Channel.WORKER)
    step = begin(actor, case, A.ESCALATE)
    level = sla.next_level(step.case.escalation_level)
    if level is None:
        step.commit(note="already at district level")
        return None
    org = level_org(step.case, level)
    text = reason or gettext("Overdue: escalated to %(level)s level.") % {"level": EscalationLevel(level).label}
    row = Supervision.objects.create(
        case=step.case,
        at=step.now,
        actor=None,
        actor_label=actor.label,
        level=level,
        automatic=True,
        by_org=org,
        note=text,
    )
    step.set(escalation_level=level, escalated_at=step.now, overdue=True)
    case = step.commit(reason=text, audit={"supervision": row.pk, "level": level, "org": org.pk if org else None})
    subject = _notify.subject_line(case, gettext("overdue"))
    _notify.tell_org(
        actor, case, org, subject, gettext("Case %(code)s is overdue and escalated to you.") % {"code": case.code}
    )
    _notify.tell_handlers(actor, case, subject, gettext("Case %(code)s is overdue.") % {"code": case.code}, ack=True)
    return row
