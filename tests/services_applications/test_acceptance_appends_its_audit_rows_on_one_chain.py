"""An acceptance appends two audit rows on two chains (its own, the clocks' start): always in the order of
the chains, as every acceptance does, so two acceptances at once never wait for each other's chain head."""

import pytest

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core.audit.models import AuditEvent
from yiwang.services.applications import actions

pytestmark = pytest.mark.django_db


def test_the_lower_chain_is_appended_first_whichever_it_is():
    situation = make_situation(materials=())
    desk = as_actor(clerk(), channel="window")
    orders = set()
    for _ in range(12):
        application = actions.create_application(
            as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
        )
        actions.accept(desk, application)
        accept = AuditEvent.objects.get(action="applications.application.accept", object_id=str(application.pk))
        start = AuditEvent.objects.get(
            action="workcal.clock.start", object_id=f"applications.application:{application.pk}"
        )
        assert accept.chain != start.chain or accept.pk < start.pk
        first, second = sorted((accept, start), key=lambda row: row.pk)
        assert first.chain <= second.chain
        orders.add(accept.pk < start.pk)
    assert orders == {True, False}  # both orders occurred: the rule, not one fixed order, decided
