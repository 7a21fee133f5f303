from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "yiwang.reviews"
    label = "reviews"
    verbose_name = _("Good/bad reviews 好差评")

    def ready(self):
        from . import deadlines

        deadlines.connect()
