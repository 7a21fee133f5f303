"""Tables of the territory context: versioned units of the four-level grid, points of interest.

Geometries are plain GeoJSON text in WGS-84 (no PostGIS); Shapely works on them in process.
Nobody writes these tables directly: ``yiwang.territory.actions`` is the write path.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    DISTRICT = 1, _("district 区")
    SUBDISTRICT = 2, _("subdistrict / town 街镇")
    GRID = 3, _("responsibility grid 责任网格")
    LEVEL4 = 4, _("level-4 unit 四级单元")


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("district 区")
    SUBDISTRICT = "subdistrict", _("subdistrict 街道")
    TOWN = "town", _("town 镇")
    GRID = "grid", _("grid 网格")
    RESIDENTIAL = "residential", _("residential area 居民区")
    PARK = "park", _("industrial / office park 园区")
    METRO_STATION = "metro_station", _("metro station 地铁站")


# which kinds may stand at which level
KINDS_BY_LEVEL = {
    1: {UnitKind.DISTRICT},
    2: {UnitKind.SUBDISTRICT, UnitKind.TOWN},
    3: {UnitKind.GRID},
    4: {UnitKind.RESIDENTIAL, UnitKind.PARK, UnitKind.METRO_STATION},
}


class Unit(models.Model):
    """One version of a territory unit, in force from ``valid_from`` (inclusive) to ``valid_to`` (exclusive).

    An import that changes a unit closes its current row and opens a new one, so that whatever was
    placed in the old version keeps pointing at the row that was in force then. The parent is kept by
    code (``parent_code``), not by row, so that a new version of a parent does not touch its children.
    """

    code = models.CharField(_("code 编码"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level 层级"), choices=Level.choices)
    kind = models.CharField(_("kind 类型"), max_length=32, choices=UnitKind.choices)
    name = models.CharField(_("name 名称"), max_length=200)
    name_en = models.CharField(_("English name 英文名"), max_length=200, blank=True)
    parent_code = models.CharField(_("parent unit 上级单元"), max_length=64, blank=True, db_index=True)
    org_unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("responsible organisation 责任机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="territory_units",
    )
    population = models.PositiveIntegerField(_("population 人口"), null=True, blank=True)
    # GeoJSON geometry (Polygon or MultiPolygon), WGS-84 longitude/latitude
    geometry = models.TextField(_("geometry 边界"))
    area_m2 = models.FloatField(_("area (m²) 面积（平方米）"), default=0)
    # sha256 of the unit's content: an import leaves a unit whose hash did not change untouched
    content_hash = models.CharField(max_length=64, editable=False)
    valid_from = models.DateField(_("valid from 生效日期"))
    valid_to = models.DateField(_("valid to 失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at 创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("territory unit 网格单元")
        verbose_name_plural = _("territory units 网格单元")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True), name="unit_one_current"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="unit_level_1_4"),
        ]
        indexes = [
            models.Index(fields=["code", "valid_from"], name="unit_code_from"),
            models.Index(fields=["level", "valid_to"], name="unit_level_to"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class PoiKind(models.TextChoices):
    CAMERA = "camera", _("CCTV camera 视频监控")
    SHELTER = "shelter", _("shelter 避难场所")
    MATERIAL_DEPOT = "material_depot", _("material depot 物资储备点")
    SCHOOL = "school", _("school 学校")
    RESIDENTIAL_BUILDING = "residential_building", _("residential building 居民楼")
    SHOP = "shop", _("shop 商铺")
    SENSOR_SITE = "sensor_site", _("sensor site 传感器点位")
    HOSPITAL = "hospital", _("hospital 医院")
    PUMPING_STATION = "pumping_station", _("pumping station 泵站")
    SERVICE_POINT = "service_point", _("service point 服务点")
    OTHER = "other", _("other 其他")


class PointOfInterest(models.Model):
    """A point on the map (camera, shelter, depot, …) with the units it lies in (resolved on import)."""

    code = models.CharField(_("code 编码"), max_length=64, unique=True)
    kind = models.CharField(_("kind 类型"), max_length=32, choices=PoiKind.choices, db_index=True)
    name = models.CharField(_("name 名称"), max_length=200, blank=True)
    lon = models.FloatField(_("longitude 经度"))
    lat = models.FloatField(_("latitude 纬度"))
    stream_url = models.CharField(_("stream URL 视频流地址"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("capacity 容量"), null=True, blank=True)
    properties = models.JSONField(_("properties 属性"), default=dict, blank=True)
    # the unit given in the import file, if any (a level-4 unit or a grid)
    unit_code = models.CharField(_("unit 所属单元"), max_length=64, blank=True)
    district_code = models.CharField(_("district 区"), max_length=64, blank=True)
    subdistrict_code = models.CharField(_("subdistrict 街镇"), max_length=64, blank=True, db_index=True)
    grid_code = models.CharField(_("grid 网格"), max_length=64, blank=True, db_index=True)
    level4_codes = models.JSONField(_("level-4 units 四级单元"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at 更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("point of interest 兴趣点")
        verbose_name_plural = _("points of interest 兴趣点")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TerritoryRevision(models.Model):
    """One row: counters bumped by every import, read (cheaply) by every process to refresh its indexes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    units = models.PositiveIntegerField(default=0)
    pois = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("territory revision 区域版本")
        verbose_name_plural = _("territory revisions 区域版本")

    def __str__(self) -> str:
        return f"units r{self.units}, pois r{self.pois}"


class PlacementFields(models.Model):
    """Abstract model for other contexts (cases, devices) that store where something was placed.

    Fill it with ``placement.as_fields()``: the codes, the unit row ids of the version in force, and the
    responsible org unit ids per level, as they were at the time of placing.
    """

    outside_territory = models.BooleanField(_("outside the district 区外"), default=False)
    district_code = models.CharField(_("district 区"), max_length=64, blank=True)
    subdistrict_code = models.CharField(_("subdistrict 街镇"), max_length=64, blank=True, db_index=True)
    grid_code = models.CharField(_("grid 网格"), max_length=64, blank=True, db_index=True)
    level4_codes = models.JSONField(_("level-4 units 四级单元"), default=list, blank=True)
    district_unit_id = models.BigIntegerField(null=True, blank=True)
    subdistrict_unit_id = models.BigIntegerField(null=True, blank=True)
    grid_unit_id = models.BigIntegerField(null=True, blank=True)
    level4_unit_ids = models.JSONField(default=list, blank=True)
    district_org_unit_id = models.BigIntegerField(null=True, blank=True)
    subdistrict_org_unit_id = models.BigIntegerField(null=True, blank=True)
    grid_org_unit_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True
