"""Devices, their observations, hourly/daily rollups and the dead letters of ingestion."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.territory.models import PlacementFields


class DeviceType(models.Model):
    code = models.SlugField(_("code 编码"), max_length=64, unique=True)
    name = models.CharField(_("name 名称"), max_length=200)
    unit = models.CharField(
        _("unit of measure 计量单位"), max_length=32, help_text=_("e.g. m, m³, mm, ° 例如 m、m³、mm、°")
    )
    interval_seconds = models.PositiveIntegerField(_("expected reporting interval (s) 预期上报间隔（秒）"), default=300)

    class Meta:
        verbose_name = _("device type 设备类型")
        verbose_name_plural = _("device types 设备类型")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} ({self.unit})"


class DeviceStatus(models.TextChoices):
    ACTIVE = "active", _("active 在线")
    OFFLINE = "offline", _("offline 离线")
    RETIRED = "retired", _("retired 已停用")


class Device(PlacementFields):
    code = models.CharField(
        _("device code 设备编码"),
        max_length=64,
        unique=True,
        help_text=_("letters, digits, '-' and '_'; also the MQTT user name 字母、数字、-、_；也是 MQTT 用户名"),
    )
    type = models.ForeignKey(DeviceType, on_delete=models.PROTECT, verbose_name=_("type 类型"))
    name = models.CharField(_("name 名称"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude (WGS-84) 经度"))
    lat = models.FloatField(_("latitude (WGS-84) 纬度"))
    belongs_to = models.CharField(_("household or asset 所属户或设施"), max_length=200, blank=True)
    address = models.CharField(_("address 地址"), max_length=300, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)  # sha256 hex of the device key
    mqtt_password_hash = models.CharField(max_length=200, editable=False)  # mosquitto $7$ PBKDF2-SHA512
    status = models.CharField(
        _("status 状态"), max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.ACTIVE, db_index=True
    )
    last_seen_at = models.DateTimeField(_("last seen 最近上报"), null=True, blank=True)
    created_at = models.DateTimeField(_("created 创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("device 感知设备")
        verbose_name_plural = _("devices 感知设备")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Observation(models.Model):
    """One measured value. UNIQUE(ts, device): the time-first key makes redelivered data a no-op."""

    ts = models.DateTimeField(_("measured at 测量时间"))
    # No database constraint: on PostgreSQL the per-row foreign-key check was ~45 % of the bulk insert's
    # cost (docs/benchmarks.md). Ingestion only writes ids of devices it has just resolved, and devices are
    # decommissioned, not deleted (the admin refuses deletes), so no observation can lose its device.
    device = models.ForeignKey(
        Device, on_delete=models.CASCADE, verbose_name=_("device 设备"), db_index=False, db_constraint=False
    )
    value = models.FloatField(_("value 数值"))
    seq = models.BigIntegerField(_("sequence 序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation 观测值")
        verbose_name_plural = _("observations 观测值")
        constraints = [models.UniqueConstraint(fields=["ts", "device"], name="sensing_obs_ts_device")]

    def __str__(self):
        return f"{self.device_id}@{self.ts:%Y-%m-%dT%H:%M:%S}={self.value}"


class RollupPeriod(models.TextChoices):
    HOUR = "hour", _("hour 小时")
    DAY = "day", _("day 日")


class ObservationRollup(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, verbose_name=_("device 设备"))
    period = models.CharField(_("period 周期"), max_length=8, choices=RollupPeriod.choices)
    start = models.DateTimeField(_("period start 周期开始"))
    count = models.PositiveIntegerField(_("count 数量"))
    min = models.FloatField(_("minimum 最小值"))
    max = models.FloatField(_("maximum 最大值"))
    sum = models.FloatField(_("sum 合计"))
    avg = models.FloatField(_("average 平均值"))

    class Meta:
        verbose_name = _("observation rollup 观测汇总")
        verbose_name_plural = _("observation rollups 观测汇总")
        constraints = [
            models.UniqueConstraint(fields=["device", "period", "start"], name="sensing_rollup_device_period_start")
        ]

    def __str__(self):
        return f"{self.device_id} {self.period} {self.start:%Y-%m-%d %H:%M}"


class DeadLetter(models.Model):
    """A message ingestion could not use: why, and the raw payload (truncated)."""

    received_at = models.DateTimeField(_("received 接收时间"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source 来源"), max_length=8)  # mqtt | http
    topic = models.CharField(_("topic 主题"), max_length=300, blank=True)
    device_code = models.CharField(_("device code 设备编码"), max_length=64, blank=True)
    reason = models.CharField(_("reason 原因"), max_length=300)
    payload = models.TextField(_("payload (truncated) 原始内容（截断）"), blank=True)

    class Meta:
        verbose_name = _("dead letter 无法处理的消息")
        verbose_name_plural = _("dead letters 无法处理的消息")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.source} {self.device_code}: {self.reason}"
