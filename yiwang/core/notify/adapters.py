"""Delivery adapters: how a notification leaves the platform.

``settings.NOTIFY["ADAPTERS"]`` maps each channel to the dotted path of an :class:`Adapter` subclass.
A district plugs in its SMS gateway by writing one class and naming it there (or in the environment
variable ``YIWANG_SMS_ADAPTER``)::

    # mydistrict/sms.py
    import requests
    from yiwang.core.notify.adapters import Adapter, DeliveryError

    class GatewaySmsAdapter(Adapter):
        def send(self, notification):
            try:
                r = requests.post(URL, json={"to": self.destination(notification),
                                             "text": self.render_text(notification)}, timeout=10)
                r.raise_for_status()
            except requests.RequestException as exc:
                raise DeliveryError(f"gateway: {exc}") from exc

Rules for adapters:

* ``send`` returns ``None`` when the provider accepted the message, and raises :class:`DeliveryError`
  when it did not; the message is then retried with backoff (``NOTIFY["MAX_ATTEMPTS"]``, default 8).
  Any other exception is treated the same way, but is logged with its traceback as a bug.
* ``send`` runs outside any database transaction, after the caller's transaction committed. It must
  not write the notification row itself: the delivery service records the outcome.
* ``send`` may be called more than once for the same notification if a previous attempt's outcome
  was lost (the process died mid-send): delivery is at-least-once. Pass ``notification.pk`` to the
  provider as an idempotency key where the provider supports one.
* Never log a full phone number or email address: use :func:`mask_destination`.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from yiwang.core.masking import mask_phone

from .models import Channel, Notification

logger = logging.getLogger("yiwang.notify")

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[\d\s-]{5,20}$")


class DeliveryError(Exception):
    """The provider refused or could not be reached; the message is retried later."""


def mask_email(email: str) -> str:
    local, _sep, domain = (email or "").partition("@")
    if not domain:
        return "*" * len(local)
    return f"{local[:1]}***@{domain}"


def mask_destination(address: str) -> str:
    """Mask a phone number or an email address for lists, logs and audit summaries."""
    address = (address or "").strip()
    if "@" in address:
        return mask_email(address)
    return mask_phone(address)


class Adapter:
    """Base class of every delivery adapter. Subclasses implement :meth:`send`."""

    channel: str = ""

    def __init__(self, channel: str = ""):
        self.channel = channel or self.channel

    def send(self, notification: Notification) -> None:
        """Deliver ``notification``; return None on success, raise :class:`DeliveryError` on failure."""
        raise NotImplementedError

    # --- helpers for subclasses -------------------------------------------------------------------

    def destination(self, notification: Notification) -> str:
        """The address to send to: the notification's own address, else the recipient's on file."""
        if notification.address:
            return notification.address
        user = notification.recipient
        if user is None:
            return ""
        if self.channel == Channel.EMAIL:
            return user.email or ""
        if self.channel == Channel.SMS:
            return getattr(user, "phone", "") or ""
        return ""

    def render_text(self, notification: Notification) -> str:
        """The message text: the body, then the acknowledgement link if the message carries one."""
        text = notification.body
        if notification.ack_token:
            line = _("Please confirm: %(url)s") % {"url": notification.ack_url}
            text = f"{text}\n\n{line}" if text else line
        return text


class LogAdapter(Adapter):
    """Writes the message to the log instead of sending it (the default for SMS in the demo).

    The address is masked; the body and the acknowledgement link are printed in full so that a
    person trying the demo can click the link from the server console.
    """

    def send(self, notification: Notification) -> None:
        logger.info(
            "notification #%s via %s to %s: %s\n%s",
            notification.pk,
            self.channel or notification.channel,
            mask_destination(self.destination(notification)) or f"user #{notification.recipient_id}",
            notification.subject,
            self.render_text(notification),
        )


class EmailAdapter(Adapter):
    """Sends through Django's mail API (``EMAIL_BACKEND``; the console backend by default)."""

    channel = Channel.EMAIL

    def send(self, notification: Notification) -> None:
        to = self.destination(notification)
        if not EMAIL_RE.match(to):
            raise DeliveryError("no valid email address")
        try:
            sent = mail.send_mail(
                subject=notification.subject,
                message=self.render_text(notification),
                from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
                recipient_list=[to],
                fail_silently=False,
            )
        except (OSError, mail.BadHeaderError) as exc:  # smtplib errors are OSErrors
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise DeliveryError("the mail backend accepted no message")


class InAppAdapter(Adapter):
    """In-app messages need no transport: the row itself is the inbox entry (``/notify/inbox/``)."""

    channel = Channel.INAPP

    def send(self, notification: Notification) -> None:
        if notification.recipient_id is None:
            raise DeliveryError("an in-app message needs a recipient user")


def configured_channels() -> list[str]:
    return list(settings.NOTIFY.get("ADAPTERS", {}))


def get_adapter(channel: str) -> Adapter:
    """The adapter configured for ``channel`` (raises KeyError for an unknown channel)."""
    path = settings.NOTIFY["ADAPTERS"][channel]
    cls = import_string(path)
    return cls(channel)
