from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BundlesConfig(AppConfig):
    name = "yiwang.services.bundles"
    label = "bundles"
    verbose_name = _("one-thing bundles 一件事")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from yiwang.services.catalogue.stats import register_stats_section

        from .stats import bundle_stats

        register_stats_section("bundles", bundle_stats)
