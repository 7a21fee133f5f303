"""The demo's two-level category tree (案件类别) under the four pillars, as data: :data:`TREE`.

Each second-level :class:`Spec` carries its departments, deadlines, priority, extra questions and
``share`` — its relative frequency among real reports (a few very common ones — garbage, illegal parking,
noise — and a long tail), which the demo's history generator uses. Seeded by
:func:`yiwang.operations.seed_categories.seed_categories`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Pillar, Priority

PS, CM, MK, LV = Pillar.PUBLIC_SAFETY, Pillar.CONSTRUCTION, Pillar.MARKET, Pillar.LIVELIHOOD


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    name_en: str
    keywords: str = ""
    departments: tuple[str, ...] = ()
    dispatch_hours: int = 2
    handle_days: int = 5
    calendar_hours: int = 0  # > 0: an emergency category counted in calendar hours
    priority: int = Priority.NORMAL
    public: bool = False
    radius_m: int = 50
    questions: list = field(default_factory=list)
    share: float = 1.0


def _q(code: str, description: str, values: list | None = None, *, required: bool = False) -> dict:
    if values:
        return {"code": code, "datatype": "singlevaluelist", "required": required, "description": description,
                "values": values}  # fmt: skip
    return {"code": code, "datatype": "string", "required": required, "description": description}


VOLUME = _q("volume", "量 Amount", ["small", "medium", "large"])
PLATE = _q("plate", "车牌号 Plate number")
DEPTH = _q("depth_cm", "积水深度 Water depth (cm)", ["<10", "10-30", ">30"], required=True)

# (code, name, English name, pillar, [children])
TREE: tuple[tuple[str, str, str, str, tuple[Spec, ...]], ...] = (
    (
        "CM-ENV",
        "市容环境",
        "City appearance",
        CM,
        (
            Spec(
                "CM-ENV-GARBAGE",
                "暴露垃圾",
                "Exposed garbage",
                "垃圾 rubbish litter ljdl",
                ("LHSR",),
                2,
                1,
                public=True,
                questions=[VOLUME],
                share=14,
            ),
            Spec(
                "CM-ENV-BINS", "垃圾分类违规", "Waste sorting violation", "垃圾分类 recycling", ("LHSR",), 4, 3, share=4
            ),
            Spec(
                "CM-ENV-GRAFFITI",
                "乱张贴乱涂写",
                "Posters and graffiti",
                "小广告 graffiti poster",
                ("CGZF",),
                4,
                3,
                public=True,
                share=5,
            ),
            Spec("CM-ENV-LAUNDRY", "沿街晾晒", "Laundry on the street", "晾晒 laundry", ("CGZF",), 4, 3, share=2),
            Spec(
                "CM-ENV-STALL",
                "占道经营",
                "Street stall blocking the road",
                "摊贩 stall vendor",
                ("CGZF",),
                2,
                2,
                public=True,
                share=8,
            ),
        ),
    ),
    (
        "CM-ROAD",
        "道路设施",
        "Roads and street furniture",
        CM,
        (
            Spec(
                "CM-ROAD-POTHOLE",
                "道路破损",
                "Pothole or damaged road",
                "坑 pothole road",
                ("JGW",),
                4,
                5,
                public=True,
                radius_m=30,
                share=5,
            ),
            Spec(
                "CM-ROAD-MANHOLE",
                "井盖缺损",
                "Missing or broken manhole cover",
                "井盖 manhole",
                ("SWU",),
                1,
                1,
                priority=Priority.HIGH,
                public=True,
                radius_m=20,
                share=2,
            ),
            Spec(
                "CM-ROAD-LIGHT",
                "路灯不亮",
                "Street light out",
                "路灯 street light lamp",
                ("JGW",),
                4,
                3,
                public=True,
                share=3,
            ),
            Spec("CM-ROAD-SIGN", "交通标志损坏", "Damaged traffic sign", "标志 sign", ("JTW",), 4, 5, share=1),
        ),
    ),
    (
        "CM-BUILD",
        "建设管理",
        "Building and construction",
        CM,
        (
            Spec(
                "CM-BUILD-ILLEGAL",
                "违法搭建",
                "Illegal construction",
                "违建 illegal building wj",
                ("CGZF", "GHZY"),
                4,
                10,
                share=3,
            ),
            Spec(
                "CM-BUILD-SITE", "工地扬尘", "Construction site dust", "扬尘 dust site", ("JGW", "STHJ"), 2, 3, share=2
            ),
            Spec(
                "CM-BUILD-NOISE",
                "夜间施工噪声",
                "Construction noise at night",
                "噪声 noise night",
                ("JGW",),
                1,
                1,
                share=4,
            ),
        ),
    ),
    (
        "CM-GREEN",
        "绿化水务",
        "Greenery and water",
        CM,
        (
            Spec("CM-GREEN-TREE", "树木倒伏", "Fallen tree", "树 tree fallen", ("LHSR",), 1, 2, share=1),
            Spec("CM-GREEN-DRAIN", "排水不畅", "Blocked drain", "下水道 drain sewer", ("SWU",), 2, 3, share=3),
            Spec(
                "CM-GREEN-FLOOD",
                "道路积水",
                "Road flooding",
                "积水 flooding water",
                ("SWU",),
                1,
                0,
                4,
                priority=Priority.URGENT,
                public=True,
                radius_m=100,
                questions=[DEPTH],
                share=1,
            ),
        ),
    ),
    (
        "PS-TRAFFIC",
        "交通秩序",
        "Traffic order",
        PS,
        (
            Spec(
                "PS-TRAFFIC-PARKING",
                "违法停车",
                "Illegal parking",
                "停车 parking car tc",
                ("GA", "JTW"),
                1,
                1,
                public=True,
                questions=[PLATE],
                share=12,
            ),
            Spec(
                "PS-TRAFFIC-BIKES",
                "共享单车乱停放",
                "Shared bikes piled up",
                "单车 bike",
                ("JTW",),
                2,
                1,
                public=True,
                share=5,
            ),
        ),
    ),
    (
        "PS-SAFETY",
        "安全隐患",
        "Safety hazards",
        PS,
        (
            Spec(
                "PS-SAFETY-FIRE",
                "消防通道堵塞",
                "Blocked fire lane",
                "消防 fire lane",
                ("XFJY",),
                1,
                1,
                priority=Priority.HIGH,
                share=2,
            ),
            Spec(
                "PS-SAFETY-GAS",
                "燃气隐患",
                "Gas hazard",
                "燃气 gas leak",
                ("YJGL",),
                1,
                0,
                2,
                priority=Priority.URGENT,
                share=0.5,
            ),
            Spec(
                "PS-SAFETY-EBIKE",
                "电动车违规充电",
                "E-bike charged indoors",
                "电瓶车 充电 ebike",
                ("XFJY",),
                2,
                2,
                share=2,
            ),
            Spec(
                "PS-SAFETY-STRUCT",
                "房屋安全隐患",
                "Unsafe building",
                "危房 unsafe house",
                ("FG", "YJGL"),
                1,
                2,
                priority=Priority.HIGH,
                share=0.5,
            ),
        ),
    ),
    (
        "MK-ORDER",
        "市场秩序",
        "Market order",
        MK,
        (
            Spec(
                "MK-ORDER-UNLICENSED", "无证经营", "Unlicensed business", "无照 unlicensed", ("SCJG",), 4, 10, share=2
            ),
            Spec("MK-ORDER-FOOD", "食品安全", "Food safety", "食品 food hygiene", ("SCJG",), 2, 5, share=2),
            Spec("MK-ORDER-PRICE", "价格欺诈", "Price fraud", "价格 price", ("SCJG",), 4, 10, share=1),
            Spec("MK-ORDER-GROUPRENT", "群租", "Group rental", "群租 group rental qz", ("FG",), 4, 10, share=2),
        ),
    ),
    (
        "LV-NEIGH",
        "社区生活",
        "Neighbourhood life",
        LV,
        (
            Spec("LV-NEIGH-NOISE", "社会生活噪声", "Neighbourhood noise", "噪音 noise", ("GA", "STHJ"), 1, 2, share=7),
            Spec("LV-NEIGH-PROPERTY", "物业服务", "Property management", "物业 property wy", ("FG",), 4, 5, share=5),
            Spec(
                "LV-NEIGH-LIFT",
                "电梯故障",
                "Lift out of order",
                "电梯 lift elevator",
                ("FG", "SCJG"),
                2,
                2,
                priority=Priority.HIGH,
                share=2,
            ),
            Spec("LV-NEIGH-PETS", "宠物扰民", "Pets disturbing", "宠物 狗 dog pet", ("GA",), 4, 5, share=1),
            Spec("LV-NEIGH-WATER", "停水停电", "Water or power cut", "停水 停电 outage", ("SWU",), 1, 1, share=2),
        ),
    ),
    (
        "LV-CARE",
        "民生服务",
        "Welfare and care",
        LV,
        (
            Spec(
                "LV-CARE-ELDER",
                "独居老人关爱",
                "Elderly living alone",
                "老人 elderly",
                ("MZ",),
                1,
                1,
                priority=Priority.HIGH,
                share=1,
            ),
            Spec("LV-CARE-HEALTH", "医疗卫生", "Health services", "医疗 health", ("WJW",), 4, 5, share=1),
            Spec("LV-CARE-JOBS", "就业社保", "Jobs and social security", "社保 job", ("RS",), 4, 10, share=0.5),
        ),
    ),
)
