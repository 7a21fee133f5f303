"""The specialist desk, one click away: a consult thread between the window and the department."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.models import RoleAssignment
from yiwang.core.roles import Role
from yiwang.core.scope import unit_within

from . import access
from . import workflow as wf
from .models import ConsultMessage, StatusChange


def specialists_of(department) -> list:
    """The approvers of ``department`` (or of a unit above it): the specialists a clerk can call."""
    rows = RoleAssignment.objects.filter(
        role=Role.APPROVER, active=True, user__is_active=True, org_unit__isnull=False
    ).select_related("user", "org_unit")
    users = {}
    for row in rows:
        # acting approvers only (scope's rule): a unit closed by a reorganisation gives no role
        if row.org_unit.is_current() and unit_within(department, row.org_unit):
            users[row.user.pk] = row.user
    return list(users.values())


def _body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ActionError(_("Write a message."), field="body")
    return body[:4000]


@action
def call_specialist(actor: Actor, application, message: str) -> ConsultMessage:
    """A window clerk calls the department's specialists into the application (一键呼叫)."""
    from yiwang.core.notify.services import notify

    require(actor.user is not None and access.is_front_desk(actor.user), _("Only a window clerk may do this."))
    wf.check(application.status, wf.A.CONSULT, access.roles_for(actor, application))
    body = _body(message)
    row = ConsultMessage.objects.create(application=application, author=actor.user, body=body)
    StatusChange.objects.create(
        application=application,
        action=wf.A.CONSULT,
        from_status=application.status,
        to_status=application.status,
        actor=actor.user,
        channel=actor.channel,
    )
    record_event(actor, "applications.consult.call", application, after={"message": row.pk})
    subject = _("Window %(window)s asks about application %(code)s") % {
        "window": application.window_code or "-",
        "code": application.code,
    }
    for specialist in specialists_of(application.department):
        notify(actor, channel="inapp", recipient=specialist, subject=str(subject), body=body, about=application)
    return row


@action
def post_consult_message(actor: Actor, application, body: str) -> ConsultMessage:
    """A reply in the consult thread (the clerk or a specialist of the department)."""
    require(
        actor.user is not None and access.may_consult(actor.user, application),
        _("Only window clerks and the department's specialists write in this thread."),
    )
    row = ConsultMessage.objects.create(application=application, author=actor.user, body=_body(body))
    record_event(actor, "applications.consult.message", application, after={"message": row.pk})
    return row
