"""Signing-key management: create, rotate, retire, publish (JWKS). Private keys are sealed at rest."""

from __future__ import annotations

import threading

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.actions import ActionError, action, record_event, require
from yiwang.core.actor import Actor

from . import verify_cache
from .crypto import get_algorithm, seal, unseal
from .models import SigningKey

KEY_PURPOSE = "signing-key"
DEFAULT_ALGORITHM = "ES256"

_public_cache: dict[tuple[str, str], object] = {}
_private_cache: dict[str, object] = {}
_lock = threading.Lock()


def _may_manage_keys(actor: Actor) -> bool:
    from yiwang.core.scope import is_system_admin

    if actor.user is None:  # the platform itself: CLI, worker, system
        return True
    # an acting system administrator: an active user, through an org unit open today (scope's rule)
    return is_system_admin(actor.user)


def _algorithm_name() -> str:
    return getattr(settings, "YIWANG_LICENCE_ALGORITHM", DEFAULT_ALGORITHM)


@action
def rotate_key(actor: Actor, *, algorithm: str | None = None) -> SigningKey:
    """Create a new key: it signs from now on; older active keys still verify until retired."""
    require(_may_manage_keys(actor), _("Only a system administrator may manage licence signing keys."))
    algo = get_algorithm(algorithm or _algorithm_name())
    private = algo.generate()
    # the RFC 7638 thumbprint: unique per key; 43 base64url characters are practically never
    # mistaken for a phone or ID number by the audit trail's guard
    kid = private.thumbprint()
    jwk = dict(algo.export_public(private), kid=kid, alg=algo.name, use="sig")
    key = SigningKey.objects.create(
        kid=kid,
        algorithm=algo.name,
        public_jwk=jwk,
        private_key_sealed=seal(algo.export_private(private), purpose=KEY_PURPOSE, context=kid),
    )
    record_event(actor, "licences.key.rotate", key, after={"kid": kid, "algorithm": algo.name})
    return key


@action
def retire_key(actor: Actor, key: SigningKey) -> SigningKey:
    """A retired key no longer verifies: every licence it signed becomes invalid (reason key_retired)."""
    require(_may_manage_keys(actor), _("Only a system administrator may manage licence signing keys."))
    key = SigningKey.objects.select_for_update().get(pk=key.pk)
    if key.status == SigningKey.Status.RETIRED:
        raise ActionError(_("This key is already retired."), code="conflict")
    key.status = SigningKey.Status.RETIRED
    key.retired_at = timezone.now()
    key.save(update_fields=["status", "retired_at"])
    verify_cache.forget()  # every licence it signed; other processes through the database's NOTIFY
    record_event(actor, "licences.key.retire", key, before={"status": "active"}, after={"status": "retired"})
    return key


def current_key(actor: Actor | None = None) -> SigningKey:
    """The newest active key; the first licence ever issued creates one (audited as the platform)."""
    key = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).order_by("-created_at", "-pk").first()
    if key is None:
        key = rotate_key(Actor.system())
    return key


def private_key(key: SigningKey):
    with _lock:
        cached = _private_cache.get(key.kid)
    if cached is None:
        pem = unseal(key.private_key_sealed, purpose=KEY_PURPOSE, context=key.kid)
        cached = get_algorithm(key.algorithm).import_private(pem)
        with _lock:
            _private_cache[key.kid] = cached
    return cached


def public_key(kid: str, algorithm: str, jwk: dict):
    """The imported public key of a stored JWK (cached: a kid's public key never changes)."""
    cached = _public_cache.get((kid, algorithm))
    if cached is None:
        cached = get_algorithm(algorithm).import_public(jwk)
        _public_cache[(kid, algorithm)] = cached
    return cached


def cached_public_key(kid: str, algorithm: str):
    return _public_cache.get((kid, algorithm))


def jwks() -> dict:
    """The public keys that verify licences now (active keys), as a JSON Web Key Set."""
    keys = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).order_by("created_at", "pk")
    return {"keys": [k.public_jwk for k in keys]}
