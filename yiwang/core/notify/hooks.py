"""Registration with the platform's retention registry, where it exists (imported defensively)."""

import logging

logger = logging.getLogger("yiwang.notify")


def register_retention_purger() -> bool:
    try:
        from yiwang.core.retention import register_purger
    except ImportError:
        logger.debug("yiwang.core.retention not available: notification purger not registered")
        return False
    from .services import purge_personal_data

    register_purger("notify.notifications", "notification", purge_personal_data)
    return True
