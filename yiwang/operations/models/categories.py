"""The two-level category tree (grouped under the four pillars 一梁四柱) and its per-category policy."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    PUBLIC_SAFETY = "public_safety", _("Public safety 大平安")
    CONSTRUCTION = "construction", _("Construction and management 大建管")
    MARKET = "market", _("Market 大市场")
    LIVELIHOOD = "livelihood", _("People's livelihood 大民生")


class Priority(models.IntegerChoices):
    URGENT = 1, _("Urgent 特急")
    HIGH = 2, _("High 紧急")
    NORMAL = 3, _("Normal 一般")
    LOW = 4, _("Low 较低")


class DeadlineMode(models.TextChoices):
    WORKING = "working", _("Working time 工作时间")
    CALENDAR = "calendar", _("Calendar hours (emergencies) 自然时间（应急）")


class IntakePolicy(models.TextChoices):
    MANUAL = "manual", _("Manual: a dispatcher accepts and registers 人工受理立案")
    AUTO_REGISTER = "auto_register", _("Auto-register and dispatch by the routing rules 自动立案派遣")


class BadRatingPolicy(models.TextChoices):
    REOPEN = "reopen", _("Reopen the case 重新办理")
    RECTIFY = "rectify", _("Rectify (bad-review rectification) 差评整改")


QUESTION_DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")


def validate_questions(value) -> None:
    """The extra questions of a category: a list of {code, datatype, required, description, values}."""
    if not isinstance(value, list):
        raise ValidationError(_("Questions must be a list."))
    seen = set()
    for i, q in enumerate(value):
        if not isinstance(q, dict) or not q.get("code"):
            raise ValidationError(_("Question %(n)s needs a code.") % {"n": i + 1})
        if q["code"] in seen:
            raise ValidationError(_("Question code %(code)s is used twice.") % {"code": q["code"]})
        seen.add(q["code"])
        if q.get("datatype") not in QUESTION_DATATYPES:
            raise ValidationError(
                _("Question %(code)s: datatype must be one of %(types)s.")
                % {"code": q["code"], "types": ", ".join(QUESTION_DATATYPES)}
            )
        if q["datatype"].endswith("valuelist"):
            values = q.get("values")
            if not isinstance(values, list | dict) or not values:
                raise ValidationError(_("Question %(code)s: a value list needs its values.") % {"code": q["code"]})


class Category(models.Model):
    """A kind of problem. Top-level categories sit under a pillar; their children are what cases use."""

    code = models.CharField(_("code 编码"), max_length=64, unique=True)
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("parent category 上级类别"),
    )
    pillar = models.CharField(_("pillar 四柱"), max_length=32, choices=Pillar.choices)
    departments = models.ManyToManyField(
        "core.OrgUnit",
        blank=True,
        related_name="operations_categories",
        verbose_name=_("responsible departments 责任部门"),
    )
    deadline_mode = models.CharField(
        _("deadline mode 时限计算"), max_length=16, choices=DeadlineMode.choices, default=DeadlineMode.WORKING
    )
    dispatch_within_hours = models.PositiveIntegerField(
        _("dispatch within (hours) 派遣时限（小时）"),
        default=2,
        help_text=_("Working hours, or calendar hours in calendar mode. 工作小时；应急类为自然小时。"),
    )
    handle_within_days = models.PositiveIntegerField(_("handle within (working days) 处置时限（工作日）"), default=5)
    handle_within_hours = models.PositiveIntegerField(
        _("handle within (calendar hours) 处置时限（自然小时）"),
        default=24,
        help_text=_("Used in calendar mode (emergencies). 仅用于应急类（自然时间）。"),
    )
    warning_share = models.DecimalField(
        _("warn at share of the deadline 预警比例"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the setting OPERATIONS['WARNING_SHARE'] (0.75). 留空则用系统默认。"),
    )
    default_priority = models.PositiveSmallIntegerField(
        _("default priority 默认优先级"), choices=Priority.choices, default=Priority.NORMAL
    )
    questions = models.JSONField(
        _("extra questions 补充问题"), default=list, blank=True, validators=[validate_questions]
    )
    public = models.BooleanField(_("reports are public 公开"), default=False)
    bad_rating_policy = models.CharField(
        _("bad rating policy 差评处理"), max_length=16, choices=BadRatingPolicy.choices, default=BadRatingPolicy.REOPEN
    )
    reopen_window_days = models.PositiveIntegerField(
        _("reopen window (days) 可重启天数"), null=True, blank=True, help_text=_("Empty: system default. 留空用默认。")
    )
    duplicate_radius_m = models.PositiveIntegerField(_("duplicate radius (m) 重复半径（米）"), default=50)
    duplicate_window_hours = models.PositiveIntegerField(_("duplicate window (hours) 重复时间窗（小时）"), default=72)
    intake_policy = models.CharField(
        _("intake policy 受理方式"),
        max_length=16,
        choices=IntakePolicy.choices,
        default=IntakePolicy.MANUAL,
        help_text=_(
            "Auto-register: reports through the trusted channels below are accepted, registered and dispatched by "
            "the routing rules at once (as system actions). 可信渠道的上报自动受理、立案并派遣。"
        ),
    )
    auto_register_channels = models.JSONField(
        _("trusted channels 可信渠道"),
        default=list,
        blank=True,
        help_text=_("Channel values (hotline, grid_patrol, iot, open311, …). Empty: every channel. 留空为全部渠道。"),
    )
    keywords = models.TextField(
        _("search keywords 检索词"),
        blank=True,
        help_text=_("Words, pinyin initials and English, separated by spaces or commas. 关键词、拼音首字母、英文。"),
    )
    search_text = models.TextField(editable=False, blank=True, default="")
    active = models.BooleanField(_("active 启用"), default=True)
    position = models.PositiveIntegerField(_("order 排序"), default=0)

    class Meta:
        verbose_name = _("case category 案件类别")
        verbose_name_plural = _("case categories 案件类别")
        ordering = ["pillar", "position", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name

    def save(self, *args, **kwargs):
        if self.parent_id:
            self.pillar = self.parent.pillar
        self.search_text = build_search_text(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Categories have two levels: the parent must be a top-level one.")})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": _("A category with children cannot itself have a parent.")})

    def responsible_departments(self) -> list:
        own = list(self.departments.all())
        if own or not self.parent_id:
            return own
        return list(self.parent.departments.all())


def build_search_text(category: Category) -> str:
    """The normalised terms the hotline's type-ahead searches (name, English name, keywords, code)."""
    from yiwang.operations.catalog import search_terms

    return " ".join(search_terms(category.name, category.name_en, category.keywords, category.code))
