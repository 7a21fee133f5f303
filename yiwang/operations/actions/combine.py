"""Merging duplicates (合并) and splitting a case across several departments (拆分)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event
from yiwang.core.actor import Actor

from .. import codes
from ..models import Case, CaseArea, CasePlace, CaseStatus, CaseStatusChange, RoutedBy
from ..workflow import A
from . import _clocks, _notify
from ._base import Step, begin, lock_case, require_text
from .dispatching import _org, assign, tell_assigned

MAX_PARTS = 10


@action
def merge_into(actor: Actor, case, target, *, reason: str = "", expected_version: int | None = None) -> Case:
    """合并: ``case`` repeats ``target``; it ends here and its reporter follows ``target`` (told when it closes)."""
    step = begin(actor, case, A.MERGE, expected_version=expected_version)
    target = lock_case(target)
    if target.pk == step.case.pk:
        raise ActionError(_("A case cannot be merged into itself."), field="target")
    if not target.is_open or target.status == CaseStatus.SPLIT:
        raise ActionError(
            _("Case %(code)s is %(state)s; merge only into an open case.")
            % {"code": target.code, "state": target.get_status_display()},
            field="target",
        )
    cursor, seen = target, set()
    while cursor.merged_into_id and cursor.pk not in seen:  # never close a loop
        seen.add(cursor.pk)
        if cursor.merged_into_id == step.case.pk:
            raise ActionError(_("That would merge the two cases into each other."), field="target")
        cursor = Case.objects.get(pk=cursor.merged_into_id)
    _clocks.stop_all(step)
    step.set(merged_into=target, closed_at=step.now)
    text = reason or gettext("Duplicate of %(code)s.") % {"code": target.code}
    merged = step.commit(reason=text, audit={"into": target.code})
    record_event(actor, "operations.case.merge_in", target, after={"merged": merged.code})
    _notify.tell_reporter(
        actor,
        merged,
        _notify.subject_line(merged, gettext("merged")),
        gettext(
            "Your report %(mine)s is being dealt with together with case %(code)s; you will be told when it closes."
        )
        % {"mine": merged.code, "code": target.code},
    )
    return merged


def _child(step: Step, part: dict, index: int) -> Case:
    parent, now = step.case, step.now
    department, team = _org(part.get("department"), "department"), _org(part.get("team"), "team")
    category = part.get("category") or parent.category
    child = Case.objects.create(
        code=codes.new_code(now),
        channel=parent.channel,
        discovery=parent.discovery,
        category=category,
        priority=parent.priority,
        description=(part.get("description") or parent.description).strip(),
        answers=parent.answers,
        public=parent.public,
        reporter=parent.reporter,
        reporter_name=parent.reporter_name,
        reporter_phone=parent.reporter_phone,
        reporter_anonymous=parent.reporter_anonymous,
        created_by=step.actor.user,
        lon=parent.lon,
        lat=parent.lat,
        address=parent.address,
        district_code=parent.district_code,
        subdistrict_code=parent.subdistrict_code,
        grid_code=parent.grid_code,
        outside=parent.outside,
        parent=parent,
        status=CaseStatus.DISPATCHED,
        created_at=now,
        updated_at=now,
        registered_at=now,
        dispatched_at=now,
    )
    place = CasePlace.objects.filter(case=parent).order_by("-at", "-id").first()
    if place is not None:
        place.pk = None
        place.case = child
        place.at = now
        place.save(force_insert=True)
    CaseArea.objects.bulk_create(
        [CaseArea(case=child, level=a.level, unit_code=a.unit_code) for a in CaseArea.objects.filter(case=parent)]
    )
    for to_status in (CaseStatus.REGISTERED, CaseStatus.DISPATCHED):
        CaseStatusChange.objects.create(
            case=child,
            at=now,
            actor=step.actor.user,
            actor_label=step.actor.label,
            from_status="" if to_status == CaseStatus.REGISTERED else CaseStatus.REGISTERED,
            to_status=to_status,
            action="split",
            reason=gettext("Part %(n)s of %(code)s.") % {"n": index, "code": parent.code},
            version=child.version,
        )
    child_step = Step(step.actor, child, A.DISPATCH, CaseStatus.DISPATCHED, CaseStatus.DISPATCHED, step.roles, now)
    assign(child_step, department, team, RoutedBy.SPLIT)
    _clocks.start(child_step, "handle")
    Case.objects.filter(pk=child.pk).update(**child_step.changes)
    record_event(
        step.actor,
        "operations.case.split_child",
        child,
        after={
            "parent": parent.code,
            "department": department.pk if department else None,
            "team": team.pk if team else None,
        },
    )
    return child


@action
def split_case(
    actor: Actor, case, parts: Iterable[dict], *, reason: str, expected_version: int | None = None
) -> list[Case]:
    """拆分: one child case per part ``{department, team?, description?, category?}``, each dispatched at once.

    The parent waits (state ``split``) and closes by itself when every child has closed.
    """
    reason = require_text(reason, "reason", _("Say why the case is split."))
    parts = list(parts or ())
    if not 2 <= len(parts) <= MAX_PARTS:
        raise ActionError(_("Split a case into between 2 and %(max)s parts.") % {"max": MAX_PARTS}, field="parts")
    step = begin(actor, case, A.SPLIT, expected_version=expected_version)
    _clocks.stop_all(step)
    children = [_child(step, part, i) for i, part in enumerate(parts, start=1)]
    step.commit(reason=reason, audit={"children": [c.code for c in children]})
    for child in children:
        child.refresh_from_db()
        tell_assigned(actor, child)
    return children
