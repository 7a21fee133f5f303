"""Whom a case's changes are told to: the reporter (in-app or SMS) and the handlers (in-app).

``notify`` writes its row in the action's transaction and delivers after commit; a reporter whose phone
is unusable is skipped rather than failing the action.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from yiwang.core.models import User
from yiwang.core.notify.adapters import PHONE_RE
from yiwang.core.notify.services import notify
from yiwang.core.roles import Role

from ..models import Case

MAX_HANDLERS_NOTIFIED = 50


def tell_reporter(actor, case: Case, subject: str, body: str) -> int:
    """Tell the reporter of ``case`` (a user in-app, a caller by SMS; nobody if anonymous). Returns messages sent."""
    if case.reporter_anonymous:
        return 0
    if case.reporter_id:
        notify(actor, channel="inapp", recipient=case.reporter, subject=subject, body=body, about=case)
        return 1
    phone = (case.reporter_phone or "").strip()
    if phone and PHONE_RE.match(phone):
        notify(actor, channel="sms", address=phone, subject=subject, body=body, about=case)
        return 1
    return 0


def handler_users(case: Case) -> list[User]:
    """Active users handling for the case's department or working in its handling team."""
    units = [u for u in (case.department, case.team) if u is not None]
    if not units:
        return []
    roles = [Role.DEPARTMENT_HANDLER, Role.GRID_WORKER, Role.DISPATCHER, Role.OPERATIONS_CENTRE]
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__active=True,
            role_assignments__org_unit__in=units,
            role_assignments__role__in=roles,
        )
        .distinct()
        .order_by("id")[:MAX_HANDLERS_NOTIFIED]
    )


def tell_handlers(actor, case: Case, subject: str, body: str, *, ack: bool = False) -> int:
    users = handler_users(case)
    for user in users:
        notify(actor, channel="inapp", recipient=user, subject=subject, body=body, about=case, ack=ack)
    return len(users)


def tell_org(actor, case: Case, org, subject: str, body: str) -> int:
    """Tell the staff of one org unit (a supervising level) about ``case``."""
    if org is None:
        return 0
    users = list(
        User.objects.filter(is_active=True, role_assignments__active=True, role_assignments__org_unit=org)
        .distinct()
        .order_by("id")[:MAX_HANDLERS_NOTIFIED]
    )
    for user in users:
        notify(actor, channel="inapp", recipient=user, subject=subject, body=body, about=case)
    return len(users)


def subject_line(case: Case, what: str) -> str:
    return _("Case %(code)s: %(what)s") % {"code": case.code, "what": what}
