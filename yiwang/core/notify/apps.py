from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Periodic jobs (delivery retries) are in ``jobs.py``, found by ``yiwang.core.periodic``."""

    name = "yiwang.core.notify"
    label = "notify"
    verbose_name = _("Notifications 通知")

    def ready(self) -> None:
        from .hooks import register_retention_purger

        register_retention_purger()
