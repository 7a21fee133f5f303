"""One ordered story of a case for its page: status, assignment, place, notes, files, supervision, audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from yiwang.core.audit.models import AuditEvent

from ..models import (
    Case,
    CaseAssignment,
    CaseAttachment,
    CaseNote,
    CasePlace,
    CaseStatusChange,
    ExtensionRequest,
    Supervision,
)

KIND_ORDER = {
    "status": 0,
    "assignment": 1,
    "place": 2,
    "extension": 3,
    "supervision": 4,
    "note": 5,
    "attachment": 6,
    "audit": 9,
}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # status, assignment, place, note, attachment, supervision, extension, audit
    actor_label: str
    summary: dict
    obj: object = field(default=None, compare=False, repr=False)


def timeline(case: Case, *, include_internal: bool = True, include_audit: bool = True) -> list[Entry]:
    """Every recorded change of ``case``, oldest first (ties: status before the rest, then by id)."""
    entries: list[tuple] = []

    def add(row, kind: str, summary: dict):
        entries.append((row.at, KIND_ORDER[kind], row.pk, Entry(row.at, kind, row.actor_label, summary, row)))

    for row in CaseStatusChange.objects.filter(case=case):
        add(row, "status", {"from": row.from_status, "to": row.to_status, "action": row.action, "reason": row.reason})
    for row in CaseAssignment.objects.filter(case=case).select_related("department", "team"):
        add(
            row,
            "assignment",
            {
                "department": row.department.name if row.department else "",
                "team": row.team.name if row.team else "",
                "routed_by": row.routed_by,
                "rule": row.rule_id,
            },
        )
    for row in CasePlace.objects.filter(case=case):
        add(row, "place", {"lon": row.lon, "lat": row.lat, "address": row.address, "units": row.unit_codes})
    notes = CaseNote.objects.filter(case=case)
    if not include_internal:
        notes = notes.filter(internal=False)
    for row in notes:
        add(row, "note", {"kind": row.kind, "text": row.text, "internal": row.internal})
    for row in CaseAttachment.objects.filter(case=case).select_related("file"):
        add(row, "attachment", {"file": row.file_id, "purpose": row.purpose, "public": row.file.public})
    if include_internal:
        for row in Supervision.objects.filter(case=case).select_related("by_org"):
            add(
                row,
                "supervision",
                {
                    "level": row.level,
                    "automatic": row.automatic,
                    "by": row.by_org.name if row.by_org else "",
                    "note": row.note,
                },
            )
        for row in ExtensionRequest.objects.filter(case=case):
            add(
                row,
                "extension",
                {"status": row.status, "days": row.working_days, "hours": row.calendar_hours, "reason": row.reason},
            )
    if include_audit:
        audit = AuditEvent.objects.filter(object_type="operations.case", object_id=str(case.pk)).order_by("at", "id")
        for row in audit:
            entries.append(
                (
                    row.at,
                    KIND_ORDER["audit"],
                    row.pk,
                    Entry(row.at, "audit", row.actor_label, {"action": row.action, **row.summary}, row),
                )
            )
    entries.sort(key=lambda t: (t[0], t[1], t[2]))
    return [e[3] for e in entries]
