"""Side roads of the loop: rejection (not a case), return (not ours), reopening within the window."""

from datetime import timedelta

import pytest

from tests.operations.conftest import actor, advance, report
from yiwang.core.actions import ActionError
from yiwang.core.notify.models import Notification
from yiwang.operations import actions as ops
from yiwang.operations.models import Case, CaseNote

pytestmark = pytest.mark.django_db


def test_rejection_needs_a_reason_which_the_reporter_is_told(world):
    case = report(world)
    with pytest.raises(ActionError) as err:
        ops.reject(actor(world.hotline), case, reason="  ")
    assert err.value.field == "reason"
    case = ops.reject(actor(world.hotline), case, reason="A private courtyard, not public space")
    assert case.status == "rejected"
    assert "private courtyard" in Notification.objects.filter(subject_id=str(case.pk)).latest("id").body


def test_a_returned_case_goes_back_to_the_dispatcher_with_the_reason_and_a_dispatch_clock(world):
    case = advance(world, report(world), "handling")
    case = ops.return_case(actor(world.handler), case, reason="This is a market matter")
    assert (case.status, case.clock_kind) == ("returned", "dispatch")
    assert CaseNote.objects.get(case=case, kind="return").text == "This is a market matter"
    case = ops.dispatch(actor(world.dispatcher), case, department=world.market)
    assert (case.status, case.department, case.clock_kind) == ("dispatched", world.market, "handle")


def test_the_reporter_reopens_within_the_window_and_not_after(world):
    case = report(world, world.resident, channel="photo_report", reporter=None)
    case = advance(world, case, "closed")
    case = ops.reopen(actor(world.resident), case, reason="The rubbish is back")
    assert (case.status, case.department, case.clock_kind) == ("dispatched", world.urban, "handle")
    case = advance(world, case, "closed")
    Case.objects.filter(pk=case.pk).update(closed_at=case.closed_at - timedelta(days=8))
    with pytest.raises(ActionError) as err:
        ops.reopen(actor(world.resident), case, reason="Again")
    assert err.value.code == "reopen_window"


def test_the_window_is_configurable_per_category(world):
    world.garbage.reopen_window_days = 30
    world.garbage.save()
    case = advance(world, report(world, world.resident, channel="photo_report", reporter=None), "closed")
    Case.objects.filter(pk=case.pk).update(closed_at=case.closed_at - timedelta(days=20))
    assert ops.reopen(actor(world.resident), case, reason="Again").status == "dispatched"
