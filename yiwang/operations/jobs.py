"""Periodic jobs of the operations context (found and run by ``yiwang worker``)."""

from yiwang.core.periodic import periodic

from . import deadlines


@periodic("operations.escalations", every_seconds=deadlines.ESCALATION_SWEEP_SECONDS)
def escalations() -> str:
    """Raise cases that stay overdue one grid level further (grid → subdistrict → district)."""
    return f"{deadlines.sweep_escalations()} escalated"


@periodic("operations.statistics", every_seconds=24 * 3600)
def statistics() -> str:
    """Refresh the query planner's statistics of the case tables (the list's partial indexes need them)."""
    from .queries.cases import refresh_statistics

    return refresh_statistics()
