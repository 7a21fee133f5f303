from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalConfig(AppConfig):
    name = "yiwang.core.workcal"
    label = "workcal"
    verbose_name = _("Work calendar 工作日历")
