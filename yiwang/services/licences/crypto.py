"""Secrets of the licence library: sealing at rest, keyed hashes, and the signature-algorithm registry.

Everything is derived (HKDF-SHA256, one label per purpose) from ``settings.YIWANG_LICENCE_KEY_SECRET``
when set, else from ``settings.SECRET_KEY``. Changing that secret makes the stored private keys and
tokens unreadable and the holder hashes unmatched: set YIWANG_LICENCE_KEY_SECRET once, keep it apart
from SECRET_KEY, and never rotate it without re-sealing (see docs/services-licences.md).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from joserfc.jwk import ECKey

SEAL_VERSION = "v1"


def _master_secret() -> bytes:
    secret = getattr(settings, "YIWANG_LICENCE_KEY_SECRET", "") or settings.SECRET_KEY
    return secret.encode()


@functools.lru_cache(maxsize=16)
def _derive(secret: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"yiwang.licences", info=purpose.encode()).derive(secret)


def derived_key(purpose: str) -> bytes:
    return _derive(_master_secret(), purpose)


def seal(plaintext: bytes, *, purpose: str, context: str) -> str:
    """AES-256-GCM with a random nonce; ``context`` (e.g. the kid or jti) is bound as associated data."""
    nonce = os.urandom(12)
    box = AESGCM(derived_key(purpose)).encrypt(nonce, plaintext, context.encode())
    return f"{SEAL_VERSION}:" + base64.urlsafe_b64encode(nonce + box).decode()


def unseal(sealed: str, *, purpose: str, context: str) -> bytes:
    version, _, body = sealed.partition(":")
    if version != SEAL_VERSION:
        raise ValueError(f"unknown seal version {version!r}")
    raw = base64.urlsafe_b64decode(body.encode())
    return AESGCM(derived_key(purpose)).decrypt(raw[:12], raw[12:], context.encode())


def holder_hash(id_number: str) -> str:
    """HMAC-SHA256 of a normalised ID number: lets us find a holder's licences without storing the number."""
    return hmac.new(derived_key("holder-id-hash"), id_number.strip().upper().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignatureAlgorithm:
    """A JWS algorithm the library may sign and verify with: how to make, export and import its keys."""

    name: str
    generate: Callable[[], object]
    export_private: Callable[[object], bytes]
    import_private: Callable[[bytes], object]
    export_public: Callable[[object], dict]
    import_public: Callable[[dict], object]


ALGORITHMS: dict[str, SignatureAlgorithm] = {}


def register_algorithm(algorithm: SignatureAlgorithm) -> None:
    """Add an algorithm (SM2 later, through a joserfc algorithm registered with joserfc.jws)."""
    ALGORITHMS[algorithm.name] = algorithm


def get_algorithm(name: str) -> SignatureAlgorithm:
    try:
        return ALGORITHMS[name]
    except KeyError:
        raise ValueError(f"signature algorithm {name!r} is not allowed for licences") from None


def allowed_algorithms() -> frozenset[str]:
    """Only registered asymmetric algorithms: never 'none', never an HMAC algorithm (key confusion)."""
    return frozenset(ALGORITHMS)


register_algorithm(
    SignatureAlgorithm(
        name="ES256",
        generate=lambda: ECKey.generate_key("P-256", private=True),
        export_private=lambda key: key.as_pem(private=True),
        import_private=lambda pem: ECKey.import_key(pem),
        export_public=lambda key: key.as_dict(private=False),
        import_public=lambda jwk: ECKey.import_key(jwk),
    )
)
