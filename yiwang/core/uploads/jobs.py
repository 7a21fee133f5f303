"""Periodic jobs of this app, found by ``yiwang.core.periodic.autodiscover`` (run by ``yiwang worker``)."""

try:
    from yiwang.core.periodic import periodic
except ImportError:  # the periodic registry is optional for this app

    def periodic(name, every_seconds, **kwargs):
        return lambda fn: fn


SWEEP_EVERY_SECONDS = 3600


@periodic("uploads.sweep_orphans", every_seconds=SWEEP_EVERY_SECONDS)
def sweep_upload_orphans() -> str:
    """Delete stored files that no row references (left behind by rolled-back uploads)."""
    from .storage import sweep_orphans

    return f"{sweep_orphans()} orphan files deleted"
