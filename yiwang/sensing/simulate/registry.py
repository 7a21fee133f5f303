"""The devices ``yiwang simulate`` plays: the demo's device types in the database, with their demo keys."""

from __future__ import annotations

from yiwang.sensing.demo import DEVICE_TYPES, demo_key

from .generators import SimDevice


def district_seed() -> int | None:
    """The seed of the demo district in this database (``yiwang demo``), if any."""
    from yiwang.demo.models import SeedStep

    return SeedStep.objects.values_list("seed", flat=True).first()


def demo_devices(seed: int, codes: list[str] | None = None) -> list[SimDevice]:
    """Active devices of the demo's types (optionally only ``codes``), keys derived from the district seed."""
    from yiwang.sensing.models import Device, DeviceStatus

    found = Device.objects.filter(type__code__in=[t for t, *_ in DEVICE_TYPES]).exclude(status=DeviceStatus.RETIRED)
    if codes:
        found = found.filter(code__in=codes)
    rows = found.order_by("code").values_list("code", "type__code", "subdistrict_code")
    return [SimDevice(code, type_code, area, demo_key(seed, code)) for code, type_code, area in rows]
