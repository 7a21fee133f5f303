"""Builders for the reviews tests (plain functions)."""

import itertools

from tests.factories import make_department, make_org, make_user
from yiwang.core.actor import Actor
from yiwang.core.roles import OrgKind, Role
from yiwang.reviews import actions
from yiwang.reviews.models import Network, RatingChannel

_subjects = itertools.count(1)
SYSTEM = Actor.system()


def make_centre():
    return make_org(OrgKind.OPERATIONS_CENTRE, name="District operations centre")


def make_dept(parent=None, name=None):
    return make_department(name=name, parent=parent)


def handler_of(org):
    return make_user(Role.DEPARTMENT_HANDLER, org=org)


def open_for(org, *, subject=None, round=1, network=Network.SERVICES, channel=RatingChannel.QR_CODE, **kw):
    subject = subject or ("services.act", str(next(_subjects)))
    return actions.open_opportunity(
        SYSTEM, subject=subject, round=round, org_unit=org, network=network, channel=channel, **kw
    )


def rate_by_token(opportunity, level, comment=""):
    return actions.rate(opportunity.token, opportunity, level, comment)
