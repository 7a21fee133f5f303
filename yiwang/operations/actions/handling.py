"""Handling (处置): start, mark handled, extensions (延期), suspension (挂起)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action
from yiwang.core.actor import Actor

from .. import sla
from ..models import AttachmentPurpose, Case, CaseNote, ExtensionRequest, ExtensionStatus, NoteKind
from ..workflow import A
from . import _clocks, _notify
from ._base import begin, require_text
from .intake import add_attachments

MAX_EXTENSION_DAYS = 60
MAX_EXTENSION_HOURS = 24 * 14


@action
def start_handling(actor: Actor, case, *, expected_version: int | None = None, note: str = "") -> Case:
    """The handler takes the dispatched case in hand (签收)."""
    step = begin(actor, case, A.START_HANDLING, expected_version=expected_version)
    return step.commit(reason=note)


@action
def mark_handled(actor: Actor, case, *, notes: str, photos: Iterable = (), expected_version: int | None = None) -> Case:
    """处置完毕: the result and its photos; the handle clock pauses while the case waits for verification."""
    notes = require_text(notes, "notes", _("Describe what was done."))
    step = begin(actor, case, A.MARK_HANDLED, expected_version=expected_version)
    CaseNote.objects.create(
        case=step.case,
        at=step.now,
        actor=actor.user,
        actor_label=actor.label,
        kind=NoteKind.HANDLING,
        text=notes,
        internal=False,
    )
    files = add_attachments(actor, step.case, photos, AttachmentPurpose.HANDLING, step.now)
    _clocks.pause(step, reason="awaiting verification")
    step.set(handled_at=step.now)
    return step.commit(reason=notes, audit={"photos": [f.file_id for f in files]})


def _amount(case: Case, working_days: int, calendar_hours: int) -> int:
    """The extension in the handle clock's own unit."""
    unit = _clocks.handle_unit(case)
    if unit == sla.CALENDAR_HOURS:
        if not 1 <= int(calendar_hours) <= MAX_EXTENSION_HOURS:
            raise ActionError(
                _("Ask for between 1 and %(max)s hours (this category counts calendar hours).")
                % {"max": MAX_EXTENSION_HOURS},
                field="calendar_hours",
            )
        return int(calendar_hours)
    if not 1 <= int(working_days) <= MAX_EXTENSION_DAYS:
        raise ActionError(
            _("Ask for between 1 and %(max)s working days.") % {"max": MAX_EXTENSION_DAYS}, field="working_days"
        )
    return int(working_days)


@action
def request_extension(
    actor: Actor,
    case,
    *,
    reason: str,
    working_days: int = 0,
    calendar_hours: int = 0,
    expected_version: int | None = None,
) -> Case:
    """延期申请: ask the dispatcher for more time (working days, or hours for calendar-time categories)."""
    reason = require_text(reason, "reason", _("Give the reason for the extension."))
    step = begin(actor, case, A.REQUEST_EXTENSION, expected_version=expected_version)
    _amount(step.case, working_days, calendar_hours)
    row = ExtensionRequest.objects.create(
        case=step.case,
        at=step.now,
        actor=actor.user,
        actor_label=actor.label,
        working_days=int(working_days),
        calendar_hours=int(calendar_hours),
        reason=reason,
        status=ExtensionStatus.PENDING,
    )
    return step.commit(
        reason=reason, audit={"extension": row.pk, "working_days": row.working_days, "hours": row.calendar_hours}
    )


def _pending(case: Case) -> ExtensionRequest:
    row = ExtensionRequest.objects.filter(case=case, status=ExtensionStatus.PENDING).order_by("-at", "-id").first()
    if row is None:
        raise ActionError(_("There is no pending extension request on this case."), code="state")
    return row


def _decide(actor, step, row: ExtensionRequest, status: str, note: str) -> None:
    updated = ExtensionRequest.objects.filter(pk=row.pk, status=ExtensionStatus.PENDING).update(
        status=status, decided_at=step.now, decided_by_label=actor.label, decision_note=note
    )
    if not updated:
        raise ActionError(_("This extension request was already decided."), code="conflict")


@action
def grant_extension(actor: Actor, case, *, note: str = "", expected_version: int | None = None) -> Case:
    """批准延期: the handle clock is extended by what was asked; the handler is told the new deadline."""
    step = begin(actor, case, A.GRANT_EXTENSION, expected_version=expected_version)
    row = _pending(step.case)
    _decide(actor, step, row, ExtensionStatus.GRANTED, note)
    _clocks.extend(step, _amount(step.case, row.working_days, row.calendar_hours), reason=row.reason)
    case = step.commit(
        reason=note, audit={"extension": row.pk, "due_at": step.case.due_at.isoformat() if step.case.due_at else None}
    )
    _notify.tell_handlers(
        actor,
        case,
        _notify.subject_line(case, gettext("extension granted")),
        gettext("The extension was granted; case %(code)s is now due %(due)s.")
        % {"code": case.code, "due": case.due_at.isoformat(timespec="minutes") if case.due_at else "—"},
    )
    return case


@action
def refuse_extension(actor: Actor, case, *, reason: str, expected_version: int | None = None) -> Case:
    """驳回延期: the deadline stands; the handler is told why."""
    reason = require_text(reason, "reason", _("Say why the extension is refused."))
    step = begin(actor, case, A.REFUSE_EXTENSION, expected_version=expected_version)
    row = _pending(step.case)
    _decide(actor, step, row, ExtensionStatus.REFUSED, reason)
    case = step.commit(reason=reason, audit={"extension": row.pk})
    _notify.tell_handlers(
        actor,
        case,
        _notify.subject_line(case, gettext("extension refused")),
        gettext("The extension of case %(code)s was refused: %(reason)s") % {"code": case.code, "reason": reason},
    )
    return case


@action
def suspend(actor: Actor, case, *, reason: str, expected_version: int | None = None) -> Case:
    """挂起: the case waits on something outside the handler's reach; its clock stops until resumed."""
    reason = require_text(reason, "reason", _("Say why the case is suspended."))
    step = begin(actor, case, A.SUSPEND, expected_version=expected_version)
    CaseNote.objects.create(
        case=step.case, at=step.now, actor=actor.user, actor_label=actor.label, kind=NoteKind.SUSPENSION, text=reason
    )
    step.set(status_before_suspension=step.before_status)
    _clocks.pause(step, reason=reason)
    return step.commit(reason=reason)


@action
def resume(actor: Actor, case, *, note: str = "", expected_version: int | None = None) -> Case:
    """恢复: back to where it was before the suspension; the deadline moves by the time spent suspended."""
    step = begin(actor, case, A.RESUME, expected_version=expected_version)
    _clocks.resume(step)
    step.set(status_before_suspension="")
    return step.commit(reason=note)
