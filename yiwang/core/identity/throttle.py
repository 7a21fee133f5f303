"""Failed password logins: recorded, counted per username and per client address, and throttled.

After ``FAILURES`` failed attempts for one username (or ``IP_FAILURES`` from one client address)
within ``WINDOW_MINUTES``, password logins for that username (or from that address) are refused for
``COOLDOWN_MINUTES`` — even with the right password. Settings (all optional)::

    LOGIN_THROTTLE = {"FAILURES": 5, "IP_FAILURES": 20, "WINDOW_MINUTES": 15, "COOLDOWN_MINUTES": 15}

The counts are the failed ``LoginRecord`` rows themselves, so every gunicorn process (and every
machine sharing the database) sees the same numbers; no process memory is involved. A username is
counted by a keyed digest (HMAC with the secret key) and stored masked; a successful login ends the
username's run of failures (not the address's). Each lockout is a ``LoginLockout`` row with its audit
row (``core.login.lockout``).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from yiwang.core.actions import action, record_event
from yiwang.core.actor import Actor, client_address
from yiwang.core.masking import mask_ip, mask_username
from yiwang.core.models import LockoutScope, LoginLockout, LoginMethod, LoginOutcome, LoginRecord

DEFAULTS = {"FAILURES": 5, "IP_FAILURES": 20, "WINDOW_MINUTES": 15, "COOLDOWN_MINUTES": 15}


@dataclass(frozen=True)
class Limits:
    failures: int
    ip_failures: int
    window: timedelta
    cooldown: timedelta


def limits() -> Limits:
    conf = {**DEFAULTS, **getattr(settings, "LOGIN_THROTTLE", {})}
    return Limits(
        failures=int(conf["FAILURES"]),
        ip_failures=int(conf["IP_FAILURES"]),
        window=timedelta(minutes=float(conf["WINDOW_MINUTES"])),
        cooldown=timedelta(minutes=float(conf["COOLDOWN_MINUTES"])),
    )


def now() -> datetime:
    """The clock the throttle reads (one place, so tests can move it past a cool-down)."""
    return timezone.now()


def client_ip_of(request) -> str | None:
    """The request's client address if it is a valid IP address (else None: nothing to count by)."""
    value = client_address(request)
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def username_key(username: str) -> str:
    """A keyed digest of the typed username (case-folded), so failures are counted without storing it."""
    normalised = (username or "").strip().casefold().encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"login:" + normalised, hashlib.sha256).hexdigest()


def active_lockout(username: str, client_ip: str | None) -> LoginLockout | None:
    """The lockout that refuses this attempt now (the one ending last), or None."""
    keys = Q(scope=LockoutScope.USERNAME, key=username_key(username))
    if client_ip:
        keys |= Q(scope=LockoutScope.CLIENT_IP, key=client_ip)
    return LoginLockout.objects.filter(keys, until__gt=now()).order_by("-until").first()


@action
def record_refused(request, username: str, client_ip: str | None) -> LoginRecord:
    """Record an attempt refused because of a lockout (not counted as a further failure)."""
    return _record(username, client_ip, LoginOutcome.LOCKED_OUT)


@action
def record_failure(request, username: str, client_ip: str | None) -> LoginLockout | None:
    """Record a failed password attempt; lock the username or the address out when it reaches its limit.

    Returns the lockout it started, if any (with its audit row, in the same transaction).
    """
    record = _record(username, client_ip, LoginOutcome.FAILED)
    conf = limits()
    lockout = None
    key = record.username_key
    since = _run_start(LockoutScope.USERNAME, key, record.at - conf.window, successes=True)
    failures = _failures(Q(username_key=key), since)
    if failures >= conf.failures:
        lockout = _lock(request, LockoutScope.USERNAME, key, record.username_masked, record, failures, conf)
    if client_ip:
        since = _run_start(LockoutScope.CLIENT_IP, client_ip, record.at - conf.window, successes=False)
        failures = _failures(Q(client_ip=client_ip), since)
        if failures >= conf.ip_failures:
            lockout = _lock(request, LockoutScope.CLIENT_IP, client_ip, mask_ip(client_ip), record, failures, conf)
    return lockout


def _record(username: str, client_ip: str | None, outcome: str) -> LoginRecord:
    return LoginRecord.objects.create(
        at=now(),
        user=None,
        method=LoginMethod.PASSWORD,
        assurance="",
        client_ip=client_ip,
        outcome=outcome,
        username_masked=mask_username(username),
        username_key=username_key(username),
    )


def _run_start(scope: str, key: str, window_start: datetime, *, successes: bool) -> datetime:
    """Failures count from the latest of: the window's start, the last lockout's start, the last success."""
    starts = [window_start]
    last_lock = LoginLockout.objects.filter(scope=scope, key=key).aggregate(at=Max("started_at"))["at"]
    if last_lock:
        starts.append(last_lock)
    if successes:
        last_ok = LoginRecord.objects.filter(
            username_key=key, outcome=LoginOutcome.SUCCEEDED, at__gt=window_start
        ).aggregate(at=Max("at"))["at"]
        if last_ok:
            starts.append(last_ok)
    return max(starts)


def _failures(where: Q, since: datetime) -> int:
    return LoginRecord.objects.filter(where, outcome=LoginOutcome.FAILED, at__gt=since).count()


def _lock(request, scope, key, label, record, failures, conf) -> LoginLockout:
    lockout = LoginLockout.objects.create(
        scope=scope, key=key, label=label, started_at=record.at, until=record.at + conf.cooldown, failures=failures
    )
    record_event(
        Actor.from_request(request),
        "core.login.lockout",
        lockout,
        after={
            "scope": scope,
            "who": label,
            "failures": failures,
            "until": lockout.until.isoformat(),
        },
    )
    return lockout
