from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "yiwang.services.licences"
    label = "licences"
    verbose_name = _("Electronic licences 电子证照")
    default_auto_field = "django.db.models.BigAutoField"
