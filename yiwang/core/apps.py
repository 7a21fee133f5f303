from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yiwang.core"
    label = "core"
    verbose_name = _("Core 核心")

    def ready(self):
        from yiwang.core import scope
        from yiwang.core.retention import register_core_purgers

        register_core_purgers()
        scope.connect()  # the per-process cache of role assignments, cleared when they change
