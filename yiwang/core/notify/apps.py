import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("yiwang.notify")


class NotifyConfig(AppConfig):
    name = "yiwang.core.notify"
    label = "notify"
    verbose_name = _("Notifications 通知")

    def ready(self) -> None:
        from . import hooks

        hooks.register_periodic_jobs()
        hooks.register_retention_purger()
