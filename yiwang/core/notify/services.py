"""Sending notifications: :func:`notify` (the entry point for every context) and delivery.

``notify`` writes the row and its audit event in the caller's transaction and delivers only after
that transaction commits (``transaction.on_commit``): a rolled-back action sends nothing. A delivery
that fails is retried with exponential backoff by :func:`retry_due` (run periodically by the worker).

Delivery claims an attempt with a conditional UPDATE (``attempts = n → n + 1``), so the after-commit
delivery and the periodic retry never send the same attempt twice, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, record_event
from yiwang.core.actor import Actor, Channel
from yiwang.core.audit.bulk import chained_in_bulk
from yiwang.core.bulkinsert import insert_objects

from .adapters import EMAIL_RE, PHONE_RE, DeliveryError, configured_channels, get_adapter, mask_destination
from .models import Channel as NotifyChannel
from .models import Notification, Status
from .signals import notification_acknowledged, on_acknowledged

__all__ = [
    "DeliveryError",
    "deliver",
    "deliver_many",
    "notification_acknowledged",
    "notify",
    "on_acknowledged",
    "purge_personal_data",
    "retry_due",
]

logger = logging.getLogger("yiwang.notify")

# a queued row that was not delivered after commit (the process died) is picked up after this grace
CLAIM_GRACE = timedelta(seconds=60)


def _conf(key: str, default):
    return settings.NOTIFY.get(key, default)


def max_attempts() -> int:
    return int(_conf("MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt after ``attempts`` failed ones: 1, 2, 4, … minutes, at most 6 hours."""
    base = int(_conf("RETRY_BASE_SECONDS", 60))
    cap = int(_conf("RETRY_MAX_SECONDS", 6 * 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _about_ref(about) -> tuple[str, str]:
    if about is None:
        return "", ""
    if isinstance(about, tuple | list):
        kind, ident = about
        return str(kind), str(ident)
    if isinstance(about, models.Model):
        return f"{about._meta.app_label}.{about._meta.model_name}", str(about.pk)
    raise TypeError("about must be a model instance or a (type, id) pair")


def _validate(channel: str, recipient, address: str) -> None:
    if channel not in configured_channels():
        raise ActionError(_("Unknown notification channel “%(channel)s”.") % {"channel": channel}, field="channel")
    if recipient is None and not address:
        raise ActionError(_("A notification needs a recipient user or an address."), field="address")
    if channel == NotifyChannel.INAPP and recipient is None:
        raise ActionError(_("An in-app message needs a recipient user."), field="recipient")
    if address and channel == NotifyChannel.EMAIL and not EMAIL_RE.match(address):
        raise ActionError(_("This is not a valid email address."), field="address")
    if address and channel == NotifyChannel.SMS and not PHONE_RE.match(address):
        raise ActionError(_("This is not a valid phone number."), field="address")
    if not address and channel == NotifyChannel.SMS and not getattr(recipient, "phone", ""):
        raise ActionError(_("The recipient has no phone number on file; give an address."), field="address")
    if not address and channel == NotifyChannel.EMAIL and not getattr(recipient, "email", ""):
        raise ActionError(_("The recipient has no email address on file; give an address."), field="address")


def notify(
    actor: Actor,
    *,
    channel: str,
    recipient=None,
    address: str = "",
    subject: str,
    body: str,
    about=None,
    ack: bool = False,
) -> Notification:
    """Queue a message and deliver it after the caller's transaction commits.

    ``channel`` is a key of ``settings.NOTIFY["ADAPTERS"]`` ("sms", "email", "inapp", …);
    ``recipient`` a user and/or ``address`` a phone number or email address (the recipient's own is
    used when empty); ``about`` a model instance or a ``(type, id)`` pair the message concerns;
    ``ack=True`` adds an acknowledgement link (see :func:`yiwang.core.notify.ack.acknowledge`).

    The caller's action checks its own permissions; ``notify`` only validates the message. The audit
    event holds the channel, the masked address and the reference — never the address or the text.

    An action of its own (row and audit event in one transaction), without a savepoint inside the
    caller's: the message is refused before anything is written, and a batch that tells hundreds of
    reporters pays no two extra statements each.
    """
    address = (address or "").strip()
    _validate(channel, recipient, address)
    subject_type, subject_id = _about_ref(about)
    now = timezone.now()
    row = Notification(
        recipient=recipient,
        address=address,
        channel=channel,
        subject=str(subject)[:200],
        body=str(body),
        subject_type=subject_type,
        subject_id=subject_id,
        status=Status.QUEUED,
        next_attempt_at=now + CLAIM_GRACE,
        created_at=now,
    )
    if ack:
        row.ack_token = secrets.token_urlsafe(32)
        row.ack_expires_at = now + timedelta(days=int(_conf("ACK_TTL_DAYS", 30)))
    with transaction.atomic(savepoint=False):
        insert_objects([row])  # one prepared INSERT (no ORM compilation: a batch action queues hundreds)
        record_event(
            actor,
            "notify.notification.queue",
            row,
            after={
                "channel": channel,
                "recipient": recipient.pk if recipient is not None else None,
                "address": mask_destination(address),
                "about": f"{subject_type}:{subject_id}" if subject_type else "",
                "ack": bool(ack),
            },
        )
        _deliver_after_commit(row.pk)
        return row


class _Delivery:
    """The messages one transaction queued, delivered together once it commits (one ``on_commit``)."""

    def __init__(self):
        self.ids: list[int] = []
        self.done = False

    def __call__(self) -> None:
        self.done = True
        if _conf("DELIVERY", "inline") != "task":
            deliver_many(self.ids)
            return
        from .tasks import deliver_notification

        for pk in self.ids:
            try:
                deliver_notification.enqueue(pk)
            except Exception:  # the retry job picks the message up after CLAIM_GRACE
                logger.exception("could not enqueue delivery of notification #%s", pk)


_current = threading.local()  # this thread's _Delivery of the transaction in progress


def _deliver_after_commit(pk: int) -> None:
    """Deliver after the transaction commits (``notify`` always runs inside one):
    ``NOTIFY["DELIVERY"] = "inline"`` (the default) or by the worker ("task").

    A transaction's messages share one ``on_commit`` callback, so a batch action that queues hundreds
    (the Open311 drainer: one per report with a phone number) delivers them with one :func:`deliver_many`
    — claimed together, their outcomes and audit rows in one transaction — instead of one transaction
    each. The callback is found again while it is still registered with the transaction; after a
    rollback (the callback gone with it) the next message starts a new one.
    """
    delivery = getattr(_current, "delivery", None)
    if (
        delivery is None
        or delivery.done
        or not any(func is delivery for _sids, func, _robust in connection.run_on_commit)
    ):
        delivery = _current.delivery = _Delivery()
        transaction.on_commit(delivery)
    delivery.ids.append(pk)


# --- delivery -----------------------------------------------------------------------------------


def _claim(rows: list[Notification], now) -> list[Notification]:
    """Take the next attempt of each of ``rows`` for this process: the ones taken (others are done, or
    someone else took them). One conditional ``UPDATE`` per (status, attempts) group, attempt n taken only
    while the row is still at n."""
    groups: dict[tuple, list[Notification]] = {}
    for row in rows:
        if row.status in (Status.QUEUED, Status.FAILED) and row.attempts < max_attempts():
            groups.setdefault((row.status, row.attempts), []).append(row)
    claimed = []
    for (status, attempts), members in groups.items():
        taken = Notification.objects.filter(pk__in=[r.pk for r in members], attempts=attempts, status=status).update(
            attempts=F("attempts") + 1,
            # if this process dies mid-send, the retry job may try again after the backoff
            next_attempt_at=now + backoff(attempts + 1),
        )
        if taken != len(members):
            # another process took some meanwhile and which is unknown: none is sent now; the ones this
            # UPDATE took are sent by the retry job after their backoff (one attempt is never sent twice)
            if len(members) > 1:
                lost = len(members) - taken
                logger.warning("%s of %s notifications were taken by another process", lost, len(members))
            continue
        for row in members:
            row.attempts += 1
        claimed += members
    return claimed


def deliver(notification_id: int) -> bool:
    """Make one delivery attempt now (if one is due or the message is fresh). True if it was sent."""
    return deliver_many([notification_id]) == 1


def deliver_many(ids) -> int:
    """One delivery attempt for each of ``ids`` now: claimed together, sent one by one through their
    adapters, the outcomes and their audit rows written in one transaction. Returns how many were sent."""
    rows = list(Notification.objects.select_related("recipient").filter(pk__in=list(ids)).order_by("pk"))
    claimed = _claim(rows, timezone.now())
    if not claimed:
        return 0
    outcomes = [(row, _send(row)) for row in claimed]
    _record_outcomes(outcomes)
    return sum(1 for _row, error in outcomes if not error)


def _send(row: Notification) -> str:
    """Hand ``row`` to its channel's adapter; the error ("" when sent)."""
    try:
        get_adapter(row.channel).send(row)
    except DeliveryError as exc:
        error = str(exc) or type(exc).__name__
        logger.warning("notification #%s attempt %s failed: %s", row.pk, row.attempts, error)
        return error
    except Exception as exc:  # an adapter bug or an unexpected transport error: retry, but say so loudly
        logger.exception("notification #%s attempt %s raised", row.pk, row.attempts)
        return f"{type(exc).__name__}: {exc}"
    return ""


def _record_outcomes(outcomes: list[tuple[Notification, str]]) -> None:
    now = timezone.now()
    system = Actor.system(Channel.WORKER)
    sent = {"status": Status.SENT, "sent_at": now, "last_error": "", "next_attempt_at": None}
    # many outcomes: their audit rows appended to the chain together (the same rows, hashes and order)
    together = chained_in_bulk if len(outcomes) > 1 else contextlib.nullcontext
    with transaction.atomic(), together():
        # an acknowledgement may have arrived meanwhile (a fast click): never overwrite it
        delivered = [row.pk for row, error in outcomes if not error]
        if delivered:
            Notification.objects.filter(pk__in=delivered).exclude(status=Status.ACKNOWLEDGED).update(**sent)
        for row, error in outcomes:
            changes = sent
            if error:
                changes = {
                    "status": Status.FAILED,
                    "last_error": error[:1000],
                    "next_attempt_at": None if row.attempts >= max_attempts() else now + backoff(row.attempts),
                }
                Notification.objects.filter(pk=row.pk).exclude(status=Status.ACKNOWLEDGED).update(**changes)
            after = {"status": str(changes["status"]), "attempt": row.attempts}
            if error:
                after["retry"] = changes["next_attempt_at"] is not None
            record_event(system, "notify.notification.deliver", row, after=after)
            for key, value in changes.items():
                setattr(row, key, value)


def due_for_retry(now=None):
    """Notifications whose next attempt is due: failed ones after their backoff, and lost queued ones."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(status__in=[Status.QUEUED, Status.FAILED]),
        next_attempt_at__isnull=False,
        next_attempt_at__lte=now,
        attempts__lt=max_attempts(),
    ).order_by("next_attempt_at")


def retry_due(now=None, limit: int = 200) -> int:
    """Retry every due delivery (the periodic job). Returns how many were sent this time."""
    sent = 0
    for pk in list(due_for_retry(now).values_list("pk", flat=True)[:limit]):
        sent += int(deliver(pk))
    return sent


# --- retention ------------------------------------------------------------------------------------


def purge_personal_data(cutoff) -> int:
    """Blank addresses, bodies, errors and acknowledgement tokens of notifications created before ``cutoff``.

    Registered with the retention registry as class "notification". Keeps the channel, status,
    subject line, reference and timestamps (statistics still work). Returns the number of rows purged.
    """
    return Notification.objects.filter(created_at__lt=cutoff, purged_at__isnull=True).update(
        address="", body="", last_error="", ack_token=None, next_attempt_at=None, purged_at=timezone.now()
    )
