"""Supervision (督办) by people; escalation of overdue cases up the levels (grid → subdistrict → district)."""

from __future__ import annotations

from django.utils import timezone
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


def _grid_orgs(cases) -> dict[int, dict]:
    """The responsible org units recorded with each case's current place (one query per 500 cases)."""
    ids = [c.pk for c in cases]
    found: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        rows = (
            CasePlace.objects.filter(case_id__in=ids[start : start + 500])
            .order_by("case_id", "-at", "-id")
            .values_list("case_id", "responsible")
        )
        for case_id, responsible in rows:
            found.setdefault(case_id, responsible or {})
    missing = [c for c in cases if c.pk not in found]
    if missing:  # no place row (bulk-written cases): the territory's current units of the case's codes
        from yiwang.territory.models import Unit

        wanted = {c.grid_code for c in missing} | {c.subdistrict_code for c in missing}
        orgs = dict(
            Unit.objects.filter(code__in=[w for w in wanted if w], valid_to__isnull=True).values_list(
                "code", "org_unit_id"
            )
        )
        for case in missing:
            found[case.pk] = {"grid": orgs.get(case.grid_code), "subdistrict": orgs.get(case.subdistrict_code)}
    return found


@action
def escalate_overdue(cases: list[Case], *, now=None, warned: bool = False) -> int:
    """Escalate freshly overdue cases to the grid level at once (system action of the clock sweep).

    Set-based: one supervision row per case (bulk), one ``UPDATE … RETURNING`` per 500 cases (only those
    still at level 0, so a case escalated meanwhile is left alone; ``warned`` marks them warned in the same
    statement, when their warning fired in the same sweep), one audit row for the batch with a digest of
    every case, level and supervising unit, and the handlers and supervisors told in as few messages as
    possible (:func:`_notify.tell_many`). Returns how many cases were escalated.
    """
    from yiwang.core import bulkinsert
    from yiwang.core.actions import BatchDigest, record_batch

    actor = Actor.system(Channel.WORKER)
    now = now or timezone.now()
    cases = [c for c in cases if c.escalation_level == sla.LEVEL_NONE]
    if not cases:
        return 0
    places = _grid_orgs(cases)
    centre = operations_centre_id()
    level = sla.LEVEL_GRID
    text = gettext("Overdue: escalated to %(level)s level.") % {"level": EscalationLevel(level).label}
    escalated, rows = [], []
    for start in range(0, len(cases), 500):
        chunk = cases[start : start + 500]
        locked = _mark_escalated([c.pk for c in chunk], level, now, warned=warned)
        chunk = [c for c in chunk if c.pk in locked]
        for case in chunk:
            responsible = places.get(case.pk, {})
            org_id = responsible.get("grid") or responsible.get("subdistrict") or centre
            rows.append((case.pk, now, None, actor.label, level, True, org_id, text))
            case.escalation_level, case.escalated_at, case.overdue = level, now, True
            case.version += 1
            escalated.append((case, org_id))
    columns = ("case", "at", "actor", "actor_label", "level", "automatic", "by_org", "note")
    bulkinsert.insert(Supervision, columns, rows)
    digest = BatchDigest()
    for case, org_id in escalated:
        digest.add({"case": case.pk, "level": level, "org": org_id})
    if digest.count:
        record_batch(actor, "operations.case.escalate", "operations.case", digest, note=now.isoformat())
    _tell_overdue(actor, escalated)
    return len(escalated)


def _mark_escalated(ids: list[int], level: int, now, *, warned: bool = False) -> set[int]:
    """Mark the cases of ``ids`` still at level 0 overdue and escalated; returns the ids it changed.

    One ``UPDATE … RETURNING`` (PostgreSQL, SQLite ≥ 3.35): the row lock and the re-check of the level
    come with the update itself, no ``SELECT … FOR UPDATE`` first.
    """
    if not ids:
        return set()
    from django.db import connection

    meta = Case._meta
    col = {name: connection.ops.quote_name(meta.get_field(name).column) for name in (
        "escalation_level", "escalated_at", "overdue", "warned", "updated_at", "version", "id"
    )}  # fmt: skip
    sets = [f"{col['escalation_level']} = %s", f"{col['escalated_at']} = %s", f"{col['overdue']} = %s"]
    at = connection.ops.adapt_datetimefield_value(now)
    params: list = [level, at, True]
    if warned:
        sets.append(f"{col['warned']} = %s")
        params.append(True)
    sets += [f"{col['updated_at']} = %s", f"{col['version']} = {col['version']} + 1"]
    params.append(at)
    marks = ", ".join(["%s"] * len(ids))
    # only quoted column names and placeholders are formatted in; every value is a parameter
    sql = (
        f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {', '.join(sets)} "  # noqa: S608
        f"WHERE {col['id']} IN ({marks}) AND {col['escalation_level']} = %s RETURNING {col['id']}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids, sla.LEVEL_NONE])
        return {row[0] for row in cursor.fetchall()}


def _tell_overdue(actor, escalated) -> int:
    orgs = _notify.users_of({org for _c, org in escalated})
    teams = _notify.users_of(
        {c.department_id for c, _o in escalated} | {c.team_id for c, _o in escalated}, _notify.HANDLER_ROLES
    )
    pairs = []
    for case, org_id in escalated:
        pairs += [(user, case, "org") for user in orgs.get(org_id, [])]
        seen = set()
        for unit in (case.department_id, case.team_id):
            for user in teams.get(unit, []):
                if user.pk not in seen:
                    seen.add(user.pk)
                    pairs.append((user, case, "handler"))
    what = gettext("overdue")

    def render(case, kind):
        if kind == "org":
            body = gettext("Case %(code)s is overdue and escalated to you.") % {"code": case.code}
        else:
            body = gettext("Case %(code)s is overdue.") % {"code": case.code}
        return _notify.subject_line(case, what), body

    return _notify.tell_many(actor, pairs, render, what)
