from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KioskConfig(AppConfig):
    name = "yiwang.services.kiosk"
    label = "kiosk"
    verbose_name = _("self-service kiosk 自助终端")
