"""The case's whole story for its page: ``queries.timeline`` turned into labelled rows, and the deadline."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiwang.core.workcal.queries import open_clock

from ..models import AttachmentPurpose, CaseStatus, EscalationLevel, ExtensionStatus, NoteKind, RoutedBy
from ..queries import timeline
from ..workflow import ACTION_LABELS

KIND_LABELS = {
    "status": _("Status"),
    "assignment": _("Assignment"),
    "place": _("Place"),
    "note": _("Note"),
    "attachment": _("Photo"),
    "supervision": _("Supervision"),
    "extension": _("Extension"),
}


@dataclass
class Row:
    at: object
    kind: str
    kind_label: str
    actor: str
    title: str
    text: str = ""
    photo_url: str = ""
    photo_full: str = ""
    internal: bool = False


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def unit_names(codes) -> dict[str, str]:
    from yiwang.territory.services import units_in_force

    codes = [c for c in codes if c]
    return dict(units_in_force().filter(code__in=codes).values_list("code", "name")) if codes else {}


def photo_url(case, attachment_id: int, size: str = "thumb") -> str:
    return reverse("ops-staff:photo", args=[case.code, attachment_id, size])


def _status(case, e) -> Row:
    s = e.summary
    title = str(ACTION_LABELS.get(s["action"], s["action"])) if s["action"] in ACTION_LABELS else ""
    if s["action"] == "report":
        title = str(_("reported 上报"))
    moved = (
        f"{_label(CaseStatus, s['from'])} → {_label(CaseStatus, s['to'])}" if s["from"] else _label(CaseStatus, s["to"])
    )
    return Row(e.at, e.kind, "", e.actor_label, f"{title} · {moved}" if title else moved, s.get("reason", ""))


def _assignment(case, e) -> Row:
    s = e.summary
    who = " / ".join(x for x in (s["department"], s["team"]) if x) or "—"
    return Row(e.at, e.kind, "", e.actor_label, str(_("to %(who)s") % {"who": who}), _label(RoutedBy, s["routed_by"]))


def _place(case, e) -> Row:
    s = e.summary
    codes = [c for c in (s.get("units") or {}).values() if c]
    names = unit_names(codes)
    chain = " › ".join(names.get(c, c) for c in codes)
    return Row(e.at, e.kind, "", e.actor_label, s.get("address") or f"{s['lon']:.6f}, {s['lat']:.6f}", chain)


def _note(case, e) -> Row:
    s = e.summary
    return Row(e.at, e.kind, "", e.actor_label, _label(NoteKind, s["kind"]), s["text"], internal=s["internal"])


def _attachment(case, e) -> Row:
    s = e.summary
    label = _label(AttachmentPurpose, s["purpose"])
    return Row(e.at, e.kind, "", e.actor_label, label, "", photo_url(case, e.obj.pk), photo_url(case, e.obj.pk, "full"))


def _supervision(case, e) -> Row:
    s = e.summary
    title = _label(EscalationLevel, s["level"])
    if s["automatic"]:
        title = f"{title} · {_('overdue, automatic')}"
    if s["by"]:
        title = f"{title} · {s['by']}"
    return Row(e.at, e.kind, "", e.actor_label, title, s["note"])


def _extension(case, e) -> Row:
    s = e.summary
    amount = _("%(n)s hours") % {"n": s["hours"]} if s["hours"] else _("%(n)s working days") % {"n": s["days"]}
    return Row(e.at, e.kind, "", e.actor_label, f"+{amount} · {_label(ExtensionStatus, s['status'])}", s["reason"])


DESCRIBE = {
    "status": _status,
    "assignment": _assignment,
    "place": _place,
    "note": _note,
    "attachment": _attachment,
    "supervision": _supervision,
    "extension": _extension,
}


def story(case) -> list[Row]:
    """Every status, assignment and place change, note, photo, supervision and extension, oldest first."""
    rows = []
    for entry in timeline(case, include_internal=True, include_audit=False):
        describe = DESCRIBE.get(entry.kind)
        if describe is None:
            continue
        row = describe(case, entry)
        row.kind_label = str(KIND_LABELS[entry.kind])
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Deadline:
    kind_label: str
    due_at: object
    overdue: bool
    provisional: bool
    paused: bool


def deadline(case) -> Deadline | None:
    """The running clock of the case: due time, overdue, and "provisional" when the calendar guessed days."""
    if not case.clock_kind or case.due_at is None:
        return None
    clock = open_clock(("operations.case", str(case.pk)), case.clock_kind)
    from ..models import ClockKind

    return Deadline(
        kind_label=_label(ClockKind, case.clock_kind),
        due_at=case.due_at,
        overdue=bool(case.overdue),
        provisional=bool(clock and clock.provisional),
        paused=bool(clock and clock.state == "paused"),
    )
