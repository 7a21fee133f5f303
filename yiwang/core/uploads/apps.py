from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    """Periodic jobs (the orphan sweep) are in ``jobs.py``, found by ``yiwang.core.periodic``."""

    name = "yiwang.core.uploads"
    label = "uploads"
    verbose_name = _("Uploads 上传")
