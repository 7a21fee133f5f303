"""Verification of a presented licence token.

Order of checks (the first failure is the reason): well-formed compact JWS → algorithm on the
allow-list (never 'none', never HMAC) → known, unretired key whose algorithm matches → signature →
claims well-formed → validity period (dates in the district's zone) → not revoked (database).
"""

from __future__ import annotations

import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc import jws
from joserfc.errors import JoseError

from .crypto import allowed_algorithms
from .keys import public_key
from .models import Licence, SigningKey

MAX_TOKEN_LENGTH = 8192

REASONS = {
    "valid": _("The licence is valid."),
    "malformed": _("This is not a licence token (it cannot be read)."),
    "algorithm_not_allowed": _("The token uses a signature algorithm that licences never use."),
    "unknown_key": _("The token was not signed with a key of this platform."),
    "key_retired": _("The key that signed this licence has been retired."),
    "bad_signature": _("The signature does not match: the licence was altered or forged."),
    "invalid_claims": _("The licence's content is incomplete or malformed."),
    "unknown_licence": _("This licence is not in the licence library."),
    "not_yet_valid": _("The licence is not valid yet."),
    "expired": _("The licence has expired."),
    "revoked": _("The licence has been revoked."),
}

REQUIRED_CLAIMS = {
    "jti": str,
    "iss": str,
    "iat": int,
    "valid_from": str,
    "valid_until": str,
    "licence_type": str,
    "number": str,
    "holder_id": str,
    "holder_name": str,
}


@dataclass(frozen=True)
class VerificationResult:
    valid: bool
    reason: str  # a stable code, one of REASONS
    claims: dict | None = None  # the signed claims once the signature is proven (even if expired/revoked)

    @property
    def message(self):
        return REASONS[self.reason]


def _fail(reason: str, claims: dict | None = None) -> VerificationResult:
    return VerificationResult(False, reason, claims)


def _load_key_row(kid: str, jti: str | None):
    """One query in the common case: the licence with its key (also gives revocation); else the key alone."""
    licence = None
    if jti:
        try:
            licence = Licence.objects.select_related("signing_key").filter(jti=uuid.UUID(jti)).first()
        except ValueError:
            licence = None
    if licence is not None and licence.signing_key.kid == kid:
        return licence.signing_key, licence
    return SigningKey.objects.filter(kid=kid).first(), None


def verify_licence(token: str, *, today: date | None = None) -> VerificationResult:
    """Check a presented token; never raises for bad input."""
    if not isinstance(token, str | bytes) or not token or len(token) > MAX_TOKEN_LENGTH:
        return _fail("malformed")
    if isinstance(token, bytes):
        try:
            token = token.decode("ascii")
        except UnicodeDecodeError:
            return _fail("malformed")
    token = token.strip()
    try:
        unverified = jws.extract_compact(token.encode("ascii"))
        header = unverified.protected
        raw_claims = json.loads(unverified.payload)
    except (JoseError, ValueError, binascii.Error, UnicodeError, TypeError):
        return _fail("malformed")
    if not isinstance(header, dict) or not isinstance(raw_claims, dict):
        return _fail("malformed")
    alg, kid = header.get("alg"), header.get("kid")
    if not isinstance(alg, str) or alg not in allowed_algorithms():
        return _fail("algorithm_not_allowed")
    if not isinstance(kid, str) or not kid:
        return _fail("unknown_key")
    jti = raw_claims.get("jti") if isinstance(raw_claims.get("jti"), str) else None
    key_row, licence = _load_key_row(kid, jti)
    if key_row is None:
        return _fail("unknown_key")
    if key_row.algorithm != alg:
        return _fail("algorithm_not_allowed")
    if key_row.status != SigningKey.Status.ACTIVE:
        return _fail("key_retired")
    try:
        signed = jws.deserialize_compact(token, public_key(key_row.kid, alg, key_row.public_jwk), algorithms=[alg])
        claims = json.loads(signed.payload)
    except (JoseError, ValueError, binascii.Error, UnicodeError):
        return _fail("bad_signature")
    if not isinstance(claims, dict) or any(not isinstance(claims.get(k), t) for k, t in REQUIRED_CLAIMS.items()):
        return _fail("invalid_claims")
    try:
        valid_from = date.fromisoformat(claims["valid_from"])
        valid_until = date.fromisoformat(claims["valid_until"])
    except ValueError:
        return _fail("invalid_claims", claims)
    if licence is None:
        return _fail("unknown_licence", claims)
    day = today or timezone.localdate()
    if day < valid_from:
        return _fail("not_yet_valid", claims)
    if day > valid_until:
        return _fail("expired", claims)
    if licence.status != Licence.Status.VALID:
        return _fail("revoked", claims)
    return VerificationResult(True, "valid", claims)
