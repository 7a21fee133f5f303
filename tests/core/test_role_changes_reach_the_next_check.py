"""A user's roles are read once per process for a few seconds (a request's fresh user object costs no
query); granting, revoking, closing the org unit or deactivating the user reaches the next check at once
in this process, other processes within ``PERMISSIONS["ROLE_SECONDS"]``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_org, make_user
from yiwang.core import scope
from yiwang.core.models import RoleAssignment, User
from yiwang.core.roles import OrgKind, Role

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)  # as the next request loads it


def test_a_fresh_user_object_reads_its_roles_without_a_query():
    user = make_user(Role.WINDOW_CLERK, org=make_org(OrgKind.SERVICE_WINDOW))
    assert scope.has_role(_fresh(user), Role.WINDOW_CLERK)
    again = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert scope.has_role(again, Role.WINDOW_CLERK)
    assert len(queries) == 0


def test_a_revoked_role_is_refused_at_the_next_check():
    user = make_user(Role.WINDOW_CLERK, org=make_org(OrgKind.SERVICE_WINDOW))
    assert scope.has_role(_fresh(user), Role.WINDOW_CLERK)
    assignment = RoleAssignment.objects.get(user=user)
    assignment.active = False
    assignment.save()
    assert not scope.has_role(_fresh(user), Role.WINDOW_CLERK)


def test_a_granted_role_counts_at_the_next_check():
    user = make_user()
    assert not scope.has_role(_fresh(user), Role.APPROVER)
    RoleAssignment.objects.create(user=user, role=Role.APPROVER, org_unit=make_org(OrgKind.DEPARTMENT))
    assert scope.has_role(_fresh(user), Role.APPROVER)


def test_a_closed_org_unit_grants_nothing_at_the_next_check():
    from datetime import timedelta

    from django.utils import timezone

    window = make_org(OrgKind.SERVICE_WINDOW)
    user = make_user(Role.WINDOW_CLERK, org=window)
    assert scope.has_role(_fresh(user), Role.WINDOW_CLERK)
    window.valid_to = timezone.localdate() - timedelta(days=1)
    window.save()
    assert not scope.has_role(_fresh(user), Role.WINDOW_CLERK)


def test_a_deactivated_user_acts_in_no_role():
    user = make_user(Role.WINDOW_CLERK, org=make_org(OrgKind.SERVICE_WINDOW))
    assert scope.has_role(_fresh(user), Role.WINDOW_CLERK)
    User.objects.filter(pk=user.pk).update(is_active=False)  # no signal: the user's own flag still decides
    assert not scope.has_role(_fresh(user), Role.WINDOW_CLERK)


def test_with_zero_seconds_every_fresh_user_object_reads_its_roles(settings):
    settings.PERMISSIONS = {"ROLE_SECONDS": 0}
    user = make_user(Role.WINDOW_CLERK, org=make_org(OrgKind.SERVICE_WINDOW))
    assert scope.has_role(_fresh(user), Role.WINDOW_CLERK)
    RoleAssignment.objects.filter(user=user).update(active=False)  # no signal, no cache: seen at once
    assert not scope.has_role(_fresh(user), Role.WINDOW_CLERK)
