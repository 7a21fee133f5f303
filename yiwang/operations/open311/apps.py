from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "yiwang.operations.open311"
    label = "open311"
    verbose_name = _("Open311 GeoReport v2 开放311接口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import cache

        cache.connect()
