"""The states and channels of an application (办件), as choices (no tables here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("draft 草稿")
    SUBMITTED = "submitted", _("submitted 已提交")
    ACCEPTED = "accepted", _("accepted 已受理")
    NOT_ACCEPTED = "not_accepted", _("not accepted 不予受理")
    CORRECTION_REQUESTED = "correction_requested", _("correction requested 补正中")
    UNDER_REVIEW = "under_review", _("under review 审查中")
    APPROVED = "approved", _("approved 准予许可")
    DENIED = "denied", _("denied 不予许可")
    DELIVERED = "delivered", _("delivered 办结")
    WITHDRAWN = "withdrawn", _("withdrawn 已撤回")


class ApplyChannel(models.TextChoices):
    """Where the application was made: one backend for all three."""

    ONLINE = "online", _("online portal 网上办")
    WINDOW = "window", _("service window 窗口办")
    KIOSK = "kiosk", _("self-service kiosk 自助办")
