"""What a resident may see of a case: plain status words, a timeline without staff-only notes or names.

Case codes are short and sequential, so anyone can type one. Everyone therefore sees only the category,
the status words and their dates. The reporter (the logged-in user who reported it, or the browser that
sent the report) also sees their description, place, photos, the answers given to them (a rejection
reason, the handling result) and the link to rate the closure. A public case also shows its place and
its public photos to everyone — never the reporter's name, phone or the staff who handled it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..evaluation import SUBJECT_TYPE
from ..models import Case, CaseAttachment, CaseNote, CaseStatus, CaseStatusChange, NoteKind

SESSION_KEY = "operations.reported_cases"
SESSION_KEEP = 30

RESIDENT_STATUS = {
    CaseStatus.REPORTED: _("Received"),
    CaseStatus.ACCEPTED: pgettext_lazy("case status", "Accepted"),
    CaseStatus.REJECTED: _("Not taken up as a case"),
    CaseStatus.REGISTERED: _("Registered as a case"),
    CaseStatus.DISPATCHED: _("Passed to the department responsible"),
    CaseStatus.RETURNED: _("Being passed to the right department"),
    CaseStatus.HANDLING: _("Being handled"),
    CaseStatus.EXTENSION_REQUESTED: _("Being handled"),
    CaseStatus.SUSPENDED: _("Waiting (handling paused)"),
    CaseStatus.HANDLED: _("Handled; being checked on site"),
    CaseStatus.VERIFIED: _("Checked on site"),
    CaseStatus.CLOSED: pgettext_lazy("case status", "Closed"),
    CaseStatus.EVALUATED: _("Closed and rated"),
    CaseStatus.MERGED: _("Merged with an earlier report of the same problem"),
    CaseStatus.SPLIT: _("Split into several cases"),
}
DONE_STATES = {CaseStatus.REJECTED, CaseStatus.CLOSED, CaseStatus.EVALUATED}
# notes written for the reporter (never the internal ones)
REPORTER_NOTE_KINDS = (NoteKind.REJECTION, NoteKind.HANDLING, NoteKind.CLOSURE, NoteKind.REOPEN)


def status_words(status: str) -> str:
    return str(RESIDENT_STATUS.get(status, _("In progress")))


@dataclass(frozen=True)
class Step:
    at: datetime
    words: str
    status: str
    detail: str = ""


def remember_report(request, case: Case) -> None:
    """This browser reported ``case``: it may see the reporter's view of it (and rate it) later."""
    kept = [i for i in request.session.get(SESSION_KEY, []) if i != case.pk]
    request.session[SESSION_KEY] = [case.pk, *kept][:SESSION_KEEP]


def is_reporter(request, case: Case) -> bool:
    """The viewer reported the case: its logged-in reporter, or the browser that sent it."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and case.reporter_id == user.pk:
        return True
    return case.pk in request.session.get(SESSION_KEY, [])


def timeline(case: Case, *, reporter: bool) -> list[Step]:
    """The status steps (consecutive repeats folded), with the reporter's answers for the reporter."""
    steps: list[Step] = []
    for row in CaseStatusChange.objects.filter(case=case).order_by("at", "id"):
        words = status_words(row.to_status)
        if steps and steps[-1].words == words:
            continue
        steps.append(Step(row.at, words, row.to_status))
    if reporter:
        notes = CaseNote.objects.filter(case=case, internal=False, kind__in=REPORTER_NOTE_KINDS).order_by("at", "id")
        for note in notes:
            steps.append(Step(note.at, str(NoteKind(note.kind).label), "note", note.text))
        steps.sort(key=lambda s: (s.at, s.status == "note"))
    return steps


def photos(case: Case, *, reporter: bool) -> list[dict]:
    """Public clean copies (thumbnails) of the report's photos; their count for the reporter if not public."""
    rows = CaseAttachment.objects.filter(case=case).select_related("file").order_by("at", "id")
    out = []
    for row in rows:
        stored = row.file
        if stored.public and stored.thumbnail_url and (case.public or reporter):
            out.append({"thumbnail": stored.thumbnail_url, "url": stored.public_url})
        elif reporter:
            out.append({"thumbnail": "", "url": ""})
    return out


def rating_path(case: Case) -> str:
    """The link to rate the latest closure of ``case`` if it is open for rating and not yet rated."""
    if case.status != CaseStatus.CLOSED:
        return ""
    from django.apps import apps

    if not apps.is_installed("yiwang.reviews"):
        return ""
    from yiwang.reviews.models import RatingOpportunity

    opportunity = (
        RatingOpportunity.objects.filter(subject_type=SUBJECT_TYPE, subject_id=str(case.pk), rating__isnull=True)
        .order_by("-round")
        .first()
    )
    if opportunity is None or opportunity.is_expired():
        return ""
    return opportunity.rating_path


def view_of(request, case: Case) -> dict:
    """Everything the track page shows, for this viewer."""
    reporter = is_reporter(request, case)
    shows_place = reporter or case.public
    return {
        "case": case,
        "code": case.code,
        "category": case.category.name,
        "group": case.category.parent.name if case.category.parent_id else "",
        "status": case.status,
        "status_words": status_words(case.status),
        "done": case.status in DONE_STATES,
        "reported_at": case.created_at,
        "reporter": reporter,
        "description": case.description if reporter else "",
        "address": case.address if shows_place else "",
        "lon": case.lon if shows_place else None,
        "lat": case.lat if shows_place else None,
        "steps": timeline(case, reporter=reporter),
        "photos": photos(case, reporter=reporter),
        "rating_path": rating_path(case) if reporter else "",
        "merged_into": case.merged_into.code if case.merged_into_id and case.merged_into else "",
    }
