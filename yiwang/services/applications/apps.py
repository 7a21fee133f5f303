from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "yiwang.services.applications"
    label = "applications"
    verbose_name = _("applications 办件")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import lookups, supervision

        supervision.register()
        lookups.connect()  # the catalogue cache is cleared when a situation, item or material changes
        try:
            from yiwang.services.catalogue.stats import register_stats_section
        except ImportError:  # pragma: no cover  (the catalogue app always ships with this one)
            return
        from .queries import application_stats

        register_stats_section("applications", application_stats)
