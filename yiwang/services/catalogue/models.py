"""Tables of the service catalogue (服务事项目录): items, situations, materials, licence types, guidance.

No business rules here beyond field validation: every change goes through ``actions.py`` (or the
batch import in ``importing.py``). Read paths and statistics are in ``queries.py``.

Vocabulary (BRIEF §3): an **item** (事项) of a type, owned by a department, has **situations** (情形),
variants that change what is required; each situation lists its **materials** (材料), time limits in
working days, fees in fen, channels, whether it is done on the spot (即办) and the maximum number of
visits. A **guidance question** (引导问题) with **options** leads an applicant to exactly one situation.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The item code: <6-digit administrative division>-<6-digit department and item number>-
# <2-digit sub-item>-<3 characters: variant, digits or capital letters>, e.g. 310106-000201-01-00X.
ITEM_CODE_PATTERN = r"^\d{6}-\d{6}-\d{2}-[0-9A-Z]{3}$"
item_code_validator = RegexValidator(
    ITEM_CODE_PATTERN,
    _("An item code looks like 310106-000201-01-00X: 6 digits, 6 digits, 2 digits, 3 digits or capitals."),
)
# situation, question and option codes, and licence type codes: short slugs
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
slug_validator = RegexValidator(
    SLUG_PATTERN, _("Use up to 40 letters, digits, '.', '_' or '-', starting with a letter or digit.")
)


class ItemType(models.TextChoices):
    """Kinds of government service item (事项类型)."""

    LICENCE = "licence", _("Administrative licence 行政许可")
    PAYMENT = "payment", _("Administrative payment 行政给付")
    CONFIRMATION = "confirmation", _("Administrative confirmation 行政确认")
    RULING = "ruling", _("Administrative ruling 行政裁决")
    REWARD = "reward", _("Administrative reward 行政奖励")
    COLLECTION = "collection", _("Administrative collection 行政征收")
    PUBLIC_SERVICE = "public_service", _("Public service 公共服务")
    OTHER = "other", _("Other administrative power 其他行政权力")


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", _("Provided by the applicant 申请人提供")
    LICENCE = "licence", _("Issued by the government 政府部门核发")


class LicenceType(models.Model):
    """A kind of document the government issues (证照类型), e.g. a business licence.

    Materials of source "licence" name one; the e-licence library matches licences by ``code``.
    ``electronic``: the licence is in the e-licence library, so the material need not be submitted.
    """

    code = models.CharField(_("code 编码"), max_length=40, unique=True, validators=[slug_validator])
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    issuing_department = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("issuing department 发证部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    electronic = models.BooleanField(
        _("electronic licence 电子证照"),
        default=True,
        help_text=_("In the e-licence library: applicants need not submit it (免于提交)."),
    )

    class Meta:
        verbose_name = _("licence type 证照类型")
        verbose_name_plural = _("licence types 证照类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """A government service item (政务服务事项)."""

    code = models.CharField(_("item code 事项编码"), max_length=20, unique=True, validators=[item_code_validator])
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    type = models.CharField(_("type 事项类型"), max_length=20, choices=ItemType.choices, db_index=True)
    department = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("department 实施部门"), on_delete=models.PROTECT, related_name="+"
    )
    for_persons = models.BooleanField(_("for persons 面向自然人"), default=True)
    for_companies = models.BooleanField(_("for companies 面向法人"), default=False)
    description = models.TextField(_("description 说明"), blank=True)
    active = models.BooleanField(_("active 在用"), default=True)

    class Meta:
        verbose_name = _("service item 服务事项")
        verbose_name_plural = _("service items 服务事项")
        ordering = ["code"]
        indexes = [models.Index(fields=["department", "type"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(for_persons=True) | models.Q(for_companies=True), name="item_has_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Situation(models.Model):
    """A variant of an item (办理情形) with its own materials, time limits, fees and channels."""

    item = models.ForeignKey(Item, verbose_name=_("item 事项"), on_delete=models.CASCADE, related_name="situations")
    code = models.CharField(_("code 编码"), max_length=40, validators=[slug_validator])
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position 顺序"), default=0)
    statutory_days = models.PositiveSmallIntegerField(_("statutory time limit (working days) 法定时限（工作日）"))
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days) 承诺时限（工作日）"))
    fee_fen = models.PositiveIntegerField(_("fee (fen) 收费（分）"), default=0)
    online = models.BooleanField(_("online 网上办理"), default=True)
    window = models.BooleanField(_("at a window 窗口办理"), default=True)
    kiosk = models.BooleanField(_("at a kiosk 自助终端办理"), default=False)
    on_the_spot = models.BooleanField(_("done on the spot 即办"), default=False)
    max_visits = models.PositiveSmallIntegerField(_("maximum visits 最多跑动次数"), default=1)

    class Meta:
        verbose_name = _("situation 办理情形")
        verbose_name_plural = _("situations 办理情形")
        ordering = ["item_id", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="situation_item_code"),
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")), name="situation_promise_in_law"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}/{self.code} {self.name}"

    @property
    def no_material_needed(self) -> bool:
        """Derived, never stored: the situation lists no material (零材料)."""
        cached = getattr(self, "material_count", None)  # set by queries.with_material_counts
        if cached is not None:
            return cached == 0
        return not self.materials.exists()

    @property
    def channels(self) -> list[str]:
        return [name for name in ("online", "window", "kiosk") if getattr(self, name)]


class Material(models.Model):
    """A material (申请材料) a situation needs: from the applicant, or a licence the government issued."""

    situation = models.ForeignKey(
        Situation, verbose_name=_("situation 办理情形"), on_delete=models.CASCADE, related_name="materials"
    )
    position = models.PositiveSmallIntegerField(_("position 顺序"), default=0)
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    required = models.BooleanField(_("required 必需"), default=True)
    source = models.CharField(
        _("source 来源"), max_length=12, choices=MaterialSource.choices, default=MaterialSource.APPLICANT
    )
    # the licence type's code is the stored value (material.licence_type_id == "BIZ_LICENCE")
    licence_type = models.ForeignKey(
        LicenceType,
        verbose_name=_("licence type 证照类型"),
        to_field="code",
        db_column="licence_type_code",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
    )

    class Meta:
        verbose_name = _("material 申请材料")
        verbose_name_plural = _("materials 申请材料")
        ordering = ["situation_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source="licence", licence_type__isnull=False)
                    | models.Q(source="applicant", licence_type__isnull=True)
                ),
                name="material_licence_iff_source",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def licence_type_code(self) -> str:
        return self.licence_type_id or ""


class Question(models.Model):
    """A guidance question of an item (引导问题); asked in ``position`` order while it still narrows."""

    item = models.ForeignKey(Item, verbose_name=_("item 事项"), on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code 编码"), max_length=40, validators=[slug_validator])
    position = models.PositiveSmallIntegerField(_("position 顺序"), default=0)
    text = models.CharField(_("question 问题"), max_length=300)
    text_en = models.CharField(_("English question 英文问题"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("guidance question 引导问题")
        verbose_name_plural = _("guidance questions 引导问题")
        ordering = ["item_id", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="question_item_code")]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    """An answer to a guidance question; choosing it keeps only its ``situations``."""

    question = models.ForeignKey(
        Question, verbose_name=_("question 问题"), on_delete=models.CASCADE, related_name="options"
    )
    code = models.CharField(_("code 编码"), max_length=40, validators=[slug_validator])
    position = models.PositiveSmallIntegerField(_("position 顺序"), default=0)
    label = models.CharField(_("answer 选项"), max_length=300)
    label_en = models.CharField(_("English answer 英文选项"), max_length=300, blank=True)
    situations = models.ManyToManyField(
        Situation, verbose_name=_("situations 对应情形"), related_name="options", blank=True
    )

    class Meta:
        verbose_name = _("answer option 选项")
        verbose_name_plural = _("answer options 选项")
        ordering = ["question_id", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_question_code")]

    def __str__(self) -> str:
        return self.label
