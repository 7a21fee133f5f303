"""An overdue rectification is escalated once: an escalation record and a notice to the parent unit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user
from tests.reviews.helpers import handler_of, make_centre, make_dept, open_for, rate_by_token
from yiwang.core.actor import Actor
from yiwang.core.notify.models import Notification
from yiwang.core.roles import Role
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.reviews import actions, deadlines
from yiwang.reviews.models import ContactMethod, ContactOutcome, Escalation, Level, Rectification


def _bad_rating(dept):
    rating = rate_by_token(open_for(dept), Level.DISSATISFIED)
    return Rectification.objects.get(rating=rating)


def _escalation_notices(user):
    return Notification.objects.filter(recipient=user, subject_type="reviews.rectification").exclude(
        subject__contains="needs rectification"
    )


@pytest.mark.django_db
def test_the_clock_sweep_escalates_an_overdue_rectification_once_to_the_parent_unit():
    bureau = make_dept(name="Market bureau")
    section = make_dept(parent=bureau, name="Licensing section")
    head = handler_of(bureau)
    rectification = _bad_rating(section)
    late = rectification.due_at + timedelta(minutes=1)

    assert sweep_clocks(now=rectification.due_at - timedelta(minutes=1)).overdue == 0
    assert not Escalation.objects.exists()

    assert sweep_clocks(now=late).overdue == 1
    rectification.refresh_from_db()
    assert rectification.overdue and rectification.escalated_at == late
    escalation = Escalation.objects.get(rectification=rectification)
    assert escalation.to_org_unit == bureau and escalation.notified == 1
    assert _escalation_notices(head).count() == 1

    # later sweeps (the clock's and the safety net's) never escalate again
    sweep_clocks(now=late + timedelta(hours=2))
    assert deadlines.sweep_overdue(now=late + timedelta(days=3)) == 0
    assert actions.escalate_overdue(Actor.system(), rectification, now=late + timedelta(days=4)) is None
    assert Escalation.objects.count() == 1
    assert _escalation_notices(head).count() == 1
    assert Clock.objects.get(subject_id=str(rectification.pk)).state == ClockState.OVERDUE


@pytest.mark.django_db
def test_a_department_without_parent_escalates_to_the_operations_centre():
    centre = make_centre()
    watcher = make_user(Role.OPERATIONS_CENTRE, org=centre)
    rectification = _bad_rating(make_dept())
    assert deadlines.sweep_overdue(now=rectification.due_at + timedelta(seconds=1)) == 1
    escalation = Escalation.objects.get()
    assert escalation.to_org_unit == centre
    assert _escalation_notices(watcher).count() == 1


@pytest.mark.django_db
def test_a_rectification_closed_in_time_is_never_escalated():
    dept = make_dept()
    handler = handler_of(dept)
    rectification = _bad_rating(dept)
    actor = Actor(user=handler)
    actions.contact_resident(actor, rectification, method=ContactMethod.PHONE, outcome=ContactOutcome.REACHED)
    actions.close_rectification(
        actor, rectification, action_taken="Apologised; fixed the form.", resident_response="OK"
    )
    assert Clock.objects.get(subject_id=str(rectification.pk)).state == ClockState.STOPPED
    later = timezone.now() + timedelta(days=30)
    sweep_clocks(now=later)
    assert deadlines.sweep_overdue(now=later) == 0
    assert not Escalation.objects.exists()
    rectification.refresh_from_db()
    assert rectification.on_time is True and not rectification.overdue
