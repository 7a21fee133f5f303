"""``yiwang simulate --http``: the demo's devices post their streams with their own keys to the live server;
every reading is stored and the rainstorm raises the red water-level alert and opens its case."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from yiwang.demo.seed import QUICK_STEPS, seed_demo
from yiwang.operations.models import Case
from yiwang.sensing.alerts.models import Alert
from yiwang.sensing.models import DeadLetter, Observation
from yiwang.sensing.simulate import generators, registry, runner
from yiwang.sensing.simulate.sinks import HttpSink

pytestmark = pytest.mark.django_db(transaction=True)
SEED = 13


@pytest.fixture
def demo():
    seed_demo(SEED, steps=(*QUICK_STEPS, "categories", "devices"))
    return SEED


def test_a_rainstorm_over_http_stores_everything_and_opens_the_red_case(demo, live_server):
    devices = [d for d in registry.demo_devices(demo) if d.type == "water-level"][:4]
    start, end = runner.period(timedelta(hours=10), 0, timezone.now())
    sim = generators.build(devices, generators.Plan(start, end, ("rainstorm",), seed=3))
    sink = HttpSink(live_server.url, log=pytest.fail)
    lines = []
    report = runner.run(sim, {d.code: d.key for d in devices}, sink, speed=0, progress=lines.append)

    assert report.live == sim.count() == sink.stats.readings
    assert Observation.objects.count() == sim.count() == sink.stats.accepted
    assert sink.stats.duplicate == sink.stats.rejected == 0 and not DeadLetter.objects.exists()
    flooded = {e.device for e in sim.events if "red level" in e.what}
    assert flooded and any("red level" in line for line in lines)
    red = Alert.objects.filter(condition="deep-water", level="red")
    assert {a.device.code for a in red} == flooded
    cases = Case.objects.filter(pk__in=red.values("case_id"))
    assert cases.count() == len(flooded)
    assert set(cases.values_list("category__code", flat=True)) == {"CM-GREEN-FLOOD"}


def test_the_command_refuses_bad_options_with_a_reason(demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--duration '30 hours'"):
        call_command("simulate", "--http", "http://127.0.0.1:9", "--duration", "30 hours")
    with pytest.raises(CommandError, match="unknown scenario typhoon"):
        call_command("simulate", "--http", "http://127.0.0.1:9", "--scenario", "typhoon")
    with pytest.raises(CommandError, match="host:port"):
        call_command("simulate", "--broker", "localhost")


def test_the_command_prints_progress_and_the_servers_counts(demo, live_server):
    import io

    out = io.StringIO()
    call_command(
        "simulate", "--http", live_server.url, "--speed", "0", "--duration", "6h", "--scenario", "silent",
        "--devices", "WM-0001,WM-0002,WM-0003", "--history-days", "2", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    stored = Observation.objects.count()
    assert 3 * (2 * 24 + 6) * 0.9 < stored <= 3 * (2 * 24 + 6)  # hourly, a few gaps in the period
    assert f"server: {stored:,} accepted, 0 duplicate, 0 rejected" in text
    assert "history: 144 readings of 3 meters" in text and "stops using water" in text
