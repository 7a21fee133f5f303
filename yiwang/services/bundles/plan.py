"""What a bundle asks and promises, compared with its items applied for one by one (pure reads).

Materials are asked once: a government-issued material is the same material wherever its licence
type appears; an applicant's material is the same when its name is. The promised time when the
parts run in parallel is the longest part's; the status of a bundle application is its least
advanced part's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.services.applications.states import Status

# how far an application has come (terminal failures count as "done" for the bundle's progress)
PROGRESS = {
    Status.DRAFT: 0,
    Status.CORRECTION_REQUESTED: 1,
    Status.SUBMITTED: 2,
    Status.ACCEPTED: 3,
    Status.UNDER_REVIEW: 4,
    Status.APPROVED: 5,
    Status.DENIED: 5,
    Status.NOT_ACCEPTED: 5,
    Status.WITHDRAWN: 5,
    Status.DELIVERED: 6,
}


@dataclass
class MergedMaterial:
    key: str
    name: str
    licence_type: str = ""
    materials: list = field(default_factory=list)  # the catalogue Material rows it stands for

    @property
    def field_name(self) -> str:
        return f"m_{self.key}"


def material_key(material) -> str:
    if material.licence_type_id:
        return f"licence-{material.licence_type_id}"
    return "name-" + "".join(ch if ch.isalnum() else "_" for ch in material.name.strip().lower())


def merged_materials(situations) -> list[MergedMaterial]:
    """The union of the situations' materials, each asked once, in the order first met."""
    merged: dict[str, MergedMaterial] = {}
    for situation in situations:
        for material in situation.materials.all():
            key = material_key(material)
            if key not in merged:
                merged[key] = MergedMaterial(key, material.name, material.licence_type_id or "")
            merged[key].materials.append(material)
    return list(merged.values())


def comparison(situations) -> dict:
    """The bundle against its items one by one: promised days and the number of materials to provide."""
    situations = list(situations)
    promised = [s.promised_days for s in situations]
    separate_materials = sum(len(s.materials.all()) for s in situations)
    return {
        "parts": len(situations),
        "departments": len({s.item.department_id for s in situations}),
        "promised_days_bundle": max(promised, default=0),
        "promised_days_separate": sum(promised),
        "materials_bundle": len(merged_materials(situations)),
        "materials_separate": separate_materials,
    }


def derived_status(statuses) -> str | None:
    """The least advanced of the parts' statuses (None for no part)."""
    statuses = list(statuses)
    if not statuses:
        return None
    return min(statuses, key=lambda s: PROGRESS.get(s, 0))
