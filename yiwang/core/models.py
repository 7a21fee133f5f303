"""People, organisation units and role assignments (with scope)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Assurance, OrgKind, Role


class OrgUnit(models.Model):
    """An organisation: the operations centre, a subdistrict grid centre, a department, a window, …

    Versioned with effective dates: a reorganisation closes a unit (``valid_to``) and opens its
    successor, so that past records keep pointing at the unit that existed then.
    """

    code = models.CharField(_("code 编码"), max_length=64)
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    kind = models.CharField(_("kind 类型"), max_length=32, choices=OrgKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # the territory unit this org unit is responsible for (subdistrict or grid code), if any
    territory_code = models.CharField(_("territory unit 负责区域"), max_length=64, blank=True, db_index=True)
    valid_from = models.DateField(_("valid from 生效日期"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to 失效日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation unit 组织机构")
        verbose_name_plural = _("organisation units 组织机构")
        constraints = [models.UniqueConstraint(fields=["code", "valid_from"], name="orgunit_code_from")]
        indexes = [models.Index(fields=["kind", "territory_code"])]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on=None) -> bool:
        """Whether the unit exists on ``on`` (today by default); a closed unit grants no scope."""
        day = on or timezone.localdate()
        if self.valid_from and self.valid_from > day:
            return False
        return self.valid_to is None or self.valid_to > day

    def ancestors(self, limit: int = 12):
        """The unit's parents, nearest first (bounded, so a cycle cannot loop forever)."""
        unit, seen = self.parent, 0
        while unit is not None and seen < limit:
            yield unit
            unit, seen = unit.parent, seen + 1


class User(AbstractUser):
    """A person using yiwang: staff or resident. Personal fields are masked for viewers who don't need them."""

    display_name = models.CharField(_("display name 姓名"), max_length=100, blank=True)
    phone = models.CharField(_("phone 手机号"), max_length=32, blank=True)
    # a verified identity number (set only from a verified source: OIDC, ID-card reader) — never typed in
    verified_id_number = models.CharField(_("verified ID number 已核验身份证号"), max_length=18, blank=True)
    id_verified_at = models.DateTimeField(_("ID verified at 核验时间"), null=True, blank=True)
    oidc_subject = models.CharField(_("OIDC subject"), max_length=255, blank=True, db_index=True)
    preferred_language = models.CharField(_("language 语言"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user 用户")
        verbose_name_plural = _("users 用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        """The roles the user *acts* in now (``scope.acting_roles``): none for an inactive user, none
        through a closed org unit. Permission checks ask ``scope.has_role(user, …)``."""
        from .scope import acting_roles

        return acting_roles(self)


class RoleAssignment(models.Model):
    """A user holds a role for an org unit; the org unit gives the scope (subdistrict, grid, department)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role 角色"), max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    active = models.BooleanField(_("active 有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment 角色授权")
        verbose_name_plural = _("role assignments 角色授权")
        constraints = [models.UniqueConstraint(fields=["user", "role", "org_unit"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit or '—'}"


class LoginMethod(models.TextChoices):
    PASSWORD = "password", _("Password 密码")
    OIDC = "oidc", _("Single sign-on 统一身份认证")
    ID_CARD = "id_card", _("ID card reader 身份证读卡器")


class LoginOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Logged in 登录成功")
    FAILED = "failed", _("Wrong username or password 用户名或密码错误")
    LOCKED_OUT = "locked_out", _("Refused: too many failures 失败过多被拒")


class LoginRecord(models.Model):
    """A login attempt: who, when, how, from where, and whether it succeeded.

    Failed attempts name no user (the username may not exist): they keep the username masked and a
    keyed digest of it (``username_key``) to count failures per username. The client address is
    purged after its retention period.
    """

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="login_records")
    at = models.DateTimeField(_("when 时间"), default=timezone.now, db_index=True)
    method = models.CharField(_("method 方式"), max_length=16, choices=LoginMethod.choices)
    assurance = models.CharField(_("assurance 认证等级"), max_length=16, choices=Assurance.choices, blank=True)
    client_ip = models.GenericIPAddressField(_("client address 客户端地址"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome 结果"), max_length=16, choices=LoginOutcome.choices, default=LoginOutcome.SUCCEEDED
    )
    username_masked = models.CharField(_("username (masked) 用户名（脱敏）"), max_length=32, blank=True)
    username_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("login record 登录记录")
        verbose_name_plural = _("login records 登录记录")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username_key", "at"], name="login_username_at"),
            models.Index(fields=["client_ip", "at"], name="login_ip_at"),
        ]

    def __str__(self) -> str:
        who = self.user or self.username_masked
        return f"{who} · {self.at:%Y-%m-%d %H:%M} · {self.method} · {self.outcome}"


class LockoutScope(models.TextChoices):
    USERNAME = "username", _("username 用户名")
    CLIENT_IP = "client_ip", _("client address 客户端地址")


class LoginLockout(models.Model):
    """Password logins refused for one username or one client address until ``until`` (too many failures)."""

    scope = models.CharField(_("scope 范围"), max_length=16, choices=LockoutScope.choices)
    # the username's keyed digest, or the client address
    key = models.CharField(max_length=64)
    label = models.CharField(_("who 对象"), max_length=64, help_text=_("masked 已脱敏"))
    started_at = models.DateTimeField(_("from 开始"), default=timezone.now)
    until = models.DateTimeField(_("until 截止"))
    failures = models.PositiveIntegerField(_("failures 失败次数"))

    class Meta:
        verbose_name = _("login lockout 登录锁定")
        verbose_name_plural = _("login lockouts 登录锁定")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["key", "until"], name="lockout_key_until")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.label} · {self.until:%Y-%m-%d %H:%M}"


__all__ = [
    "Assurance",
    "LockoutScope",
    "LoginLockout",
    "LoginMethod",
    "LoginOutcome",
    "LoginRecord",
    "OrgKind",
    "OrgUnit",
    "Role",
    "RoleAssignment",
    "User",
]
