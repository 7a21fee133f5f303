"""Rectification of bad ratings (差评整改): open, contact the resident, close, escalate when overdue.

Each step checks the transition table in ``workflow.py`` and its roles, locks the row, applies the
change and writes its audit row in one transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, Conflict, PermissionDenied, action, record_event
from yiwang.core.actor import Actor
from yiwang.core.models import OrgUnit, RoleAssignment, User
from yiwang.core.roles import OrgKind, Role

from . import access, deadlines, workflow
from .models import ContactAttempt, ContactMethod, ContactOutcome, Escalation, Rating, Rectification

MAX_TEXT = 4000


def _lock(rectification: Rectification, expected_version: int | None = None) -> Rectification:
    locked = Rectification.objects.select_for_update().select_related("org_unit").get(pk=rectification.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("Someone else changed this rectification meanwhile. Reload the page and try again."))
    return locked


def _step(actor: Actor, rectification: Rectification, step_name: str) -> workflow.Transition:
    step = workflow.transition(rectification.state, step_name)
    if step is None:
        raise ActionError(
            _("This rectification is “%(state)s”: it cannot be %(step)s now.")
            % {"state": rectification.get_state_display(), "step": _step_label(step_name)},
            code="invalid_state",
        )
    if not access.may_take_step(actor, rectification, step):
        raise PermissionDenied(_("You may not act on rectifications of this department."))
    return step


def _step_label(step_name: str):
    return {
        workflow.CONTACT: _("contacted"),
        workflow.CLOSE: _("closed"),
        workflow.ESCALATE: _("escalated"),
        workflow.MARK_OVERDUE: _("marked overdue"),
    }.get(step_name, step_name)


def _text(value: str, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if len(value) > MAX_TEXT:
        raise ActionError(_("This text is too long (at most %(n)d characters).") % {"n": MAX_TEXT}, field=field)
    return value


def staff_of(org_unit, roles=workflow.DEPARTMENT_ROLES) -> list[User]:
    """Active users holding one of ``roles`` (any role when empty) for ``org_unit``."""
    rows = RoleAssignment.objects.filter(org_unit=org_unit, active=True, user__is_active=True)
    if roles:
        rows = rows.filter(role__in=list(roles))
    ids = rows.values_list("user_id", flat=True).distinct()
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _notify_all(actor: Actor, users, *, subject, body, about) -> int:
    from yiwang.core.notify.services import notify

    for user in users:
        notify(actor, channel="inapp", recipient=user, subject=subject, body=body, about=about)
    return len(users)


@action
def open_rectification(actor: Actor, rating: Rating) -> Rectification:
    """Open the responsible department's rectification of a bad rating, due in 5 working days.

    Called by ``rate`` for a bad rating under the "rectify" policy (or when a hook fails); not for use
    on its own. Idempotent: a rating has at most one rectification.
    """
    if not rating.is_bad:
        raise ActionError(_("Only a bad rating is rectified."), code="not_bad")
    existing = Rectification.objects.filter(rating=rating).first()
    if existing is not None:
        return existing
    opportunity = rating.opportunity
    rectification = Rectification(
        rating=rating,
        org_unit=opportunity.org_unit,
        opened_at=rating.rated_at,
        due_at=deadlines.due_after(rating.rated_at),
    )
    rectification.save(force_insert=True)
    due_at = deadlines.start_clock(actor, rectification).due_at
    if due_at != rectification.due_at:
        rectification.due_at = due_at
        Rectification.objects.filter(pk=rectification.pk).update(due_at=due_at)
    record_event(
        actor,
        "reviews.rectification.open",
        rectification,
        after={"rating": rating.pk, "org_unit": rectification.org_unit_id, "due_at": due_at.isoformat()},
    )
    _notify_all(
        actor,
        staff_of(rectification.org_unit),
        subject=gettext_now("A bad rating needs rectification within 5 working days"),
        body=gettext_now("Subject %(subject)s was rated “%(level)s”. Contact the resident and close it by %(due)s.")
        % {
            "subject": f"{opportunity.subject_type}:{opportunity.subject_id}",
            "level": rating.get_level_display(),
            "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
        },
        about=rectification,
    )
    return rectification


@action
def contact_resident(
    actor: Actor,
    rectification: Rectification,
    *,
    method: str,
    outcome: str,
    note: str = "",
    at=None,
    expected_version: int | None = None,
) -> ContactAttempt:
    """Log an attempt to contact the resident (when, how, outcome); the first moves it to "contacted"."""
    locked = _lock(rectification, expected_version)
    step = _step(actor, locked, workflow.CONTACT)
    if method not in ContactMethod.values:
        raise ActionError(_("Choose how the resident was contacted."), field="method")
    if outcome not in ContactOutcome.values:
        raise ActionError(_("Choose the outcome of the contact."), field="outcome")
    when = at or timezone.now()
    if when > timezone.now():
        raise ActionError(_("A contact cannot be in the future."), field="at")
    attempt = ContactAttempt.objects.create(
        rectification=locked,
        at=when,
        method=method,
        outcome=outcome,
        note=_text(note, "note"),
        by=actor.user,
    )
    before = locked.state
    locked.state = step.new_state
    locked.version += 1
    locked.save(update_fields=["state", "version"])
    record_event(
        actor,
        "reviews.rectification.contact",
        locked,
        before={"state": before},
        after={"state": locked.state, "contact": attempt.pk, "method": method, "outcome": outcome},
    )
    _refresh(rectification, locked)
    return attempt


@action
def close_rectification(
    actor: Actor,
    rectification: Rectification,
    *,
    action_taken: str,
    resident_response: str,
    resident_satisfied: bool | None = None,
    expected_version: int | None = None,
) -> Rectification:
    """Close with the closing record: what was done and the resident's response (after a contact)."""
    locked = _lock(rectification, expected_version)
    step = _step(actor, locked, workflow.CLOSE)
    locked.action_taken = _text(action_taken, "action_taken", required=True)
    locked.resident_response = _text(resident_response, "resident_response", required=True)
    locked.resident_satisfied = resident_satisfied
    before = locked.state
    locked.state = step.new_state
    locked.closed_at = timezone.now()
    locked.closed_by = actor.user
    locked.version += 1
    locked.save()
    deadlines.stop_clock(actor, locked)
    record_event(
        actor,
        "reviews.rectification.close",
        locked,
        before={"state": before},
        after={
            "state": locked.state,
            "on_time": locked.on_time,
            "resident_satisfied": resident_satisfied,
        },
    )
    _refresh(rectification, locked)
    return locked


def escalation_target(org_unit):
    """Whom an overdue rectification goes to: the department's parent unit, else the operations centre."""
    if org_unit.parent_id is not None:
        return org_unit.parent
    return OrgUnit.objects.filter(kind=OrgKind.OPERATIONS_CENTRE, valid_to__isnull=True).order_by("pk").first()


@action
def escalate_overdue(actor: Actor, rectification: Rectification, *, now=None) -> Escalation | None:
    """Flag an overdue rectification and escalate it — once. Returns None when there is nothing to do."""
    now = now or timezone.now()
    locked = _lock(rectification)
    if not workflow.is_active(locked.state) or locked.due_at > now or locked.escalated_at is not None:
        return None
    _step(actor, locked, workflow.MARK_OVERDUE)
    _step(actor, locked, workflow.ESCALATE)
    target = escalation_target(locked.org_unit)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(rectification=locked, to_org_unit=target, at=now)
    except IntegrityError:
        return None
    locked.overdue = True
    locked.escalated_at = now
    locked.version += 1
    locked.save(update_fields=["overdue", "escalated_at", "version"])
    record_event(
        actor,
        "reviews.rectification.escalate",
        locked,
        after={"overdue": True, "to_org_unit": target.pk if target else None, "due_at": locked.due_at.isoformat()},
    )
    recipients = staff_of(target, roles=()) if target is not None else []
    if not recipients:
        recipients = list(
            User.objects.filter(
                is_active=True, role_assignments__role=Role.OPERATIONS_CENTRE, role_assignments__active=True
            ).distinct()
        )
    escalation.notified = _notify_all(
        actor,
        recipients,
        subject=gettext_now("Overdue rectification of a bad rating: %(unit)s") % {"unit": locked.org_unit.name},
        body=gettext_now("%(unit)s did not close rectification #%(id)s by %(due)s. Please supervise it.")
        % {
            "unit": locked.org_unit.name,
            "id": locked.pk,
            "due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M"),
        },
        about=locked,
    )
    escalation.save(update_fields=["notified"])
    _refresh(rectification, locked)
    return escalation


@action
def remind_department(actor: Actor, rectification: Rectification) -> int:
    """Remind the department that a rectification is nearly due (the clock's warning point)."""
    locked = _lock(rectification)
    if not workflow.is_active(locked.state):
        return 0
    sent = _notify_all(
        actor,
        staff_of(locked.org_unit),
        subject=gettext_now("A rectification is nearly due"),
        body=gettext_now("Rectification #%(id)s is due by %(due)s.")
        % {"id": locked.pk, "due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M")},
        about=locked,
    )
    record_event(actor, "reviews.rectification.remind", locked, after={"notified": sent})
    return sent


@action
def reveal_rater_contact(actor: Actor, rectification: Rectification) -> str:
    """The rater's full phone number, for the department to call them back (the read is audited)."""
    from yiwang.core.permissions import Purpose, may_view_personal_data

    step = workflow.transition(rectification.state, workflow.CONTACT)
    if step is None or not access.may_take_step(actor, rectification, step):
        raise PermissionDenied(_("You may not contact the resident of this rectification."))
    if not any(may_view_personal_data(actor.user, p) for p in (Purpose.CASE_HANDLING, Purpose.APPLICATION)):
        raise PermissionDenied(_("Your role may not see residents' phone numbers."))
    rater = rectification.rating.rater
    phone = rater.phone if rater is not None else ""
    record_event(
        actor, "reviews.rectification.reveal_contact", rectification, after={"rater": getattr(rater, "pk", None)}
    )
    return phone


def _refresh(target: Rectification, source: Rectification) -> None:
    """Copy the saved state back onto the caller's instance."""
    for field in (
        "state",
        "version",
        "overdue",
        "escalated_at",
        "closed_at",
        "closed_by_id",
        "action_taken",
        "resident_response",
        "resident_satisfied",
    ):
        setattr(target, field, getattr(source, field))
