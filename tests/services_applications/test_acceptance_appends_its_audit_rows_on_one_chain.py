"""An acceptance appends two audit rows (its own, the clocks' start) on ONE chain, whichever objects they
name: a transaction holds one chain head, so two acceptances at once never wait for each other's."""

import pytest

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import verify
from yiwang.services.applications import actions

pytestmark = pytest.mark.django_db


def test_the_acceptance_and_its_clocks_share_one_chain():
    situation = make_situation(materials=())
    desk = as_actor(clerk(), channel="window")
    chains = set()
    for _ in range(12):
        application = actions.create_application(
            as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
        )
        actions.accept(desk, application)
        accept = AuditEvent.objects.get(action="applications.application.accept", object_id=str(application.pk))
        start = AuditEvent.objects.get(
            action="workcal.clock.start", object_id=f"applications.application:{application.pk}"
        )
        assert accept.chain == start.chain
        chains.add(accept.chain)
    assert len(chains) > 1  # the chain follows the application: acceptances still spread over the chains
    assert verify().ok
