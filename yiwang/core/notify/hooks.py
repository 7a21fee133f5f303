"""Registration with the platform's periodic-job runner and retention registry, where they exist.

Both modules are optional for this app (imported defensively): without ``yiwang.core.periodic`` the
retry job can still be run by hand (``yiwang.core.notify.services.retry_due()``).
"""

import logging

logger = logging.getLogger("yiwang.notify")

RETRY_EVERY_SECONDS = 60


def register_periodic_jobs() -> bool:
    try:
        from yiwang.core.periodic import periodic
    except ImportError:
        logger.debug("yiwang.core.periodic not available: notification retries are not scheduled")
        return False
    from .services import retry_due

    periodic("notify.retry_due", RETRY_EVERY_SECONDS)(retry_due)
    return True


def register_retention_purger() -> bool:
    try:
        from yiwang.core.retention import register_purger
    except ImportError:
        logger.debug("yiwang.core.retention not available: notification purger not registered")
        return False
    from .services import purge_personal_data

    register_purger("notify.notifications", "notification", purge_personal_data)
    return True
