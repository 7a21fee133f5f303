from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "yiwang.sensing.alerts"
    label = "alerts"
    verbose_name = _("sensing alerts 感知告警")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import engine

        engine.connect()
