"""An application's create (submitted at once) and its acceptance each write one audit row that says
all they did — the acceptance's row names the clocks it started — and the trail verifies."""

import pytest

from tests.factories import make_user
from tests.services_applications.helpers import as_actor, clerk, make_situation
from yiwang.core.audit.models import AuditEvent
from yiwang.core.audit.trail import verify
from yiwang.core.workcal.queries import clocks_for
from yiwang.services.applications import actions

pytestmark = pytest.mark.django_db


def test_create_and_accept_write_one_row_each_and_the_trail_verifies():
    situation = make_situation(promised=4, statutory=15, materials=())
    before = AuditEvent.objects.count()
    application = actions.create_application(
        as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
    )
    assert AuditEvent.objects.count() == before + 1
    actions.accept(as_actor(clerk(), channel="window"), application)
    assert AuditEvent.objects.count() == before + 2
    row = AuditEvent.objects.get(action="applications.application.accept", object_id=str(application.pk))
    due = {clock.kind: clock.due_at.isoformat() for clock in clocks_for(application)}
    assert row.summary["after"]["clocks"] == {
        "promised": {"days": 4, "due": due["promised"]},
        "statutory": {"days": 15, "due": due["statutory"]},
    }
    assert verify().ok


def test_a_situation_done_on_the_spot_starts_no_clock_and_names_none():
    situation = make_situation(promised=0, statutory=0, materials=())
    application = actions.create_application(
        as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
    )
    actions.accept(as_actor(clerk(), channel="window"), application)
    row = AuditEvent.objects.get(action="applications.application.accept", object_id=str(application.pk))
    assert "clocks" not in row.summary["after"] and not clocks_for(application).exists()


def test_acceptances_write_no_row_of_the_clocks_and_spread_over_the_chains():
    situation = make_situation(materials=())
    desk = as_actor(clerk(), channel="window")
    chains = set()
    for _ in range(12):
        application = actions.create_application(
            as_actor(make_user()), situation=situation, channel="online", submit_at_once=True
        )
        actions.accept(desk, application)
        rows = AuditEvent.objects.filter(action="applications.application.accept", object_id=str(application.pk))
        assert rows.count() == 1  # one row, so one chain head per acceptance
        chains.add(rows.get().chain)
    assert not AuditEvent.objects.filter(action="workcal.clock.start").exists()
    assert len(chains) > 1  # the chain follows the application: acceptances still spread over the chains
    assert verify().ok
