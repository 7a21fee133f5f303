"""Logging someone in at an assurance level, recording it, and asking for a level later."""

from __future__ import annotations

import functools
import ipaddress
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import PermissionDenied, action, record_event
from yiwang.core.actor import Actor
from yiwang.core.models import LoginMethod, LoginRecord
from yiwang.core.roles import ASSURANCE_RANK, Assurance

from . import throttle
from .backends import MODEL_BACKEND

SESSION_KEY = "assurance"


class InsufficientAssurance(PermissionDenied):
    def __init__(self, needed: str):
        label = Assurance(needed).label
        super().__init__(_("This needs a stronger login: %(level)s.") % {"level": label})
        self.needed = needed


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


@action
def complete_login(request, user, method: str = LoginMethod.PASSWORD, assurance: str = Assurance.PASSWORD):
    """Log ``user`` in on ``request`` at ``assurance``; write a LoginRecord and an audit row."""
    if assurance not in ASSURANCE_RANK:
        raise ValueError(f"unknown assurance level {assurance!r}")
    backend = getattr(user, "backend", None) or settings.AUTHENTICATION_BACKENDS[0] or MODEL_BACKEND
    login(request, user, backend=backend)
    request.session[SESSION_KEY] = str(assurance)
    actor = Actor.from_request(request)
    record = LoginRecord.objects.create(
        user=user,
        method=method,
        assurance=assurance,
        client_ip=_valid_ip(actor.client_ip),
        username_key=throttle.username_key(user.get_username()),  # ends the username's run of failures
    )
    record_event(actor, "core.user.login", user, after={"method": method, "assurance": str(assurance)})
    return record


def session_assurance(request) -> str:
    """The assurance level of the current login (password for anonymous sessions or old sessions)."""
    session = getattr(request, "session", None)
    if session is None:
        return Assurance.PASSWORD
    value = session.get(SESSION_KEY, Assurance.PASSWORD)
    return value if value in ASSURANCE_RANK else Assurance.PASSWORD


def has_assurance(request, level: str) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return ASSURANCE_RANK[session_assurance(request)] >= ASSURANCE_RANK[level]


def require_assurance(request, level: str) -> None:
    """Raise :class:`InsufficientAssurance` unless the request's login is at least ``level``."""
    if not has_assurance(request, level):
        raise InsufficientAssurance(level)


def assurance_required(level: str):
    """View decorator: send the person to log in again (with a stronger method) when the level is too low."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if has_assurance(request, level):
                return view(request, *args, **kwargs)
            query = urlencode({"next": request.get_full_path(), "assurance": level})
            return redirect(f"{reverse('login')}?{query}")

        return wrapped

    return decorate
