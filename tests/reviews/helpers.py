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


def delivered_application(channel="window"):
    """An application delivered (办结) through ``channel`` ("window": typed in at W07; "online": a resident
    with a phone number); returns it, its rating opportunity and the clerk."""
    from tests.services_applications.helpers import approver, as_actor, clerk, make_situation
    from yiwang.reviews.models import RatingOpportunity
    from yiwang.services.applications import actions

    department = make_department(name="民政局")
    situation = make_situation(department, materials=())
    desk = clerk()
    if channel == "window":
        applicant = as_actor(desk)
        application = actions.create_application(
            applicant,
            situation=situation,
            channel="window",
            applicant_name="王芳",
            applicant_id_number="11010519850312001X",
            window_code="W07",
        )
    else:
        applicant = as_actor(make_user(phone="13800138000"))
        application = actions.create_application(applicant, situation=situation, channel="online")
    application = actions.submit(applicant, application)
    application = actions.accept(as_actor(desk), application)
    back = as_actor(approver(department))
    application = actions.approve(back, actions.start_review(back, application))
    application = actions.deliver(as_actor(desk), application)
    opportunity = RatingOpportunity.objects.get(subject_type="applications.application", subject_id=str(application.pk))
    return application, opportunity, desk
