"""The case: one problem in the district, from report to evaluation.

The current status, assignment, place and deadline are denormalised onto the row for fast lists; their
full histories are the append-only tables in ``history.py``, written by the same action.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .categories import Priority


class CaseChannel(models.TextChoices):
    HOTLINE = "hotline", _("12345 hotline 12345热线")
    GRID_PATROL = "grid_patrol", _("Grid patrol 网格巡查")
    PHOTO_REPORT = "photo_report", _("Resident photo report 随身拍")
    IOT = "iot", _("IoT sensor 物联感知")
    JOINT_DUTY = "joint_duty", _("Joint duty 联勤联动")
    EMERGENCY_DUTY = "emergency_duty", _("Emergency duty 应急值守")
    LEADER_INSTRUCTION = "leader_instruction", _("Leader instruction 领导批示")
    OPEN311 = "open311", _("Open311 clients 第三方应用")


class Discovery(models.TextChoices):
    INTELLIGENT = "intelligent", _("Intelligent discovery 智能发现")
    ACTIVE = "active", _("Active discovery 主动发现")
    PASSIVE = "passive", _("Passive discovery 被动发现")


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Reported 已上报")
    ACCEPTED = "accepted", _("Accepted 已受理")
    REJECTED = "rejected", _("Rejected (not a case) 不予立案")
    REGISTERED = "registered", _("Registered 已立案")
    DISPATCHED = "dispatched", _("Dispatched 已派遣")
    RETURNED = "returned", _("Returned 已退单")
    HANDLING = "handling", _("In handling 处置中")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested 延期申请中")
    SUSPENDED = "suspended", _("Suspended 已挂起")
    HANDLED = "handled", _("Handled 已处置")
    VERIFIED = "verified", _("Verified 已核查")
    CLOSED = "closed", _("Closed 已结案")
    EVALUATED = "evaluated", _("Evaluated 已评价")
    MERGED = "merged", _("Merged into another case 已合并")
    SPLIT = "split", _("Split into child cases 已拆分")


class ClockKind(models.TextChoices):
    DISPATCH = "dispatch", _("Dispatch deadline 派遣时限")
    HANDLE = "handle", _("Handling deadline 处置时限")


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("Not escalated 未升级")
    GRID = 1, _("Grid 网格")
    SUBDISTRICT = 2, _("Subdistrict 街镇")
    DISTRICT = 3, _("District 区")


# the statuses of open cases, sorted (the same literal list in the partial indexes and in the queries)
OPEN_STATUSES = tuple(
    sorted(
        s.value
        for s in CaseStatus
        if s not in (CaseStatus.REJECTED, CaseStatus.CLOSED, CaseStatus.EVALUATED, CaseStatus.MERGED)
    )
)
OPEN_CONDITION = models.Q(status__in=OPEN_STATUSES)
# deadline order, then what the list filters on besides, so the indexes cover the list's queries
OPEN_KEY = ("due_at", "id", "status", "overdue")


class Case(models.Model):
    code = models.CharField(_("case code 案件编号"), max_length=32, unique=True, null=True, blank=True)
    version = models.PositiveIntegerField(_("version 版本"), default=1)
    channel = models.CharField(_("channel 来源渠道"), max_length=32, choices=CaseChannel.choices)
    discovery = models.CharField(_("discovery mode 发现方式"), max_length=16, choices=Discovery.choices)
    category = models.ForeignKey(
        "operations.Category",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("category 类别"),
        db_index=False,  # see Meta.indexes
    )
    priority = models.PositiveSmallIntegerField(_("priority 优先级"), choices=Priority.choices)
    description = models.TextField(_("description 描述"))
    answers = models.JSONField(_("answers to the category's questions 补充信息"), default=dict, blank=True)
    external_ref = models.CharField(_("external reference 外部编号"), max_length=100, blank=True, db_index=True)
    public = models.BooleanField(_("public 公开"), default=False)

    # reporter: a user, or a caller's name/phone, or anonymous
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("reporter 报告人"),
        db_index=False,  # see Meta.indexes
    )
    reporter_name = models.CharField(_("reporter name 报告人姓名"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter phone 报告人电话"), max_length=32, blank=True)
    reporter_anonymous = models.BooleanField(_("anonymous 匿名"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_cases",
        verbose_name=_("recorded by 登记人"),
        db_index=False,  # see Meta.indexes
    )

    # current place (history: CasePlace), stored in WGS-84
    lon = models.FloatField(_("longitude 经度"))
    lat = models.FloatField(_("latitude 纬度"))
    address = models.CharField(_("address 地址"), max_length=300, blank=True)
    district_code = models.CharField(_("district 区"), max_length=64, blank=True)
    subdistrict_code = models.CharField(_("subdistrict 街镇"), max_length=64, blank=True)
    grid_code = models.CharField(_("grid 网格"), max_length=64, blank=True)
    outside = models.BooleanField(_("outside the district 辖区外"), default=False)

    # current status (history: CaseStatusChange)
    status = models.CharField(_("status 状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    status_before_suspension = models.CharField(max_length=24, blank=True)

    # current assignment (history: CaseAssignment)
    department = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department 责任部门"),
        db_index=False,  # see Meta.indexes
    )
    team = models.ForeignKey(
        "core.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling team 处置队伍"),
        db_index=False,  # see Meta.indexes
    )

    # current deadline (the running clock)
    clock_kind = models.CharField(_("running clock 计时"), max_length=16, choices=ClockKind.choices, blank=True)
    due_at = models.DateTimeField(_("due at 截止时间"), null=True, blank=True)
    warned = models.BooleanField(_("deadline warning sent 已预警"), default=False)
    overdue = models.BooleanField(_("overdue 超期"), default=False)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level 升级层级"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    escalated_at = models.DateTimeField(null=True, blank=True)

    # relations between cases
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent 主案件"),
        db_index=False,  # see Meta.indexes
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        verbose_name=_("merged into 并入"),
        db_index=False,  # see Meta.indexes
    )
    suspected_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("possible duplicate 疑似重复"),
        db_index=False,  # see Meta.indexes
    )

    created_at = models.DateTimeField(_("reported at 上报时间"))
    updated_at = models.DateTimeField(_("updated at 更新时间"))
    registered_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at 结案时间"), null=True, blank=True)
    evaluation = models.JSONField(_("evaluation 评价"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case 案件")
        verbose_name_plural = _("cases 案件")
        indexes = [
            # the dispatcher's list: filter on status (+ one more column), order by deadline
            models.Index(fields=["status", "due_at", "id"], name="case_status_due"),
            models.Index(fields=["category", "status", "due_at"], name="case_cat_status_due"),
            models.Index(fields=["subdistrict_code", "status", "due_at"], name="case_sub_status_due"),
            models.Index(fields=["grid_code", "status", "due_at"], name="case_grid_status_due"),
            models.Index(fields=["district_code", "status", "due_at"], name="case_dist_status_due"),
            models.Index(fields=["department", "status", "due_at"], name="case_dept_status_due"),
            models.Index(fields=["team", "status", "due_at"], name="case_team_status_due"),
            models.Index(fields=["overdue", "status", "due_at"], name="case_overdue_status_due"),
            # the open cases only (a fifth of the table or less), in deadline order: the default queue
            # ("all open", any status) pages through an index instead of sorting; subdistrict and category
            # are equality prefixes, overdue is read from the index. ``queries.filter_cases``
            # repeats the condition in every query that asks for open statuses, so SQLite can use them.
            models.Index(fields=[*OPEN_KEY], name="case_open_due", condition=OPEN_CONDITION),
            models.Index(fields=["category", *OPEN_KEY], name="case_open_cat_due", condition=OPEN_CONDITION),
            models.Index(fields=["subdistrict_code", *OPEN_KEY], name="case_open_sub_due", condition=OPEN_CONDITION),
            models.Index(
                fields=["subdistrict_code", "category", *OPEN_KEY],
                name="case_open_sub_cat_due",
                condition=OPEN_CONDITION,
            ),
            # references that are mostly empty: only the rows that have one are indexed
            models.Index(fields=["created_by"], name="case_created_by", condition=models.Q(created_by__isnull=False)),
            models.Index(fields=["parent"], name="case_parent", condition=models.Q(parent__isnull=False)),
            models.Index(
                fields=["merged_into"], name="case_merged_into", condition=models.Q(merged_into__isnull=False)
            ),
            models.Index(
                fields=["suspected_duplicate_of"],
                name="case_suspected_dup",
                condition=models.Q(suspected_duplicate_of__isnull=False),
            ),
            # statistics and duplicates
            models.Index(fields=["channel", "status"], name="case_channel_status"),
            models.Index(fields=["category", "created_at"], name="case_cat_created"),
            # duplicate search: one range scan over a latitude band of the category, longitude in the index
            models.Index(fields=["category", "lat", "lon"], name="case_cat_lat_lon"),
            models.Index(fields=["created_at"], name="case_created"),
            models.Index(fields=["reporter", "created_at"], name="case_reporter_created"),
        ]

    def __str__(self) -> str:
        return self.code or f"case #{self.pk}"

    @property
    def is_open(self) -> bool:
        from yiwang.operations.workflow import OPEN_STATES

        return self.status in OPEN_STATES


class CaseArea(models.Model):
    """The territory units (every level, level-4 included) a case's current place lies in: filter by any unit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="areas", db_index=False)  # unique key
    level = models.PositiveSmallIntegerField(_("level 层级"))
    unit_code = models.CharField(_("unit 单元"), max_length=64)

    class Meta:
        verbose_name = _("case area 案件所在单元")
        verbose_name_plural = _("case areas 案件所在单元")
        indexes = [models.Index(fields=["unit_code", "case"], name="casearea_unit_case")]
        constraints = [models.UniqueConstraint(fields=["case", "unit_code"], name="casearea_case_unit")]

    def __str__(self) -> str:
        return f"{self.case_id}@{self.unit_code}"
