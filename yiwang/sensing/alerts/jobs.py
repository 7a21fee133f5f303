"""Periodic jobs of sensing alerts (run by the worker)."""

from yiwang.core.periodic import periodic

from .actions import escalate_overdue


@periodic("alerts.escalate_overdue", every_seconds=60)
def escalate_overdue_alerts():
    """Open the case of each notify-first alert nobody acknowledged within its timeout."""
    return escalate_overdue()
