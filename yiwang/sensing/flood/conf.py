"""What counts as "flood" for the scene: device types and case categories, the camera radius.

``settings.FLOOD`` (optional) overrides any of the defaults below. An alert is a flood alert when its
device's type or its rule's case category is listed; a case is a flood case when its category (or the
category's parent) is listed, or when it was opened from a flood alert.
"""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # water level (积水), drainage pipe (排水管网) and manhole cover (井盖) sensors (the demo's devices step
    # registers water-level, drain-level and manhole-tilt)
    "DEVICE_TYPES": (
        "water-level",
        "water_level",
        "drain-level",
        "drain-pipe",
        "drain_pipe",
        "pipe-level",
        "manhole",
        "manhole-tilt",
        "manhole-cover",
    ),
    # road flooding, blocked drains, manhole covers (the demo's tree and the test world's)
    "CATEGORY_CODES": ("CM-GREEN-FLOOD", "CM-GREEN-DRAIN", "CM-ROAD-MANHOLE", "SAFE-FLOOD"),
    "CAMERA_RADIUS_M": 300,
    # the post-flood report of one event (a weather warning) runs this long past the warning's end
    "EVENT_TAIL_HOURS": 24,
    # the usual calendar of a year without a FloodSeason row, as (month, day): Shanghai's 汛前准备 from
    # 1 April (the pre-season inspections of April–May), the season (梅雨 plum rains + 台风 typhoons)
    # 1 June – 30 September
    "SEASON": {"prep_from": (4, 1), "starts_on": (6, 1), "ends_on": (9, 30)},
}


def flood_setting(name: str):
    return {**DEFAULTS, **getattr(settings, "FLOOD", {})}[name]
