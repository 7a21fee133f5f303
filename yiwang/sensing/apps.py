from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensingConfig(AppConfig):
    name = "yiwang.sensing"
    label = "sensing"
    verbose_name = _("sensing 物联感知")
    default_auto_field = "django.db.models.BigAutoField"
