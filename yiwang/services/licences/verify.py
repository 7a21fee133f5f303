"""Verification of a presented licence token.

Order of checks (the first failure is the reason): well-formed compact JWS → algorithm on the
allow-list (never 'none', never HMAC) → known, unretired key whose algorithm matches → signature →
claims well-formed → validity period (dates in the district's zone) → not revoked (database).

The licence's and its key's status come from one indexed query, or on PostgreSQL from the process's
cache that LISTEN/NOTIFY keeps exact (:mod:`.verify_cache`).
"""

from __future__ import annotations

import binascii
import json
import uuid
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from joserfc import jws
from joserfc.errors import JoseError

from . import verify_cache
from .crypto import allowed_algorithms
from .keys import cached_public_key as _public_cache_get
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


@dataclass(frozen=True)
class _KeyState:
    kid: str
    algorithm: str
    status: str


_LOOKUP_SQL: str | None = None


def _lookup_sql() -> str:
    """The licence's status and its key's, in one indexed query (raw SQL: the ORM's compile cost dominates)."""
    global _LOOKUP_SQL
    if _LOOKUP_SQL is None:
        lic, key = Licence._meta, SigningKey._meta
        # names from the models' own metadata; the value is bound as a parameter
        _LOOKUP_SQL = (
            f"SELECT l.status, k.kid, k.algorithm, k.status FROM {lic.db_table} l "  # noqa: S608
            f"JOIN {key.db_table} k ON k.{key.pk.column} = l.{lic.get_field('signing_key').column} "
            f"WHERE l.{lic.get_field('jti').column} = %s"
        )
    return _LOOKUP_SQL


def _fetch_row(licence_id: uuid.UUID) -> tuple | None:
    # the value as UUIDField.get_db_prep_value stores it, without its overhead
    param = licence_id if connection.features.has_native_uuid_field else licence_id.hex
    with connection.cursor() as cursor:
        cursor.execute(_lookup_sql(), [param])
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def _load_key_row(kid: str, jti: str | None) -> tuple[_KeyState | None, str | None]:
    """(the key's state, the licence's status or None if no such licence signed by that kid)."""
    if jti:
        try:
            licence_id = uuid.UUID(jti)
        except ValueError:
            licence_id = None
        if licence_id is not None:
            row = verify_cache.lookup(str(licence_id), lambda: _fetch_row(licence_id))
            if row is not None and row[1] == kid:
                return _KeyState(row[1], row[2], row[3]), row[0]
    key = SigningKey.objects.filter(kid=kid).values_list("kid", "algorithm", "status").first()
    return (_KeyState(*key) if key else None), None


def _public_key(kid: str, algorithm: str):
    cached = _public_cache_get(kid, algorithm)
    if cached is None:
        jwk = SigningKey.objects.values_list("public_jwk", flat=True).get(kid=kid)
        cached = public_key(kid, algorithm, jwk)
    return cached


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
    key_row, licence_status = _load_key_row(kid, jti)
    if key_row is None:
        return _fail("unknown_key")
    if key_row.algorithm != alg:
        return _fail("algorithm_not_allowed")
    if key_row.status != SigningKey.Status.ACTIVE:
        return _fail("key_retired")
    try:
        if not jws.validate_compact(unverified, _public_key(kid, alg), algorithms=[alg]):
            return _fail("bad_signature")
    except (JoseError, ValueError, binascii.Error, UnicodeError):
        return _fail("bad_signature")
    claims = raw_claims  # exactly the signed payload
    if not isinstance(claims, dict) or any(not isinstance(claims.get(k), t) for k, t in REQUIRED_CLAIMS.items()):
        return _fail("invalid_claims")
    try:
        valid_from = date.fromisoformat(claims["valid_from"])
        valid_until = date.fromisoformat(claims["valid_until"])
    except ValueError:
        return _fail("invalid_claims", claims)
    if licence_status is None:
        return _fail("unknown_licence", claims)
    day = today or timezone.localdate()
    if day < valid_from:
        return _fail("not_yet_valid", claims)
    if day > valid_until:
        return _fail("expired", claims)
    if licence_status != Licence.Status.VALID:
        return _fail("revoked", claims)
    return VerificationResult(True, "valid", claims)
