"""Periodic jobs of the reviews context (found and run by ``yiwang worker``)."""

from yiwang.core.periodic import periodic

from . import deadlines


@periodic("reviews.rectification_overdue", every_seconds=deadlines.SWEEP_SECONDS)
def rectification_overdue() -> str:
    """A safety net beside the clock handler: escalate any rectification past its deadline (once)."""
    return f"{deadlines.sweep_overdue()} escalated"
