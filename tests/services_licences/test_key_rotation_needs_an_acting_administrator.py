"""Rotating the signing key needs an *acting* system administrator: not an inactive account, not a role
held through an org unit that has closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_org, make_user
from yiwang.core.actions import PermissionDenied
from yiwang.core.actor import Actor
from yiwang.core.roles import OrgKind, Role
from yiwang.services.licences.keys import rotate_key

pytestmark = pytest.mark.django_db


def test_an_acting_administrator_rotates_the_key():
    assert rotate_key(Actor(user=make_user(Role.SYSTEM_ADMIN))).pk


def test_an_inactive_administrator_may_not():
    with pytest.raises(PermissionDenied):
        rotate_key(Actor(user=make_user(Role.SYSTEM_ADMIN, is_active=False)))


def test_an_administrator_through_a_closed_unit_may_not():
    closed = make_org(OrgKind.OPERATIONS_CENTRE, name="Old IT office", code="IT-OLD")
    closed.valid_to = timezone.localdate() - timedelta(days=1)
    closed.save()
    with pytest.raises(PermissionDenied):
        rotate_key(Actor(user=make_user(Role.SYSTEM_ADMIN, org=closed)))
