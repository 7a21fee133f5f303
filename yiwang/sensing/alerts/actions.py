"""Actions of sensing alerts: raise / update / clear alerts (audited) and escalate them to cases.

Escalation per rule: ``case_now`` opens a case at once through ``operations.actions.report_case``
(channel "iot", discovery "intelligent", at the device's place, the rule's category);
``notify_first`` notifies the rule's contact with an acknowledgement link and opens the case only if
nobody acknowledges within the rule's timeout (:func:`escalate_overdue`, a periodic job).
At most one open alert and at most one open case exist per (device, condition).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, Conflict, action, record_event
from yiwang.core.actor import Actor, Channel

from . import rules as pure
from ._common import RANK
from .models import OPEN_ALERT, Alert, AlertState, Escalation, Rule

SUBJECT_TYPE = "alerts.alert"


def _open_alert(device, condition: str) -> Alert | None:
    return Alert.objects.select_for_update().filter(OPEN_ALERT, device=device, condition=condition).first()


def _snapshot(alert: Alert) -> dict:
    return {"condition": alert.condition, "level": alert.level, "state": alert.state, "device": alert.device.code}


@action
def apply_transition(actor: Actor, rule: Rule, device, transition: pure.Transition) -> Alert | None:
    """Apply one transition of the pure engine for ``device`` under ``rule``."""
    at = transition.at if isinstance(transition.at, datetime) else timezone.now()
    current = _open_alert(device, transition.condition)
    if transition.kind == pure.RAISE:
        if current is not None:  # raced or state drifted: treat as an update of the open alert
            return _update(actor, current, transition, at)
        alert = Alert(
            device=device,
            rule=rule,
            condition=transition.condition,
            level=transition.level,
            peak_level=transition.level,
            state=AlertState.RAISED,
            value=transition.value,
            raised_at=at,
            updated_at=at,
        )
        try:
            alert.save(force_insert=True)
        except IntegrityError as exc:
            raise Conflict(_("An alert for this condition is already open.")) from exc
        record_event(actor, "alerts.alert.raise", alert, after=_snapshot(alert))
        _escalate(actor, rule, alert)
        return alert
    if current is None:
        return None
    if transition.kind == pure.UPDATE:
        return _update(actor, current, transition, at)
    before = _snapshot(current)
    current.state = AlertState.CLEARED
    current.cleared_at = at
    current.updated_at = at
    current.value = transition.value
    current.save(update_fields=["state", "cleared_at", "updated_at", "value"])
    record_event(actor, "alerts.alert.clear", current, before=before, after=_snapshot(current))
    return current


def _update(actor, alert: Alert, transition, at) -> Alert:
    before = _snapshot(alert)
    alert.level = transition.level or alert.level
    if RANK.get(alert.level, -1) > RANK.get(alert.peak_level, -1):
        alert.peak_level = alert.level
    alert.state = AlertState.UPDATED
    alert.value = transition.value
    alert.updated_at = at
    alert.save(update_fields=["level", "peak_level", "state", "value", "updated_at"])
    record_event(actor, "alerts.alert.update", alert, before=before, after=_snapshot(alert))
    return alert


def _escalate(actor: Actor, rule: Rule, alert: Alert) -> None:
    if rule.escalation == Escalation.CASE_NOW:
        open_case(actor, alert)
        return
    from yiwang.core.notify.services import notify

    device = alert.device
    subject = _t("Sensor alert at %(place)s") % {"place": device.address or device.name or device.code}
    body = _t(
        "The device %(device)s reports “%(condition)s” (level %(level)s). Please check on site and confirm "
        "through the link; if nobody confirms within %(minutes)s minutes a case is opened."
    ) % {
        "device": device.name or device.code,
        "condition": alert.condition,
        "level": alert.level,
        "minutes": rule.ack_timeout_minutes,
    }
    notify(
        actor,
        channel=rule.contact_channel or "sms",
        recipient=rule.contact_user,
        address=rule.contact_address,
        subject=subject,
        body=body,
        about=alert,
        ack=True,
    )
    alert.notified_at = timezone.now()
    alert.ack_deadline = alert.notified_at + timedelta(minutes=rule.ack_timeout_minutes)
    alert.save(update_fields=["notified_at", "ack_deadline"])


def _open_case_for(device, condition: str):
    """The still-open case of an earlier alert of the same (device, condition), if any."""
    from yiwang.operations.models import Case
    from yiwang.operations.models.cases import OPEN_CONDITION

    ids = Alert.objects.filter(device=device, condition=condition, case__isnull=False).values("case_id")
    return Case.objects.filter(OPEN_CONDITION, pk__in=ids).order_by("-pk").first()


def case_answers(alert: Alert) -> dict:
    """Answers to the case category's questions from the rule's ``case_answers`` parameter: a fixed answer
    or one per alert level, e.g. ``{"depth_cm": {"yellow": "10-30", "red": ">30"}}``."""
    wanted = (alert.rule.params or {}).get("case_answers") or {}
    answers = {code: value.get(alert.level) if isinstance(value, dict) else value for code, value in wanted.items()}
    return {code: value for code, value in answers.items() if value is not None}


def open_case(actor: Actor, alert: Alert):
    """Open (or re-use) the case of ``alert``: one open case per (device, condition)."""
    from yiwang.operations.actions import report_case
    from yiwang.operations.models import CaseChannel, Discovery

    if alert.case_id is not None:
        return alert.case
    case = _open_case_for(alert.device, alert.condition)
    if case is None:
        if alert.rule is None:
            raise ActionError(_("The alert's rule no longer exists."))
        device = alert.device
        case = report_case(
            Actor.system(channel=actor.channel if actor.user is None else Channel.SYSTEM),
            channel=CaseChannel.IOT,
            discovery=Discovery.INTELLIGENT,
            category=alert.rule.category_code,
            lon=device.lon,
            lat=device.lat,
            address=device.address,
            description=_t("Sensor alert: %(condition)s at level %(level)s on device %(device)s (rule “%(rule)s”).")
            % {"condition": alert.condition, "level": alert.level, "device": device.code, "rule": alert.rule.name},
            external_ref=f"alert:{alert.pk}",
            answers=case_answers(alert),
        )
    alert.case = case
    alert.save(update_fields=["case"])
    record_event(actor, "alerts.alert.open_case", alert, after={"case": case.pk, "condition": alert.condition})
    return case


@action
def acknowledge(actor: Actor, alert: Alert) -> Alert:
    """The contact confirmed the alert: no case is opened for it by the timeout."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_at"])
        record_event(actor, "alerts.alert.acknowledge", alert, after={"acknowledged": True})
    return alert


def on_notification_acknowledged(notification) -> None:
    alert = Alert.objects.filter(pk=notification.subject_id).first()
    if alert is not None:
        acknowledge(Actor.system(channel=Channel.WEB), alert)


def escalate_overdue(now: datetime | None = None) -> int:
    """Open the case of every notify-first alert nobody acknowledged in time; returns how many."""
    now = now or timezone.now()
    due = Alert.objects.filter(
        OPEN_ALERT, ack_deadline__isnull=False, ack_deadline__lte=now, acknowledged_at__isnull=True, case__isnull=True
    ).values_list("pk", flat=True)
    opened = 0
    for pk in list(due):
        if _escalate_one(pk, now):
            opened += 1
    return opened


@action
def _escalate_one(pk: int, now: datetime) -> bool:
    alert = Alert.objects.select_for_update(of=("self",)).select_related("device", "rule").filter(pk=pk).first()
    if alert is None or not alert.is_open or alert.acknowledged_at is not None or alert.case_id is not None:
        return False
    open_case(Actor.system(channel=Channel.WORKER), alert)
    return True
