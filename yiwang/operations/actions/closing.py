"""Verification (核查), closure (结案), evaluation (评价) and reopening (重启)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action
from yiwang.core.actor import Actor

from .. import sla
from ..models import AttachmentPurpose, Case, CaseNote, CaseStatus, NoteKind
from ..workflow import TERMINAL_STATES, A
from . import _clocks, _notify
from ._base import begin, require_text
from .intake import add_attachments

RATING_LEVELS = (1, 2, 3, 4, 5)  # the national scale: 5 very satisfied … 1 very dissatisfied


@action
def verify(
    actor: Actor,
    case,
    *,
    passed: bool,
    notes: str = "",
    photos: Iterable = (),
    expected_version: int | None = None,
) -> Case:
    """核查 on site: pass → verified; fail → back to handling (the handle clock runs again)."""
    action_name = A.VERIFY_PASS if passed else A.VERIFY_FAIL
    if not passed:
        notes = require_text(notes, "notes", _("Say what is still wrong."))
    step = begin(actor, case, action_name, expected_version=expected_version)
    CaseNote.objects.create(
        case=step.case,
        at=step.now,
        actor=actor.user,
        actor_label=actor.label,
        kind=NoteKind.VERIFICATION,
        text=notes or gettext("Verified on site."),
        internal=False,
    )
    files = add_attachments(actor, step.case, photos, AttachmentPurpose.VERIFICATION, step.now)
    if not passed:
        _clocks.resume(step)
    case = step.commit(reason=notes, audit={"passed": bool(passed), "photos": [f.file_id for f in files]})
    if not passed:
        _notify.tell_handlers(
            actor,
            case,
            _notify.subject_line(case, gettext("verification failed")),
            gettext("Case %(code)s failed verification and is back with you: %(notes)s")
            % {"code": case.code, "notes": notes},
        )
    return case


def merged_reporter_cases(case: Case) -> list[Case]:
    """Every case merged into ``case``, directly or through other merged cases."""
    found, frontier = [], [case.pk]
    while frontier:
        batch = list(Case.objects.filter(merged_into_id__in=frontier))
        found.extend(batch)
        frontier = [c.pk for c in batch]
    return found


def _tell_closed(actor, case: Case) -> None:
    subject = _notify.subject_line(case, gettext("closed"))
    _notify.tell_reporter(
        actor, case, subject, gettext("Case %(code)s was dealt with and closed.") % {"code": case.code}
    )
    for merged in merged_reporter_cases(case):
        _notify.tell_reporter(
            actor,
            merged,
            _notify.subject_line(merged, gettext("closed")),
            gettext("The problem you reported (%(mine)s) was dealt with as case %(code)s, now closed.")
            % {"mine": merged.code, "code": case.code},
        )


@action
def close(actor: Actor, case, *, note: str = "", expected_version: int | None = None) -> Case:
    """结案: every clock stops; the reporter and every merged reporter are told; a split parent may close too."""
    step = begin(actor, case, A.CLOSE, expected_version=expected_version)
    if note:
        CaseNote.objects.create(
            case=step.case,
            at=step.now,
            actor=actor.user,
            actor_label=actor.label,
            kind=NoteKind.CLOSURE,
            text=note,
            internal=False,
        )
    _clocks.stop_all(step)
    step.set(closed_at=step.now)
    case = step.commit(reason=note)
    _tell_closed(actor, case)
    _offer_rating(actor, case)
    if case.parent_id:
        close_parent_if_done(case.parent_id)
    return case


def close_parent_if_done(parent_id: int) -> Case | None:
    """A split parent closes (as the system) when every child case has reached an end state."""
    children = Case.objects.filter(parent_id=parent_id)
    if children.exclude(status__in=TERMINAL_STATES).exists():
        return None
    parent = Case.objects.filter(pk=parent_id, status=CaseStatus.SPLIT).first()
    if parent is None:
        return None
    system = Actor.system()
    step = begin(system, parent, A.CLOSE_PARENT)
    _clocks.stop_all(step)
    step.set(closed_at=step.now)
    parent = step.commit(reason=gettext("Every child case is closed."))
    _tell_closed(system, parent)
    return parent


def _offer_rating(actor, case: Case) -> None:
    """Hand the closed case to the reviews context (好差评), if installed."""
    from .. import evaluation

    evaluation.offer_rating(actor, case)


@action
def evaluate(actor: Actor, case, *, level: int, comment: str = "", expected_version: int | None = None) -> Case:
    """评价: the reporter's rating of a closed case (the reviews context calls this for its ratings)."""
    if level not in RATING_LEVELS:
        raise ActionError(_("A rating is a level from 1 (very dissatisfied) to 5 (very satisfied)."), field="level")
    step = begin(actor, case, A.EVALUATE, expected_version=expected_version)
    step.set(evaluation={"level": int(level), "comment": comment[:2000], "at": step.now.isoformat(), "by": actor.label})
    if comment:
        CaseNote.objects.create(
            case=step.case,
            at=step.now,
            actor=actor.user,
            actor_label=actor.label,
            kind=NoteKind.EVALUATION,
            text=comment,
            internal=False,
        )
    return step.commit(audit={"level": int(level)})


def reopen_window_days(case: Case) -> int:
    return int(case.category.reopen_window_days or _clocks.conf("REOPEN_WINDOW_DAYS"))


@action
def reopen(actor: Actor, case, *, reason: str, expected_version: int | None = None) -> Case:
    """重启: the reporter is not satisfied — within the window, the case goes back to its handlers with a new clock."""
    reason = require_text(reason, "reason", _("Say what is still not right."))
    step = begin(actor, case, A.REOPEN, expected_version=expected_version)
    days = reopen_window_days(step.case)
    if not sla.reopen_allowed(step.case.closed_at, step.now, days):
        raise ActionError(
            _("Case %(code)s was closed more than %(days)s days ago and can no longer be reopened; report it anew.")
            % {"code": step.case.code, "days": days},
            code="reopen_window",
        )
    if step.case.department_id is None and step.case.team_id is None:
        raise ActionError(_("The case has no handler to reopen it for."), code="state")
    CaseNote.objects.create(
        case=step.case,
        at=step.now,
        actor=actor.user,
        actor_label=actor.label,
        kind=NoteKind.REOPEN,
        text=reason,
        internal=False,
    )
    _clocks.start(step, "handle")
    step.set(closed_at=None, handled_at=None, dispatched_at=step.now, evaluation={})
    case = step.commit(reason=reason)
    _notify.tell_handlers(
        actor,
        case,
        _notify.subject_line(case, gettext("reopened")),
        gettext("Case %(code)s was reopened: %(reason)s") % {"code": case.code, "reason": reason},
        ack=True,
    )
    return case
