"""The emergency duty roster (应急值守): shifts added and removed through audited actions."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.masking import mask_name, mask_phone

from ..models import DutyRole, DutyShift, Shift
from ..permissions import actor_may_manage


def _summary(s: DutyShift) -> dict:
    # the audit trail is never purged: names and phones masked
    return {"date": s.date.isoformat(), "shift": s.shift, "role": s.role, "name": mask_name(s.name),
            "phone": mask_phone(s.phone)}  # fmt: skip


@action
def add_duty_shift(
    actor: Actor, *, date: dt.date, shift: str, role: str, name: str = "", phone: str = "", person=None, org_unit=None
) -> DutyShift:
    require(actor_may_manage(actor), _("You may not change the duty roster."))
    if shift not in Shift.values:
        raise ActionError(_("Unknown shift %(value)s.") % {"value": shift}, field="shift")
    if role not in DutyRole.values:
        raise ActionError(_("Unknown duty role %(value)s.") % {"value": role}, field="role")
    name = (name or (person.display_name or person.get_username() if person else "")).strip()
    if not name:
        raise ActionError(_("Name the person on duty."), field="name")
    phone = (phone or (person.phone if person else "")).strip()
    if phone and not phone.replace("-", "").replace(" ", "").isdigit():
        raise ActionError(_("The phone number may hold digits, spaces and dashes only."), field="phone")
    row = DutyShift.objects.create(
        date=date, shift=shift, role=role, name=name, phone=phone, person=person, org_unit=org_unit
    )
    record_event(actor, "flood.duty.add", row, after=_summary(row))
    return row


@action
def remove_duty_shift(actor: Actor, row: DutyShift) -> None:
    require(actor_may_manage(actor), _("You may not change the duty roster."))
    before = _summary(row)
    record_event(actor, "flood.duty.remove", row, before=before)
    row.delete()
