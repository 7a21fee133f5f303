"""Intake: report a case (every channel), accept, reject (not a case), register (立案)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, PermissionDenied, action, record_event
from yiwang.core.actor import Actor
from yiwang.core.bulkinsert import insert_objects
from yiwang.core.masking import mask_name, mask_phone
from yiwang.core.models import User

from .. import codes, duplicates, lookups
from ..models import (
    AttachmentPurpose,
    Case,
    CaseAttachment,
    CaseChannel,
    CaseNote,
    CaseStatus,
    CaseStatusChange,
    Category,
    Discovery,
    NoteKind,
    Priority,
)
from ..permissions import may_report_via
from ..questions import AnswerError, clean_answers
from ..workflow import A
from . import _clocks, _notify, _place, auto_intake
from ._base import begin, require_text


@dataclass(frozen=True)
class Reporter:
    """Who reported: a user, or a caller's name and phone; ``anonymous`` hides them from everyone."""

    user: User | None = None
    name: str = ""
    phone: str = ""
    anonymous: bool = False


DESCRIPTION_MAX = 4000
ANSWER_MESSAGES = {
    "unknown_question": _("The category has no question “%(code)s”."),
    "required": _("Please answer “%(code)s”: it is required for this category."),
    "too_long": _("The answer to “%(code)s” is too long."),
    "not_a_number": _("The answer to “%(code)s” must be a number."),
    "not_a_datetime": _("The answer to “%(code)s” must be a date and time (ISO 8601)."),
    "one_value": _("Choose exactly one value for “%(code)s”."),
    "not_a_choice": _("The answer to “%(code)s” is not one of its values."),
}


def _reporter(actor: Actor, channel: str, reporter) -> Reporter:
    if isinstance(reporter, Reporter):
        return reporter
    if isinstance(reporter, User):
        return Reporter(user=reporter)
    if isinstance(reporter, dict):
        return Reporter(**reporter)
    if reporter is None and channel == CaseChannel.PHOTO_REPORT and actor.user is not None:
        return Reporter(user=actor.user)
    if reporter is None:
        return Reporter()
    raise ActionError(_("The reporter must be a user or a name and phone."), field="reporter")


def _category(category) -> Category:
    if not isinstance(category, Category):
        key = str(category or "")
        category = Category.objects.filter(**({"pk": int(key)} if key.isdigit() else {"code": key})).first()
        if category is None:
            raise ActionError(_("There is no such category."), field="category")
    if not category.active:
        raise ActionError(_("The category “%(name)s” is no longer in use.") % {"name": category.name}, field="category")
    if lookups.has_active_children(category.pk):
        raise ActionError(
            _("Choose a sub-category of “%(name)s”: cases are recorded against the second level.")
            % {"name": category.name},
            field="category",
        )
    return category


def _answers(category: Category, answers: dict) -> dict:
    try:
        return clean_answers(category.questions or [], answers or {})
    except AnswerError as exc:
        raise ActionError(ANSWER_MESSAGES[exc.problem] % {"code": exc.code}, field=f"answers.{exc.code}")


def _files(files: Iterable) -> list:
    from yiwang.core.uploads.models import StoredFile

    items = list(files or ())
    ids = [f.pk if isinstance(f, StoredFile) else int(f) for f in items]
    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ActionError(_("An attachment was not found; upload it again."), field="attachments")
    return [found[i] for i in dict.fromkeys(ids)]


def add_attachments(actor: Actor, case: Case, files: Iterable, purpose: str, now) -> list[CaseAttachment]:
    rows = [
        CaseAttachment(case=case, file=f, purpose=purpose, at=now, actor=actor.user, actor_label=actor.label)
        for f in _files(files)
    ]
    return CaseAttachment.objects.bulk_create(rows)


def case_code(case: Case) -> str:
    """A fresh code for ``case`` (the number of its reporting day; see :mod:`yiwang.operations.codes`)."""
    return codes.new_code(case.created_at)


@action
def report_case(
    actor: Actor,
    *,
    channel: str,
    discovery: str,
    category,
    lon: float,
    lat: float,
    coord_system: str = "wgs84",
    address: str = "",
    description: str,
    reporter=None,
    attachments: Iterable = (),
    answers: dict | None = None,
    priority: int | None = None,
    external_ref: str = "",
) -> Case:
    """Record a new case from any channel (hotline, patrol, 随身拍, sensor, Open311 …). Returns it, with its code.

    ``reporter``: a ``User``, a :class:`Reporter` (caller's name/phone, anonymous), a dict of its fields,
    or None (a resident's own photo report is theirs). ``attachments``: ``StoredFile`` rows or ids.
    Many reports at once: :func:`yiwang.operations.actions.intake_batch.report_cases` (the same steps).
    """
    new = prepare_report(
        actor, channel=channel, discovery=discovery, category=category, lon=lon, lat=lat,
        coord_system=coord_system, address=address, description=description, reporter=reporter, answers=answers,
        priority=priority, external_ref=external_ref,
    )  # fmt: skip
    return write_report(new, lon=lon, lat=lat, coord_system=coord_system, attachments=attachments)


def write_report(new: NewReport, *, lon, lat, coord_system="wgs84", attachments: Iterable = (), probe_at=None) -> Case:
    """Write a report :func:`prepare_report` checked, in the caller's transaction: ``report_case``'s second half.

    ``probe_at``: the instant the duplicate search looks back from (default: the report's own time); a
    caller that prepared the report before waiting for its turn to write passes the time it got it.
    """
    actor = new.actor
    new.duplicate = duplicates.earliest_duplicate_ref(
        new.category, new.placement.lon, new.placement.lat, probe_at or new.now
    )
    case = new.build()
    insert_objects([case])  # one prepared INSERT (no ORM compilation; Case has no save() of its own)
    place, areas = _place.place_rows(
        actor, case, new.placement, input_lon=lon, input_lat=lat, system=coord_system.lower(), address=case.address,
        now=new.now,
    )  # fmt: skip
    insert_objects([place])
    insert_objects(areas)
    insert_objects([new.status_row(case)])
    files = add_attachments(actor, case, attachments, AttachmentPurpose.REPORT, new.now) if attachments else []
    finish_report(new, case, files)
    return case


@dataclass
class NewReport:
    """A report checked and placed, not yet written (:func:`prepare_report`); shared with the batch path."""

    actor: Actor
    channel: str
    discovery: str
    category: Category
    description: str
    answers: dict
    reporter: Reporter
    placement: object
    now: object
    priority: int
    address: str
    external_ref: str
    chosen: object = None  # the auto-intake plan, if the category's policy applies
    duplicate: object = None  # a DuplicateRef, filled in by the caller

    def build(self, code: str | None = None) -> Case:
        """The case row (unsaved), with a fresh code (``code=""``: none yet — the batch path's plan writes nothing)."""
        who, now = self.reporter, self.now
        case = Case(
            code=codes.new_code(now) if code is None else code,
            channel=self.channel,
            discovery=self.discovery,
            category=self.category,
            priority=self.priority,
            description=self.description,
            answers=self.answers,
            external_ref=(self.external_ref or "")[:100],
            public=self.category.public,
            reporter=who.user,
            reporter_name=(who.name or "")[:100],
            reporter_phone=(who.phone or "")[:32],
            reporter_anonymous=bool(who.anonymous),
            created_by=self.actor.user,
            status=CaseStatus.REPORTED,
            suspected_duplicate_of_id=self.duplicate.pk if self.duplicate else None,
            created_at=now,
            updated_at=now,
        )
        _place.set_place_columns(case, self.placement, (self.address or "")[:300])
        if self.chosen is not None:
            auto_intake.prepare(case, self.chosen, now)
        case.duplicate_code = self.duplicate.code if self.duplicate else ""  # for the caller's reply
        return case

    def status_row(self, case: Case) -> CaseStatusChange:
        return CaseStatusChange(
            case=case, at=self.now, actor=self.actor.user, actor_label=self.actor.label, from_status="",
            to_status=CaseStatus.REPORTED, action="report", version=1,
        )  # fmt: skip


def prepare_report(
    actor: Actor, *, channel, discovery, category, lon, lat, coord_system="wgs84", address="", description,
    reporter=None, answers=None, priority=None, external_ref="",
) -> NewReport:  # fmt: skip
    """Every check of a report (ActionError / PermissionDenied before anything is written) and its place."""
    if channel not in CaseChannel.values:
        raise ActionError(_("Unknown channel “%(value)s”.") % {"value": channel}, field="channel")
    if discovery not in Discovery.values:
        raise ActionError(_("Unknown discovery mode “%(value)s”.") % {"value": discovery}, field="discovery")
    category = _category(category)
    description = require_text(description, "description", _("Describe the problem."))
    if len(description) > DESCRIPTION_MAX:
        raise ActionError(_("The description is too long."), field="description")
    if priority is not None and priority not in Priority.values:
        raise ActionError(_("Unknown priority “%(value)s”.") % {"value": priority}, field="priority")
    cleaned = _answers(category, answers)
    who = _reporter(actor, channel, reporter)
    now = timezone.now()
    placement = _place.resolve(lon, lat, coord_system, at=now)
    fields = placement.as_fields()
    if not may_report_via(actor, channel, subdistrict_code=fields["subdistrict_code"], grid_code=fields["grid_code"]):
        raise PermissionDenied(
            _("You may not record cases through the channel “%(channel)s” here.")
            % {"channel": CaseChannel(channel).label}
        )
    new = NewReport(
        actor, channel, discovery, category, description, cleaned, who, placement, now,
        priority or category.default_priority, address, external_ref,
    )  # fmt: skip
    if auto_intake.applies(category, channel):
        new.chosen = auto_intake.plan(category, placement, now, new.priority)
    return new


def finish_report(new: NewReport, case: Case, files=()) -> None:
    """After the case's rows are written: its audit event, the auto-intake steps, the notifications."""
    actor, duplicate, category, now = new.actor, new.duplicate, new.category, new.now
    record_event(
        actor,
        "operations.case.report",
        case,
        after={
            "code": case.code,
            "channel": new.channel,
            "discovery": new.discovery,
            "category": category.code,
            "priority": case.priority,
            "units": [case.district_code, case.subdistrict_code, case.grid_code],
            "reporter": _masked_reporter(case),
            "attachments": [f.file_id for f in files],
            "duplicate_of": duplicate.code if duplicate else "",
            "external_ref": case.external_ref,
        },
    )
    if new.chosen is not None:
        auto_intake.write(actor, case, new.chosen, now)
    if duplicate is not None and category.public:
        _notify.tell_reporter(
            actor,
            case,
            _notify.subject_line(case, gettext("already reported")),
            gettext("Thank you. This problem was already reported as case %(code)s; it is being dealt with.")
            % {"code": duplicate.code},
        )
    else:
        _notify.tell_reporter(
            actor,
            case,
            _notify.subject_line(case, gettext("received")),
            gettext("Thank you. Your report was received as case %(code)s.") % {"code": case.code},
        )
    if new.chosen is not None:
        from .dispatching import tell_assigned

        tell_assigned(actor, case)


def _masked_reporter(case: Case) -> dict:
    if case.reporter_anonymous:
        return {"anonymous": True}
    return {
        "user": case.reporter_id,
        "name": mask_name(case.reporter_name),
        "phone": mask_phone(case.reporter_phone) if case.reporter_phone else "",
    }


@action
def accept(actor: Actor, case, *, expected_version: int | None = None, note: str = "") -> Case:
    """受理: the report is a matter for the platform."""
    step = begin(actor, case, A.ACCEPT, expected_version=expected_version)
    return step.commit(reason=note)


@action
def reject(actor: Actor, case, *, reason: str, expected_version: int | None = None) -> Case:
    """不予立案: not a case (with the reason, which the reporter is told)."""
    reason = require_text(reason, "reason", _("Give the reason why this is not a case."))
    step = begin(actor, case, A.REJECT, expected_version=expected_version)
    CaseNote.objects.create(
        case=step.case,
        at=step.now,
        actor=actor.user,
        actor_label=actor.label,
        kind=NoteKind.REJECTION,
        text=reason,
        internal=False,
    )
    case = step.commit(reason=reason)
    _notify.tell_reporter(
        actor,
        case,
        _notify.subject_line(case, gettext("not taken up")),
        gettext("Your report %(code)s was not taken up as a case: %(reason)s") % {"code": case.code, "reason": reason},
    )
    return case


@action
def register(actor: Actor, case, *, expected_version: int | None = None, note: str = "") -> Case:
    """立案: the case is registered; the dispatch clock starts."""
    step = begin(actor, case, A.REGISTER, expected_version=expected_version)
    step.set(registered_at=step.now)
    _clocks.start(step, "dispatch")
    case = step.commit(reason=note, audit={"due_at": step.case.due_at.isoformat() if step.case.due_at else None})
    _notify.tell_reporter(
        actor,
        case,
        _notify.subject_line(case, gettext("registered")),
        gettext("Your report %(code)s was registered as a case and will be dispatched.") % {"code": case.code},
    )
    return case
