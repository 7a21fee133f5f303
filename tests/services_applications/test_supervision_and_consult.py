"""Deadline warnings and overdue applications become supervision records and notify the department;
a clerk calls the specialist desk into an application with one click (audited thread)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from yiwang.core.actions import PermissionDenied
from yiwang.core.audit.models import AuditEvent
from yiwang.core.notify.models import Notification
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.services.applications import actions
from yiwang.services.applications.models import ConsultMessage, Supervision

pytestmark = pytest.mark.django_db


def _accepted(department):
    resident = make_user()
    application = actions.create_application(
        as_actor(resident),
        situation=make_situation(department, promised=2, statutory=10, materials=()),
        channel="online",
    )
    actions.submit(as_actor(resident), application)
    actions.accept(as_actor(clerk()), application)
    return application


def test_an_overdue_promise_is_supervised_and_the_department_is_notified():
    department = make_department()
    specialist = approver(department)
    application = _accepted(department)
    sweep_clocks(timezone.now() + timedelta(days=6))  # past the 2-working-day promise, not the 10-day law
    kinds = set(Supervision.objects.filter(application=application).values_list("clock_kind", "kind"))
    assert ("promised", "overdue") in kinds
    assert ("statutory", "overdue") not in kinds
    assert Notification.objects.filter(recipient=specialist, subject_id=str(application.pk)).exists()


def test_a_paused_clock_raises_no_supervision():
    department = make_department()
    application = _accepted(department)
    actions.request_correction(as_actor(clerk()), application, reason="Photo unreadable")
    sweep_clocks(timezone.now() + timedelta(days=30))
    assert not Supervision.objects.filter(application=application).exists()


def test_a_clerk_calls_the_specialist_and_both_write_in_the_audited_thread():
    department = make_department()
    specialist = approver(department)
    application = _accepted(department)
    desk = clerk()
    actions.call_specialist(as_actor(desk), application, "Is a rented shop enough?")
    assert Notification.objects.filter(recipient=specialist, subject_id=str(application.pk)).exists()
    actions.post_consult_message(as_actor(specialist), application, "Yes, with the lease.")
    thread = list(ConsultMessage.objects.filter(application=application).values_list("author", "body"))
    assert thread == [(desk.pk, "Is a rented shop enough?"), (specialist.pk, "Yes, with the lease.")]
    audited = AuditEvent.objects.filter(action__startswith="applications.consult.").count()
    assert audited == 2
    with pytest.raises(PermissionDenied):
        actions.post_consult_message(as_actor(approver(make_department())), application, "Not my department")
