"""Overdue notices and the specialist desk reach the department's *acting* approvers only: not an
inactive account, not someone whose approver role came through a unit closed by a reorganisation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_department, make_user
from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
from yiwang.core.notify.models import Notification
from yiwang.core.roles import Role
from yiwang.core.workcal.sweep import sweep_clocks
from yiwang.services.applications import actions
from yiwang.services.applications.consult import specialists_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def department_and_people():
    bureau = make_department("Old bureau, closed")  # the unit above: its approvers may be called
    bureau.valid_to = timezone.localdate() - timedelta(days=1)
    bureau.save()
    department = make_department("Licensing", parent=bureau)
    acting = approver(department)
    inactive = make_user(Role.APPROVER, org=department, is_active=False)
    through_closed = approver(bureau)
    return department, acting, inactive, through_closed


def test_the_specialists_are_the_acting_approvers(department_and_people):
    department, acting, _inactive, _closed = department_and_people
    assert specialists_of(department) == [acting]


def test_an_overdue_notice_reaches_only_the_acting_approver(department_and_people):
    department, acting, inactive, through_closed = department_and_people
    resident = make_user()
    application = actions.create_application(
        as_actor(resident),
        situation=make_situation(department, promised=2, statutory=10, materials=()),
        channel="online",
    )
    actions.submit(as_actor(resident), application)
    actions.accept(as_actor(clerk()), application)
    sweep_clocks(timezone.now() + timedelta(days=6))
    told = set(Notification.objects.filter(subject_id=str(application.pk)).values_list("recipient", flat=True))
    assert acting.pk in told and inactive.pk not in told and through_closed.pk not in told
