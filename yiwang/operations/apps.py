from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "yiwang.operations"
    label = "operations"
    verbose_name = _("City operations 一网统管")

    def ready(self) -> None:
        # deadline clocks and periodic sweeps (the worker runs them)
        from . import deadlines, lookups

        deadlines.register()
        lookups.connect()
