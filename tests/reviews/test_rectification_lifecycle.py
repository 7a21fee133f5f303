"""The rectification lifecycle follows the transition table: open → contacted → closed, by the right people."""

import pytest

from tests.factories import make_user
from tests.reviews.helpers import handler_of, make_centre, make_dept, open_for, rate_by_token
from yiwang.core.actions import ActionError, Conflict, PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.audit.models import AuditEvent
from yiwang.core.roles import Role
from yiwang.reviews import actions, workflow
from yiwang.reviews.models import ContactAttempt, Level, Rectification


@pytest.fixture
def case(db):
    dept = make_dept()
    rating = rate_by_token(open_for(dept), Level.VERY_DISSATISFIED)
    return dept, Rectification.objects.get(rating=rating)


def _contact(actor, rectification, **kw):
    return actions.contact_resident(actor, rectification, method="phone", outcome="reached", **kw)


def _close(actor, rectification, **kw):
    return actions.close_rectification(
        actor, rectification, action_taken="Re-trained the clerk", resident_response="Accepted the apology", **kw
    )


def test_the_table_allows_exactly_the_documented_steps():
    assert workflow.allowed_actions(workflow.OPEN) == [workflow.CONTACT, workflow.MARK_OVERDUE, workflow.ESCALATE]
    assert workflow.transition(workflow.OPEN, workflow.CLOSE) is None
    assert workflow.transition(workflow.CONTACTED, workflow.CLOSE).new_state == workflow.CLOSED
    assert workflow.allowed_actions(workflow.CLOSED) == []
    for step in workflow.TRANSITIONS:
        assert step.state in workflow.STATES and step.new_state in workflow.STATES
        if step.action in (workflow.MARK_OVERDUE, workflow.ESCALATE):
            assert step.is_flag


@pytest.mark.django_db
def test_closing_needs_a_contact_first_then_a_closing_record(case):
    dept, rectification = case
    actor = Actor(user=handler_of(dept))
    with pytest.raises(ActionError) as err:
        _close(actor, rectification)
    assert err.value.code == "invalid_state"
    attempt = _contact(actor, rectification, note="called at noon")
    assert rectification.state == workflow.CONTACTED
    assert ContactAttempt.objects.get(pk=attempt.pk).method == "phone"
    with pytest.raises(ActionError) as err:
        actions.close_rectification(actor, rectification, action_taken="", resident_response="fine")
    assert err.value.field == "action_taken"
    _close(actor, rectification, resident_satisfied=True)
    stored = Rectification.objects.get(pk=rectification.pk)
    assert stored.state == workflow.CLOSED and stored.resident_satisfied is True and stored.closed_by == actor.user
    with pytest.raises(ActionError):
        _contact(actor, rectification)
    steps = list(
        AuditEvent.objects.filter(object_id=str(rectification.pk), action__startswith="reviews.rectification")
        .order_by("at", "seq")
        .values_list("action", flat=True)
    )
    assert steps == ["reviews.rectification.open", "reviews.rectification.contact", "reviews.rectification.close"]


@pytest.mark.django_db
def test_only_the_department_above_it_or_the_centre_may_act(case):
    dept, rectification = case
    other = Actor(user=handler_of(make_dept()))
    resident = Actor(user=make_user(Role.RESIDENT))
    for outsider in (other, resident, Actor.system()):
        with pytest.raises(PermissionDenied):
            _contact(outsider, rectification)
    parent_handler = Actor(user=handler_of(make_dept()))
    dept.parent = parent_handler.user.role_assignments.get().org_unit
    dept.save()
    rectification.org_unit.refresh_from_db()
    _contact(parent_handler, Rectification.objects.get(pk=rectification.pk))
    centre = Actor(user=make_user(Role.OPERATIONS_CENTRE, org=make_centre()))
    _close(centre, Rectification.objects.get(pk=rectification.pk))


@pytest.mark.django_db
def test_a_stale_form_gets_a_conflict(case):
    dept, rectification = case
    actor = Actor(user=handler_of(dept))
    stale = rectification.version
    _contact(actor, rectification, expected_version=stale)
    with pytest.raises(Conflict):
        _contact(actor, rectification, expected_version=stale)
