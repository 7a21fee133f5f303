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

from django.db import connection
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


_USABLE_SQL: str | None = None


def _usable_sql() -> str:
    """Raw SQL (names from the models' metadata, values bound): the ORM's compile cost would dominate."""
    global _USABLE_SQL
    if _USABLE_SQL is None:
        lic, key = Licence._meta, SigningKey._meta

        def col(name):
            return "l." + lic.get_field(name).column

        columns = ", ".join(
            col(f)
            for f in ("id", "jti", "licence_type", "number", "issuer_name", "valid_from", "valid_until", "status")
        )
        _USABLE_SQL = (
            f"SELECT {columns} FROM {lic.db_table} l JOIN {key.db_table} k "  # noqa: S608
            f"ON k.{key.pk.column} = {col('signing_key')} "
            f"WHERE {col('holder_id_hash')} = %s AND {col('status')} = %s AND {col('valid_from')} <= %s "
            f"AND {col('valid_until')} >= %s AND k.{key.get_field('status').column} = %s "
            f"ORDER BY {col('valid_until')}, {col('id')}"
        )
    return _USABLE_SQL


def usable_licences(applicant: VerifiedIdentity) -> dict[str, Licence]:
    """The applicant's licences that may stand in for a material today, by licence type code.

    Usable: valid (not revoked), within its dates today, signed by an active key. One indexed query.
    """
    if not isinstance(applicant, VerifiedIdentity):
        raise TypeError("the licence library answers only for a VerifiedIdentity, never for a typed ID number")
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    params = [applicant.id_hash, Licence.Status.VALID.value, today, today, SigningKey.Status.ACTIVE.value]
    best: dict[str, Licence] = {}
    for licence in Licence.objects.raw(_usable_sql(), params):
        best[licence.licence_type_id] = licence  # ordered by valid_until: the one valid longest wins
    return best


def exempt_materials(applicant: VerifiedIdentity, situation) -> list[Exemption]:
    """The materials of ``situation`` (a catalogue Situation or its id) the applicant need not submit."""
    if not isinstance(applicant, VerifiedIdentity):
        raise TypeError("the licence library answers only for a VerifiedIdentity, never for a typed ID number")
    situation_id = getattr(situation, "pk", situation)
    needed = material_index.get().by_situation.get(situation_id)
    if not needed:
        return []
    held = usable_licences(applicant)
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
