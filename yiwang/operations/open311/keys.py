"""Issuing, checking and revoking API keys of Open311 clients (actions, audited)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor
from yiwang.core.scope import is_active_user, is_district_wide, is_system_admin

from .cache import cached
from .models import ApiKey

KEY_PREFIX = "yw311_"
NAME_MAX = 100
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per key


def may_manage_keys(user) -> bool:
    """Issue and revoke Open311 API keys: system administrators and the operations centre."""
    if user is None:
        return False
    if not is_active_user(user):
        return False
    if is_system_admin(user):
        return True
    return is_district_wide(user)


def _may(actor: Actor) -> bool:
    return actor.user is None or may_manage_keys(actor.user)  # the console (``yiwang open311``) acts as the system


def new_secret() -> str:
    """A fresh key: 160 random bits in lower-case base32 (no 0/1/8/9, so it never looks like a phone number)."""
    raw = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=").lower()
    return KEY_PREFIX + raw


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@action
def issue_key(actor: Actor, *, name: str, contact: str = "", note: str = "", reply_with_token: bool = False):
    """Create a key for the client ``name``; returns ``(ApiKey, key)`` — the key is never shown again."""
    require(_may(actor), _("You may not issue Open311 API keys."))
    name = (name or "").strip()
    if not name:
        raise ActionError(_("Name the client the key is for."), field="name")
    if len(name) > NAME_MAX:
        raise ActionError(_("The client name is longer than 100 characters."), field="name")
    if ApiKey.objects.filter(name=name).exists():
        raise ActionError(
            _("A key named “%(name)s” exists already; choose another name.") % {"name": name}, field="name"
        )
    secret = new_secret()
    row = ApiKey.objects.create(
        name=name,
        prefix=secret[: len(KEY_PREFIX) + 4],
        key_hash=hash_key(secret),
        contact=(contact or "").strip()[:200],
        note=note or "",
        reply_with_token=bool(reply_with_token),
        created_by=actor.user,
    )
    record_event(actor, "open311.key.issue", row, after={"name": name, "prefix": row.prefix})
    return row, secret


@action
def revoke_key(actor: Actor, key: ApiKey) -> ApiKey:
    """Revoke ``key``: from now on it is refused with 403. Revoking twice is refused."""
    require(_may(actor), _("You may not revoke Open311 API keys."))
    row = ApiKey.objects.select_for_update().get(pk=key.pk)
    if row.revoked_at is not None:
        raise ActionError(_("The key “%(name)s” was already revoked.") % {"name": row.name})
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    record_event(actor, "open311.key.revoke", row, before={"active": True}, after={"active": False})
    return row


def authenticate(key: str) -> ApiKey | None:
    """The active key row for ``key``, or None. Notes when it was last used (at most once a minute)."""
    key = (key or "").strip()
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    digest = hash_key(key)
    row = cached("key", digest, lambda: ApiKey.objects.filter(key_hash=digest, revoked_at__isnull=True).first())
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        # bookkeeping, not a change of state: no audit row
        ApiKey.objects.filter(pk=row.pk).update(last_used_at=now)  # update(): no signal, the cache stays
        row.last_used_at = now
    return row


def find_key(name_or_prefix: str) -> ApiKey | None:
    value = (name_or_prefix or "").strip()
    return ApiKey.objects.filter(name=value).first() or ApiKey.objects.filter(prefix=value).first()
