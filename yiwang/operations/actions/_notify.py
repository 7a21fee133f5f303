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


# --- many cases at once (the deadline sweep) ------------------------------------------------------

HANDLER_ROLES = (Role.DEPARTMENT_HANDLER, Role.GRID_WORKER, Role.DISPATCHER, Role.OPERATIONS_CENTRE)
DIGEST_AFTER = 3  # a recipient with more cases than this in one batch gets one message listing them
DIGEST_CODES = 20


def users_of(org_ids, roles=None) -> dict[int, list[User]]:
    """Active users per org unit (one query), at most ``MAX_HANDLERS_NOTIFIED`` each, by id."""
    org_ids = {i for i in org_ids if i}
    if not org_ids:
        return {}
    from yiwang.core.models import RoleAssignment

    rows = RoleAssignment.objects.filter(active=True, user__is_active=True, org_unit_id__in=org_ids)
    if roles:
        rows = rows.filter(role__in=roles)
    found: dict[int, dict[int, User]] = {}
    for row in rows.select_related("user").order_by("user_id"):
        users = found.setdefault(row.org_unit_id, {})
        if len(users) < MAX_HANDLERS_NOTIFIED:
            users.setdefault(row.user_id, row.user)
    return {org: list(users.values()) for org, users in found.items()}


def tell_many(actor, pairs, render, what: str) -> int:
    """Tell each ``(user, case, kind)`` in-app; ``render(case, kind)`` gives its (subject, body).

    A user with more than ``DIGEST_AFTER`` cases gets one digest instead ("12 cases: overdue: YW-…, …").
    Returns the messages sent.
    """
    per_user: dict[int, list] = {}
    users: dict[int, User] = {}
    for user, case, kind in pairs:
        users[user.pk] = user
        per_user.setdefault(user.pk, []).append((case, kind))
    sent = 0
    for user_id, items in per_user.items():
        user = users[user_id]
        if len(items) <= DIGEST_AFTER:
            for case, kind in items:
                subject, body = render(case, kind)
                notify(actor, channel="inapp", recipient=user, subject=subject, body=body, about=_about(case))
                sent += 1
            continue
        codes = [case.code for case, _kind in items]
        shown = ", ".join(codes[:DIGEST_CODES]) + (" …" if len(codes) > DIGEST_CODES else "")
        subject = _("%(count)s cases: %(what)s") % {"count": len(codes), "what": what}
        notify(actor, channel="inapp", recipient=user, subject=subject, body=f"{subject}: {shown}")
        sent += 1
    return sent


def _about(case):
    return case if isinstance(case, Case) else ("operations.case", case.pk)
