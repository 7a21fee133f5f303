from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloodConfig(AppConfig):
    name = "yiwang.sensing.flood"
    label = "flood"
    verbose_name = _("flood and typhoon prevention 防汛防台")
    default_auto_field = "django.db.models.BigAutoField"
