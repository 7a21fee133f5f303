"""Changes outside the lifecycle: a note or attachment on a case, a corrected place."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core import permissions as core_perms
from yiwang.core.actions import ActionError, Conflict, PermissionDenied, action, record_event
from yiwang.core.actor import Actor

from ..models import AttachmentPurpose, Case, CaseNote, NoteKind
from ..permissions import held_roles, role_covers_case
from ..workflow import OPEN_STATES, SYSTEM
from . import _place
from ._base import check_version, lock_case, require_text
from .intake import add_attachments


def _require_involved(actor: Actor, case: Case) -> None:
    roles = held_roles(actor, case)
    if SYSTEM in roles:
        return
    if not any(role_covers_case(actor.user, role, case, "note") for role in roles):
        raise PermissionDenied(_("You are not involved in case %(code)s.") % {"code": case.code})


def _bump(case: Case, now) -> None:
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(version=case.version + 1, updated_at=now)
    if not updated:
        raise Conflict(_("Case %(code)s was changed by someone else; reload it and try again.") % {"code": case.code})
    case.version += 1
    case.updated_at = now


@action
def add_note(actor: Actor, case, *, text: str, attachments: Iterable = (), internal: bool = True) -> CaseNote:
    """A note (and files) on a case by anyone involved in it; the case's version does not change."""
    text = require_text(text, "text", _("Write the note."))
    row = lock_case(case)
    _require_involved(actor, row)
    now = timezone.now()
    note = CaseNote.objects.create(
        case=row, at=now, actor=actor.user, actor_label=actor.label, kind=NoteKind.NOTE, text=text, internal=internal
    )
    files = add_attachments(actor, row, attachments, AttachmentPurpose.OTHER, now)
    record_event(actor, "operations.case.note", row, after={"note": note.pk, "files": [f.file_id for f in files]})
    return note


@action
def relocate(
    actor: Actor,
    case,
    *,
    lon: float,
    lat: float,
    coord_system: str = "wgs84",
    address: str = "",
    expected_version: int | None = None,
) -> Case:
    """Correct the place of an open case (dispatchers of its subdistrict, the operations centre)."""
    row = lock_case(case)
    check_version(row, expected_version)
    if actor.user is not None and not core_perms.may_dispatch_in(actor.user, row.subdistrict_code):
        raise PermissionDenied(_("Only the dispatchers of the case's subdistrict may correct its place."))
    if row.status not in OPEN_STATES:
        raise ActionError(_("The place of a finished case cannot change."), code="state")
    now = timezone.now()
    placement = _place.resolve(lon, lat, coord_system, at=now)
    before = {"units": [row.district_code, row.subdistrict_code, row.grid_code]}
    _place.apply_place(
        actor, row, placement, input_lon=lon, input_lat=lat, system=coord_system.lower(), address=address, now=now
    )
    Case.objects.filter(pk=row.pk).update(
        lon=row.lon,
        lat=row.lat,
        address=row.address,
        district_code=row.district_code,
        subdistrict_code=row.subdistrict_code,
        grid_code=row.grid_code,
        outside=row.outside,
    )
    _bump(row, now)
    record_event(
        actor,
        "operations.case.relocate",
        row,
        before=before,
        after={"units": [row.district_code, row.subdistrict_code, row.grid_code], "version": row.version},
    )
    return row
