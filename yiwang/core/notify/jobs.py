"""Periodic jobs of this app, found by ``yiwang.core.periodic.autodiscover`` (run by ``yiwang worker``)."""

try:
    from yiwang.core.periodic import periodic
except ImportError:  # the periodic registry is optional for this app

    def periodic(name, every_seconds, **kwargs):
        return lambda fn: fn


RETRY_EVERY_SECONDS = 60


@periodic("notify.retry_due", every_seconds=RETRY_EVERY_SECONDS)
def retry_notifications() -> str:
    """Retry every notification delivery whose backoff has run out."""
    from .services import retry_due

    return f"{retry_due()} sent"
