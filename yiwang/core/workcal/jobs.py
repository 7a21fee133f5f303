"""Periodic jobs of the work calendar (run by ``yiwang worker``): the clock sweep and the coverage check."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext

from yiwang.core.periodic import periodic

from .services import coverage_warning
from .sweep import sweep_clocks

log = logging.getLogger("yiwang.workcal")


@periodic("workcal.sweep", every_seconds=30)
def sweep() -> str:
    return str(sweep_clocks())


@periodic("workcal.coverage", every_seconds=24 * 3600)
def coverage_check(today=None) -> str:
    """Warn system administrators (in-app) when the work calendar's coverage is about to end."""
    message = coverage_warning(today or timezone.localdate())
    if message is None:
        return "covered"
    log.warning("work calendar: %s", message)
    try:
        from yiwang.core.notify.services import notify
    except ImportError:
        log.info("notify service not available: the coverage warning was only logged")
        return "warned in the log"
    from django.db import transaction

    from yiwang.core.actor import Actor, Channel
    from yiwang.core.models import User
    from yiwang.core.roles import Role

    admins = User.objects.filter(
        is_active=True, role_assignments__role=Role.SYSTEM_ADMIN, role_assignments__active=True
    ).distinct()
    actor = Actor.system(Channel.WORKER)
    sent = 0
    with transaction.atomic():
        for user in admins:
            notify(
                actor,
                channel="inapp",
                recipient=user,
                subject=gettext("Work calendar coverage is ending"),
                body=message,
                about=("workcal.coverage", str((today or timezone.localdate()).year)),
            )
            sent += 1
    return f"warned {sent} administrators"
