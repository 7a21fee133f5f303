"""The demo district's sensors (``yiwang demo`` step "devices"): flood sensors and water-steward meters.

:func:`demo_plan` is pure (seeded, no database): device types, one device row per sensor in the
``import_devices`` format, the alert rules, and the water-steward enrolments. :func:`seed_devices`
writes them through the actions — device types and rules as one audited batch each,
the devices through :func:`yiwang.sensing.actions.import_devices`.

* water-level gauges (积水水位计) at the district's waterlogging sites (road low points, underpasses),
  depth of water above the road in m, graded thresholds;
* drainage-pipe level sensors (排水管网液位计), fill of the pipe in % (over 100: surcharged);
* manhole-cover tilt sensors (井盖倾角传感器), tilt in °;
* rain gauges (雨量计), one per subdistrict, rain in mm per 5 minutes;
* smart water meters (智能水表) of elderly residents living alone who enrolled in the water steward
  (水管家) with their consent and an emergency contact: hourly use in m³.

Device keys of the demo are derived from the seed (:func:`demo_key`), like the shared demo password,
so that ``yiwang simulate`` can publish as each device. A real installation imports its devices
with ``yiwang sensing import-devices`` and random keys.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from yiwang.core.actions import BatchDigest, action, record_batch
from yiwang.core.actor import Actor

WATER_LEVEL, DRAIN_LEVEL, MANHOLE_TILT, RAIN_GAUGE, WATER_METER = (
    "water-level",
    "drain-level",
    "manhole-tilt",
    "rain-gauge",
    "water-meter",
)

# code, name, unit, expected interval (s)
DEVICE_TYPES = (
    (WATER_LEVEL, "积水水位计 Water-level gauge", "m", 300),
    (DRAIN_LEVEL, "排水管网液位计 Drainage-pipe level sensor", "%", 300),
    (MANHOLE_TILT, "井盖倾角传感器 Manhole-cover tilt sensor", "°", 600),
    (RAIN_GAUGE, "雨量计 Rain gauge", "mm", 300),
    (WATER_METER, "智能水表 Smart water meter", "m³", 3600),
)
CODE_PREFIX = {WATER_LEVEL: "WL", DRAIN_LEVEL: "DP", MANHOLE_TILT: "MH", RAIN_GAUGE: "RG", WATER_METER: "WM"}
SITE_TYPE = {"water_level": WATER_LEVEL, "drain_pipe": DRAIN_LEVEL, "manhole": MANHOLE_TILT}
ENROLLED_HOUSEHOLDS = 36

# water depth over the road (m): 5 cm puddles, 15 cm hinders traffic, 25 cm stalls cars, 40 cm impassable
WATER_LEVELS = {"blue": 0.05, "yellow": 0.15, "orange": 0.25, "red": 0.40}
DRAIN_LEVELS = {"yellow": 80.0, "orange": 95.0, "red": 110.0}
TILT_LEVELS = {"orange": 5.0, "red": 15.0}
FLOOD_DUTY_USER = "opscentre"  # the demo's operations-centre duty officer (城运中心值班员)


@dataclass(frozen=True)
class Enrolment:
    """A resident enrolled in the water steward: consent on file, an emergency contact to call first."""

    household: str
    address: str
    consent_on: date
    contact_relation: str
    contact_phone: str
    meter: str


@dataclass(frozen=True)
class RuleSpec:
    name: str
    kind: str
    condition: str
    params: dict
    category_code: str
    escalation: str
    device_type: str = ""  # a type-wide rule …
    device: str = ""  # … or the rule of one device
    contact_channel: str = "inapp"
    contact_address: str = ""
    contact_user: str = ""
    ack_timeout_minutes: int = 15
    active: bool = True


@dataclass
class DemoPlan:
    seed: int
    rows: list[dict] = field(default_factory=list)  # import_devices rows (keys included)
    rules: list[RuleSpec] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)

    def codes(self, device_type: str) -> list[str]:
        return [r["code"] for r in self.rows if r["type"] == device_type]


def demo_key(seed: int, code: str) -> str:
    """The demo key of device ``code`` in the district of ``seed`` (derived: demo only, like its password)."""
    digest = hashlib.sha256(f"yiwang-demo-device:{seed}:{code}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def _pois(district) -> list:
    if district.pois:
        return district.pois
    from yiwang.demo.pois import build_pois  # the same points the "pois" step imported

    return build_pois(district, np.random.default_rng([district.seed, 1]))


def demo_plan(district) -> DemoPlan:
    """Devices, rules and enrolments of the demo district (pure, seeded)."""
    rng = np.random.default_rng([district.seed, 7])
    plan = DemoPlan(seed=district.seed)
    pois = _pois(district)

    def add(device_type, code, lon, lat, name, address, belongs_to=""):
        plan.rows.append(
            {"code": code, "type": device_type, "lon": round(lon, 7), "lat": round(lat, 7), "name": name,
             "address": address, "belongs_to": belongs_to, "key": demo_key(district.seed, code)}
        )  # fmt: skip

    for poi in pois:
        if poi.kind == "sensor_site" and poi.extra.get("sensor_type") in SITE_TYPE:
            device_type = SITE_TYPE[poi.extra["sensor_type"]]
            number = poi.code.split("-")[1]
            add(device_type, f"{CODE_PREFIX[device_type]}-{number}", poi.lon, poi.lat, poi.name, poi.name, poi.code)
    for n, sub in enumerate(district.level(2), start=1):
        depots = [p for p in pois if p.kind == "material_depot" and p.name.startswith(sub.name)]
        point = (depots[0].lon, depots[0].lat) if depots else _inside(sub.geometry)
        add(RAIN_GAUGE, f"RG-{n:02d}", *point, f"{sub.name}雨量站", f"{sub.name}防汛物资仓库", sub.code)

    buildings = [p for p in pois if p.kind == "residential_building"]
    chosen = sorted(rng.choice(len(buildings), size=min(ENROLLED_HOUSEHOLDS, len(buildings)), replace=False))
    relations = ("女儿 daughter", "儿子 son", "侄女 niece", "邻居 neighbour", "居委会 neighbourhood committee")
    for n, i in enumerate(chosen, start=1):
        building = buildings[int(i)]
        room = f"{int(rng.integers(1, 7))}0{int(rng.integers(1, 5))}室"
        enrolment = Enrolment(
            household=f"WS-{n:04d}",
            address=f"{building.name}{room}",
            consent_on=date(2026, 3, 1) + timedelta(days=int(rng.integers(0, 120))),
            contact_relation=relations[int(rng.integers(0, len(relations)))],
            contact_phone=f"1380013{int(rng.integers(0, 10000)):04d}",
            meter=f"WM-{n:04d}",
        )
        plan.enrolments.append(enrolment)
        add(WATER_METER, enrolment.meter, building.lon, building.lat, f"水管家水表 {enrolment.household}",
            enrolment.address, enrolment.household)  # fmt: skip
    plan.rules = _rules(plan)
    return plan


def _inside(geometry) -> tuple[float, float]:
    point = geometry.representative_point()
    return point.x, point.y


def _steward_presets() -> tuple[dict, ...]:
    """The recommended water-steward rules (``alerts.presets``), or the quiet-hours rule alone."""
    try:
        from .alerts.presets import WATER_STEWARD
    except ImportError:
        WATER_STEWARD = (
            {"name": "No water use, improbable for this resident 用水异常静默", "kind": "quiet_likelihood",
             "condition": "inactivity", "params": {"alpha": 1e-3}, "category_code": "LV-CARE-ELDER",
             "escalation": "notify_first", "ack_timeout_minutes": 60},
        )  # fmt: skip
    return WATER_STEWARD


def _rules(plan: DemoPlan) -> list[RuleSpec]:
    rules = [
        RuleSpec(
            "积水分级预警 Waterlogging (graded)", "threshold", "waterlogging",
            {"levels": {k: v for k, v in WATER_LEVELS.items() if k != "red"}, "hysteresis": 0.02,
             "case_answers": {"depth_cm": {"blue": "<10", "yellow": "10-30", "orange": "10-30"}}},
            "CM-GREEN-FLOOD", "notify_first", device_type=WATER_LEVEL, contact_user=FLOOD_DUTY_USER,
        ),
        RuleSpec(
            "积水过深立即立案 Impassable water: case at once", "threshold", "deep-water",
            {"levels": {"red": WATER_LEVELS["red"]}, "hysteresis": 0.05, "case_answers": {"depth_cm": ">30"}},
            "CM-GREEN-FLOOD", "case_now", device_type=WATER_LEVEL,
        ),
        RuleSpec(
            "管网满管预警 Drainage pipe surcharge", "threshold", "pipe-surcharge",
            {"levels": DRAIN_LEVELS, "hysteresis": 5.0},
            "CM-GREEN-DRAIN", "notify_first", device_type=DRAIN_LEVEL, contact_user=FLOOD_DUTY_USER,
        ),
        RuleSpec(
            "井盖移位 Manhole cover displaced", "threshold", "cover-displaced",
            {"levels": TILT_LEVELS, "hysteresis": 1.0}, "CM-ROAD-MANHOLE", "case_now", device_type=MANHOLE_TILT,
        ),
    ]  # fmt: skip
    for e in plan.enrolments:
        contact = {"device": e.meter, "contact_channel": "sms", "contact_address": e.contact_phone}
        rules.append(
            RuleSpec(
                f"水管家 12小时无用水 No use in 12 h ({e.household})", "no_consumption", "no-use-12h",
                {"max_total": 0.01, "hours": 12}, "LV-CARE-ELDER", "notify_first", ack_timeout_minutes=30,
                active=False, **contact,
            )
        )  # fmt: skip
        # ↑ seeded inactive, for a district that wants it: beside the presets it would add ~0.25 false alarms
        # per household-month and find inactivity later (median 18 h against 8 h; docs/benchmarks.md)
        for preset in _steward_presets():
            rules.append(RuleSpec(**{**preset, "name": f"{preset['name']} ({e.household})"}, **contact))
    return rules


def _seed_types(digest: BatchDigest) -> int:
    from .models import DeviceType

    existing = set(DeviceType.objects.values_list("code", flat=True))
    created = 0
    for code, name, unit, interval in DEVICE_TYPES:
        if code not in existing:
            DeviceType.objects.create(code=code, name=name, unit=unit, interval_seconds=interval)
            digest.add({"device_type": code, "unit": unit, "interval": interval})
            created += 1
    return created


def _seed_rules(specs: list[RuleSpec], digest: BatchDigest) -> int:
    """Create the rules not yet present (same target and condition)."""
    from django.contrib.auth import get_user_model

    from .alerts.models import Escalation, Rule
    from .models import Device, DeviceType

    types = {t.code: t for t in DeviceType.objects.all()}
    devices = {d.code: d for d in Device.objects.filter(code__in=[s.device for s in specs if s.device])}
    users = {u.username: u for u in get_user_model().objects.filter(username__in={s.contact_user for s in specs})}
    present = set(Rule.objects.values_list("device_type__code", "device__code", "condition"))
    new = []
    for s in specs:
        if (s.device_type or None, s.device or None, s.condition) in present:
            continue
        user = users.get(s.contact_user)
        escalation = s.escalation if (user or s.contact_address) else Escalation.CASE_NOW  # no contact: no one to ask
        rule = Rule(
            name=s.name, kind=s.kind, condition=s.condition, params=s.params, category_code=s.category_code,
            escalation=escalation, device_type=types.get(s.device_type) if s.device_type else None,
            device=devices.get(s.device) if s.device else None, contact_channel=s.contact_channel,
            contact_address=s.contact_address, contact_user=user, ack_timeout_minutes=s.ack_timeout_minutes,
            active=s.active,
        )  # fmt: skip
        rule.engine()  # the parameters are valid (raises RuleError)
        new.append(rule)
        digest.add({"rule": s.kind, "condition": s.condition, "type": s.device_type, "device": s.device})
    Rule.objects.bulk_create(new)
    return len(new)


@action
def seed_devices(actor: Actor, district) -> dict:
    """The "devices" step of ``yiwang demo``: device types, the devices (through ``import_devices``),
    their rules and the water-steward enrolments (household, meter, consent date; no phone numbers
    in the audit). Two audit rows: the import's and one for the rest."""
    from .actions import import_devices

    plan = demo_plan(district)
    digest = BatchDigest()
    types = _seed_types(digest)
    imported = import_devices(actor, plan.rows)
    rules = _seed_rules(plan.rules, digest)
    for e in plan.enrolments:
        digest.add({"household": e.household, "meter": e.meter, "consent_on": e.consent_on.isoformat()})
    record_batch(actor, "sensing.demo.seed", "sensing.device", digest, note="device types, rules, enrolments")
    summary = {"created": imported.created, "updated": imported.updated, "types": types, "rules": rules}
    summary["enrolled"] = len(plan.enrolments)
    summary.update({t: len(plan.codes(t)) for t, *_ in DEVICE_TYPES})
    return summary
