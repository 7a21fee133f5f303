"""Audited reads of personal data on the staff pages.

The case page shows the reporter masked; someone whose role needs the full contact (the handlers of the
case, its dispatchers, the hotline) asks for it with a button, and every such read leaves an audit row
(``operations.case.read_personal_data``), as the architecture asks of every full read by staff.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import PermissionDenied, action, record_event
from yiwang.core.actor import Actor
from yiwang.core.masking import mask_name, mask_phone

from ..models import Case
from ..permissions import may_see_reporter_contact, reporter_contact


def masked_contact(case: Case) -> dict:
    """The reporter as every list shows it: masked (anonymous reporters stay anonymous)."""
    if case.reporter_anonymous:
        return {"name": str(_("anonymous 匿名")), "phone": "", "masked": True, "anonymous": True}
    name = case.reporter_name or (case.reporter.display_name if case.reporter_id and case.reporter else "")
    phone = case.reporter_phone or (case.reporter.phone if case.reporter_id and case.reporter else "")
    return {"name": mask_name(name), "phone": mask_phone(phone), "masked": True, "anonymous": False}


def may_reveal(user, case: Case) -> bool:
    return not case.reporter_anonymous and may_see_reporter_contact(user, case)


@action
def read_reporter_contact(actor: Actor, case: Case) -> dict:
    """The reporter's full name and phone, for someone whose role needs them; audited."""
    if not may_reveal(actor.user, case):
        raise PermissionDenied(_("Your role does not need the reporter's contact details for this case."))
    record_event(
        actor,
        "operations.case.read_personal_data",
        case,
        after={"purpose": "case_handling", "fields": ["reporter_name", "reporter_phone"]},
    )
    return reporter_contact(case, actor.user)
