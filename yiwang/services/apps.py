from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    """Holds no tables: it exists so that ``yiwang services …`` (management/commands) is found."""

    name = "yiwang.services"
    label = "services"
    verbose_name = _("Government services 一网通办")
