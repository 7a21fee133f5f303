from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "yiwang.services.bundles"
    label = "bundles"
    verbose_name = _("one-thing bundles 一件事")
    default_auto_field = "django.db.models.BigAutoField"
