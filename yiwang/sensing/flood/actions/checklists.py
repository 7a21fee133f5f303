"""Pre-flood inspection checklists (汛前检查) issued as tasks to the grid teams, and checked off on site."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, BatchDigest, Conflict, action, record_batch, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.roles import OrgKind

from ..models import (
    ChecklistTarget,
    ChecklistTemplate,
    InspectionRound,
    InspectionTask,
    TaskStatus,
    category_problem,
)
from ..permissions import actor_may_manage, may_do_task
from .problems import open_problem_cases

OK, PROBLEM = "ok", "problem"


def _grid_teams(grids) -> dict[str, object]:
    """grid code → its responsible grid team (the unit's org unit, else the team holding the grid's code)."""
    from yiwang.core.models import OrgUnit

    teams = {g.code: g.org_unit for g in grids if g.org_unit is not None and g.org_unit.kind == OrgKind.GRID_TEAM}
    missing = [g.code for g in grids if g.code not in teams]
    if missing:
        for unit in OrgUnit.objects.filter(kind=OrgKind.GRID_TEAM, territory_code__in=missing).order_by("-valid_from"):
            if unit.is_current():
                teams.setdefault(unit.territory_code, unit)
    return teams


def _targets(template: ChecklistTemplate, grids) -> list[dict]:
    if template.target == ChecklistTarget.GRID:
        return [{"grid": g.code, "subdistrict": g.parent_code, "poi": "", "name": g.name} for g in grids]
    from yiwang.territory.models import PointOfInterest

    parent = {g.code: g.parent_code for g in grids}
    pois = PointOfInterest.objects.filter(kind=template.poi_kind, grid_code__in=parent).order_by("code")
    return [{"grid": p.grid_code, "subdistrict": parent[p.grid_code], "poi": p.code, "name": p.name} for p in pois]


@action
def issue_checklist(
    actor: Actor,
    template: ChecklistTemplate,
    *,
    due_on: dt.date,
    subdistricts: list[str] | None = None,
    title: str = "",
) -> InspectionRound:
    """Issue ``template`` to the grid teams (of ``subdistricts``, default all): one task per grid or point.

    Refused with every grid that has no grid team named, or when there is nothing to inspect.
    """
    from yiwang.territory.services import units_in_force

    require(actor_may_manage(actor), _("You may not issue inspection checklists."))
    if not template.active:
        raise ActionError(_("The checklist %(name)s is not active.") % {"name": template.name}, field="template")
    rows = list(template.items.order_by("position", "id").values_list("text", "category_code"))
    if not rows:
        raise ActionError(_("The checklist %(name)s has no items.") % {"name": template.name}, field="template")
    items = [text for text, code in rows]
    categories = [code for text, code in rows]
    found = ((i, category_problem(code)) for i, code in enumerate(categories))
    wrong = [f"{i + 1}: {problem}" for i, problem in found if problem]
    if wrong:
        raise ActionError(
            _("The checklist %(name)s has items whose problems cannot open cases (item %(items)s).")
            % {"name": template.name, "items": "; ".join(wrong)},
            field="template",
        )
    if due_on < timezone.localdate():
        raise ActionError(_("The due date is in the past."), field="due_on")
    grids = units_in_force().filter(level=3).order_by("code")
    if subdistricts:
        known = set(units_in_force().filter(level=2, code__in=subdistricts).values_list("code", flat=True))
        unknown = sorted(set(subdistricts) - known)
        if unknown:
            raise ActionError(
                _("Unknown subdistrict(s): %(codes)s") % {"codes": ", ".join(unknown)}, field="subdistricts"
            )
        grids = grids.filter(parent_code__in=subdistricts)
    grids = list(grids)
    targets = _targets(template, grids)
    if not targets:
        raise ActionError(_("There is nothing to inspect in these subdistricts."), field="subdistricts")
    teams = _grid_teams(grids)
    without = sorted({t["grid"] for t in targets} - set(teams))
    if without:
        raise ActionError(
            _("These grids have no grid team to give the task to: %(codes)s") % {"codes": ", ".join(without)},
            field="subdistricts",
        )
    issued = InspectionRound.objects.create(
        template=template,
        title=title or template.name,
        items=items,
        categories=categories,
        due_on=due_on,
        issued_at=timezone.now(),
        issued_by=actor.user,
    )
    tasks = [
        InspectionTask(
            round=issued,
            subdistrict_code=t["subdistrict"],
            grid_code=t["grid"],
            poi_code=t["poi"],
            poi_name=t["name"] if t["poi"] else "",
            org_unit=teams[t["grid"]],
        )
        for t in targets
    ]
    InspectionTask.objects.bulk_create(tasks)
    digest = BatchDigest()
    for t in targets:
        digest.add(t)
    record_event(actor, "flood.checklist.issue", issued, after={"template": template.code, "tasks": len(tasks)})
    record_batch(actor, "flood.task.create", "flood.inspectiontask", digest, label=f"round:{issued.pk}")
    return issued


@action
def complete_task(actor: Actor, task: InspectionTask, *, results: dict, note: str = "", photo=None) -> InspectionTask:
    """A grid worker checked every item on site: each "ok" or "problem"; a problem needs a note.

    The photo (optional) is stored through the content-checked uploads in the same transaction, and each
    item found wrong opens a grid patrol case (``problems.open_problem_cases``) linked to the task: if a case
    cannot be opened, the task stays open.
    """
    task = InspectionTask.objects.select_for_update().select_related("round").get(pk=task.pk)
    require(may_do_task(actor.user, task), _("This task is not for your grid."))
    if task.status == TaskStatus.DONE:
        raise Conflict(_("This task was already done."))
    items = task.round.items
    clean: dict[str, str] = {}
    missing = []
    for i in range(len(items)):
        value = str(results.get(str(i), results.get(i, "")) or "")
        if value not in (OK, PROBLEM):
            missing.append(str(i + 1))
        clean[str(i)] = value
    if missing:
        raise ActionError(_("Answer every item (missing: %(items)s).") % {"items": ", ".join(missing)}, field="results")
    note = (note or "").strip()
    if PROBLEM in clean.values() and not note:
        raise ActionError(_("Describe the problem you found in the note."), field="note")
    if len(note) > 2000:
        raise ActionError(_("The note is longer than 2,000 characters."), field="note")
    if photo is not None:
        from yiwang.core.uploads.actions import store_upload

        task.photo = store_upload(actor, photo, purpose="flood-inspection")
    task.results = clean
    task.note = note
    task.status = TaskStatus.DONE
    task.done_at = timezone.now()
    task.done_by = actor.user
    task.save(update_fields=["results", "note", "status", "done_at", "done_by", "photo"])
    problems = [i for i in range(len(items)) if clean[str(i)] == PROBLEM]
    cases = open_problem_cases(actor, task, problems)
    record_event(
        actor,
        "flood.task.complete",
        task,
        after={"problems": len(problems), "photo": task.photo_id is not None, "cases": [c.code for c in cases]},
    )
    task.opened_cases = cases
    return task
