"""Acknowledgement links and the in-app inbox: the actions a recipient takes on a message."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event
from yiwang.core.actor import Actor

from .models import Channel, Notification, Status
from .signals import dispatch_acknowledged


class UnknownToken(ActionError):
    """The acknowledgement link is unknown, expired or purged."""

    def __init__(self):
        super().__init__(_("This confirmation link is unknown or has expired."), code="not_found")


@dataclass(frozen=True)
class AckResult:
    notification: Notification
    newly_acknowledged: bool  # False: it had already been acknowledged (at notification.acknowledged_at)


def find_by_token(token: str) -> Notification:
    """The notification an acknowledgement link points to (read only; raises :class:`UnknownToken`)."""
    row = Notification.objects.filter(ack_token=token).first() if token else None
    if row is None or not row.ack_is_open():
        raise UnknownToken()
    return row


@action
def acknowledge(actor: Actor, token: str) -> AckResult:
    """Acknowledge the message behind ``token``. Idempotent: a second call changes nothing.

    On the first acknowledgement the status becomes "acknowledged", an audit event is written and
    ``notification_acknowledged`` / ``on_acknowledged`` handlers run, all in this one transaction.
    """
    row = Notification.objects.select_for_update().filter(ack_token=token).first() if token else None
    if row is None or not row.ack_is_open():
        raise UnknownToken()
    if row.acknowledged_at is not None:
        return AckResult(row, False)
    before = {"status": row.status}
    row.acknowledged_at = timezone.now()
    row.status = Status.ACKNOWLEDGED
    row.next_attempt_at = None  # nothing left to deliver once the person has confirmed
    row.save(update_fields=["acknowledged_at", "status", "next_attempt_at"])
    record_event(actor, "notify.notification.acknowledge", row, before=before, after={"status": row.status})
    dispatch_acknowledged(row)
    return AckResult(row, True)


# --- in-app inbox ---------------------------------------------------------------------------------


def inbox(user) -> QuerySet[Notification]:
    """The in-app messages of ``user``, newest first."""
    return Notification.objects.filter(recipient=user, channel=Channel.INAPP).order_by("-created_at", "-id")


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return inbox(user).filter(read_at__isnull=True).count()


@action
def mark_read(actor: Actor, ids: list[int] | None = None) -> int:
    """Mark the actor's own in-app messages read (``ids=None``: all of them). Returns how many changed.

    Only the actor's own messages are touched: ids of other people's messages are ignored.
    """
    if actor.user is None:
        raise ActionError(_("Log in to read your messages."), code="forbidden")
    qs = inbox(actor.user).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    changed = list(qs.values_list("pk", flat=True))
    if not changed:
        return 0
    Notification.objects.filter(pk__in=changed).update(read_at=timezone.now())
    record_event(actor, "notify.inbox.read", ("core.user", actor.user.pk), after={"read": sorted(changed)})
    return len(changed)
