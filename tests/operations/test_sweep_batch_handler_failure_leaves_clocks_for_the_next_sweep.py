"""A batch handler that fails leaves every clock of its batch unmarked: the next sweep fires them again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yiwang.core.actor import Actor
from yiwang.core.workcal.bulk import start_clocks_in_bulk
from yiwang.core.workcal.models import Clock, ClockState
from yiwang.core.workcal.sweep import register_batch_clock_handler, sweep_clocks, unregister_batch_clock_handler

pytestmark = pytest.mark.django_db


def test_a_failing_batch_handler_rolls_back_and_the_clocks_fire_again():
    calls = []

    def flaky(clocks):
        calls.append(len(clocks))
        Clock.objects.filter(pk=clocks[0].pk).update(kind="tampered")  # rolled back with the failure
        if len(calls) == 1:
            raise RuntimeError("the first time it fails")

    started = timezone.now() - timedelta(days=3)
    specs = [("test.subject", str(i), "handle", "ch", 1, started, None) for i in range(4)]
    register_batch_clock_handler("test.subject", on_overdue=flaky)
    try:
        assert start_clocks_in_bulk(Actor.system(), specs) == 4
        first = sweep_clocks(timezone.now())
        assert (first.overdue, first.failed) == (0, 4)
        assert set(Clock.objects.values_list("state", flat=True)) == {ClockState.RUNNING}
        assert not Clock.objects.filter(kind="tampered").exists()
        second = sweep_clocks(timezone.now())
        assert second.overdue == 4 and calls == [4, 4]
        assert set(Clock.objects.values_list("state", flat=True)) == {ClockState.OVERDUE}
    finally:
        unregister_batch_clock_handler("test.subject", on_overdue=flaky)
