"""Exemption of materials (免交): what the licence library already holds need not be submitted.

``exempt_materials(applicant, situation)``: one indexed query for the applicant's usable licences (by
holder hash; valid, within their dates, signed by an active key) and a precomputed in-memory map
situation → licence type → materials (rebuilt when the catalogue changes in this process, and at most
``INDEX_TTL`` seconds old otherwise).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.services.catalogue.models import LicenceType, Material, MaterialSource

from .identity import VerifiedIdentity
from .models import Licence, SigningKey

INDEX_TTL = 300.0


@dataclass(frozen=True)
class Exemption:
    material: Material
    licence: Licence
    reason: str


@dataclass(frozen=True)
class _Index:
    by_situation: dict[int, dict[str, list[Material]]]  # situation id → licence type code → materials
    by_type: dict[str, list[Material]]  # licence type code → materials (all situations)


class _MaterialIndex:
    def __init__(self):
        self._index: _Index | None = None
        self._built_at = 0.0
        self._lock = threading.Lock()

    def invalidate(self, **_kwargs) -> None:
        self._index = None

    def get(self) -> _Index:
        index = self._index
        if index is None or time.monotonic() - self._built_at > INDEX_TTL:
            with self._lock:
                index = self._build()
                self._index, self._built_at = index, time.monotonic()
        return index

    @staticmethod
    def _build() -> _Index:
        by_situation: dict[int, dict[str, list[Material]]] = {}
        by_type: dict[str, list[Material]] = {}
        materials = Material.objects.filter(source=MaterialSource.LICENCE, licence_type__electronic=True).only(
            "id", "situation_id", "position", "name", "name_en", "required", "source", "licence_type_id"
        )
        for material in materials.order_by("situation_id", "position", "id"):
            by_situation.setdefault(material.situation_id, {}).setdefault(material.licence_type_id, []).append(material)
            by_type.setdefault(material.licence_type_id, []).append(material)
        return _Index(by_situation, by_type)


material_index = _MaterialIndex()
for _model in (Material, LicenceType):
    post_save.connect(material_index.invalidate, sender=_model, dispatch_uid=f"licences-index-save-{_model.__name__}")
    post_delete.connect(material_index.invalidate, sender=_model, dispatch_uid=f"licences-index-del-{_model.__name__}")


def usable_licences(applicant: VerifiedIdentity, types=None) -> dict[str, Licence]:
    """The applicant's licences that may stand in for a material today, by licence type code."""
    if not isinstance(applicant, VerifiedIdentity):
        raise TypeError("the licence library answers only for a VerifiedIdentity, never for a typed ID number")
    today = timezone.localdate()
    query = Licence.objects.filter(
        holder_id_hash=applicant.id_hash,
        status=Licence.Status.VALID,
        valid_until__gte=today,
        valid_from__lte=today,
        signing_key__status=SigningKey.Status.ACTIVE,
    )
    if types is not None:
        query = query.filter(licence_type_id__in=list(types))
    fields = ("id", "jti", "licence_type_id", "number", "issuer_name", "valid_from", "valid_until", "status")
    best: dict[str, Licence] = {}
    for licence in query.only(*fields).order_by("valid_until"):
        best[licence.licence_type_id] = licence  # the one valid longest wins
    return best


def exempt_materials(applicant: VerifiedIdentity, situation) -> list[Exemption]:
    """The materials of ``situation`` (a catalogue Situation or its id) the applicant need not submit."""
    if not isinstance(applicant, VerifiedIdentity):
        raise TypeError("the licence library answers only for a VerifiedIdentity, never for a typed ID number")
    situation_id = getattr(situation, "pk", situation)
    needed = material_index.get().by_situation.get(situation_id)
    if not needed:
        return []
    held = usable_licences(applicant, types=needed.keys())
    exemptions = []
    for type_code, materials in needed.items():
        licence = held.get(type_code)
        if licence is None:
            continue
        exemptions.extend(Exemption(material, licence, _reason(licence)) for material in materials)
    exemptions.sort(key=lambda e: (e.material.position, e.material.pk))
    return exemptions


def _reason(licence: Licence) -> str:
    return _("Exempt: licence %(number)s (%(issuer)s) is in the electronic licence library.") % {
        "number": licence.number,
        "issuer": licence.issuer_name,
    }


def exemptions_across_catalogue(applicant: VerifiedIdentity) -> dict[int, list[Exemption]]:
    """Every situation of the catalogue where the applicant need not submit something: situation id → exemptions.

    One query for the applicant's usable licences, then the licence type → materials map.
    """
    held = usable_licences(applicant)
    by_type = material_index.get().by_type
    result: dict[int, list[Exemption]] = {}
    for type_code, licence in held.items():
        reason = _reason(licence)
        for material in by_type.get(type_code, ()):
            result.setdefault(material.situation_id, []).append(Exemption(material, licence, reason))
    for exemptions in result.values():
        exemptions.sort(key=lambda e: (e.material.position, e.material.pk))
    return result
