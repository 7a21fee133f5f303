"""Run the alert rules of a device on its stored observations and apply the transitions.

Hooked to ``yiwang.sensing.store.register_observation_listener``: after each committed batch, every
device of the batch is evaluated at the time of its newest observation. Per batch, the rules of all its
devices and their open alerts are read in one query each; a threshold rule judges the newest value of
the batch (the latest reading at that time: what it would read back) without querying the readings.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from yiwang.core.actor import Actor, Channel

from . import rules as pure
from .models import OPEN_ALERT, Alert, Rule

log = logging.getLogger("yiwang.sensing.alerts")


def rules_for(device) -> list[Rule]:
    """Active rules of ``device``: its own rules override its type's rules of the same condition."""
    return rules_by_device([device])[device.pk]


def rules_by_device(devices) -> dict[int, list[Rule]]:
    """``rules_for`` of many devices in one query."""
    ids, types = [d.pk for d in devices], {d.type_id for d in devices}
    found = list(
        Rule.objects.filter(Q(device_id__in=ids) | Q(device_type_id__in=types, device__isnull=True), active=True)
    )
    out = {}
    for device in devices:
        mine = [
            r for r in found if r.device_id == device.pk or (r.device_id is None and r.device_type_id == device.type_id)
        ]
        own = {r.condition for r in mine if r.device_id is not None}
        out[device.pk] = [r for r in mine if r.device_id is not None or r.condition not in own]
    return out


def readings(device, since: datetime, until: datetime) -> list[pure.Reading]:
    """Observations of ``device`` in the district's local time: hourly rules bucket by local hour of day
    (a resident's 07:00 is 07:00 in Shanghai, not in UTC)."""
    from yiwang.sensing.models import Observation

    zone = timezone.get_default_timezone()
    rows = Observation.objects.filter(device=device, ts__gte=since, ts__lte=until).order_by("ts")
    return [pure.Reading(ts.astimezone(zone), value) for ts, value in rows.values_list("ts", "value")]


def _judged_at(engine, device, now: datetime) -> datetime:
    """Hourly kinds judge the hours before the evaluation time; on an hourly meter (one reading an
    hour, stamped inside the hour it measures) the hour of ``now`` is complete once its reading is in."""
    if not hasattr(engine, "verdict_at") or (device.type.interval_seconds or 0) < 3600:
        return now
    hour = now.replace(minute=0, second=0, microsecond=0)
    return now if now == hour else hour + timedelta(hours=1)


def evaluate_device(
    device,
    now: datetime | None = None,
    actor: Actor | None = None,
    *,
    rules: list[Rule] | None = None,
    levels: dict[tuple[int, str], str] | None = None,
    latest: float | None = None,
) -> list[pure.Transition]:
    """Evaluate every rule of ``device`` at ``now`` and apply the resulting transitions.

    From a batch (:func:`on_batch`): ``rules`` of the device, ``levels`` of the open alerts by
    (device id, condition), and ``latest``, the value of its reading at ``now``.
    """
    from .actions import apply_transition

    now = now or timezone.now()
    actor = actor or Actor.system(channel=Channel.WORKER)
    applied = []
    for rule in rules if rules is not None else rules_for(device):
        try:
            engine = rule.engine()
        except pure.RuleError:
            log.warning("alert rule %s has invalid parameters", rule.pk)
            continue
        if levels is not None:
            current = levels.get((device.pk, rule.condition))
        else:
            open_alert = Alert.objects.filter(OPEN_ALERT, device=device, condition=rule.condition).first()
            current = open_alert.level if open_alert else None
        if latest is not None and isinstance(engine, pure.Threshold):  # judges the latest reading alone
            data = [pure.Reading(now, latest)]
        else:
            data = readings(device, now - engine.lookback, now)
        verdict = engine.verdict(data, _judged_at(engine, device, now), current)
        result = pure.step(device.code, rule.condition, current, verdict, now)
        for transition in result.transitions:
            apply_transition(actor, rule, device, transition)
            applied.append(transition)
    return applied


def wants(device_ids: set[int]) -> bool:
    """Whether an active rule applies to any of these devices (their own rules or their types')."""
    from yiwang.sensing.models import Device

    types = Device.objects.filter(id__in=device_ids).values("type_id")
    return Rule.objects.filter(Q(device_id__in=device_ids) | Q(device_type_id__in=types), active=True).exists()


def on_batch(batch) -> None:
    """Observation listener: evaluate each device of the batch at its newest observation."""
    from yiwang.sensing.models import Device

    newest: dict[int, object] = {}
    for obs in batch:
        if obs.device_id not in newest or obs.ts > newest[obs.device_id].ts:
            newest[obs.device_id] = obs
    if not newest:
        return
    devices = list(Device.objects.filter(pk__in=list(newest)))
    rules = rules_by_device(devices)
    devices = [d for d in devices if rules[d.pk]]
    if not devices:
        return
    open_alerts = Alert.objects.filter(OPEN_ALERT, device_id__in=[d.pk for d in devices])
    levels = {(d, c): level for d, c, level in open_alerts.values_list("device_id", "condition", "level")}
    actor = Actor.system(Channel.MQTT)
    for device in devices:
        obs = newest[device.pk]
        at = obs.ts + timedelta(microseconds=1)
        evaluate_device(device, now=at, actor=actor, rules=rules[device.pk], levels=levels, latest=obs.value)


def preview(rule: Rule, device, days: int = 30, until: datetime | None = None) -> list[pure.Transition]:
    """Admin replay: what ``rule`` would have done on ``device`` over the last ``days`` days."""
    until = until or timezone.now()
    engine = rule.engine()
    since = (until - timedelta(days=days)).astimezone(timezone.get_default_timezone())
    since = since.replace(minute=0, second=0, microsecond=0)
    data = readings(device, since - engine.lookback, until)
    return pure.replay(engine, data, start=since, end=until, device=device.code, condition=rule.condition)


def connect() -> None:
    from yiwang.core.notify.signals import on_acknowledged

    from .actions import SUBJECT_TYPE, on_notification_acknowledged

    on_acknowledged(SUBJECT_TYPE, on_notification_acknowledged)
    try:
        from yiwang.sensing.store import register_observation_listener
    except ImportError:  # ingestion not installed: rules run from the periodic job only
        return
    register_observation_listener(on_batch, wants=wants)
