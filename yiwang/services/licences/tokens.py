"""The licence token: JWS compact serialization of the licence's claims, signed with a platform key."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from joserfc import jws

from .crypto import seal, unseal
from .keys import private_key
from .models import Licence, SigningKey

TOKEN_PURPOSE = "licence-token"


def _start_of(day: date) -> int:
    return int(datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone()).timestamp())


def build_claims(
    *,
    jti: str,
    licence_type: str,
    number: str,
    holder_id_number: str,
    holder_name: str,
    issuer_code: str,
    issuer_name: str,
    valid_from: date,
    valid_until: date,
    issued_at: datetime,
) -> dict:
    """Claims: validity as dates (valid_from/valid_until, in the district's zone) and as JWT nbf/exp."""
    return {
        "jti": jti,
        "iss": issuer_code,
        "iss_name": issuer_name,
        "iat": int(issued_at.timestamp()),
        "nbf": _start_of(valid_from),
        "exp": _start_of(valid_until + timedelta(days=1)),
        "valid_from": valid_from.isoformat(),
        "valid_until": valid_until.isoformat(),
        "licence_type": licence_type,
        "number": number,
        "holder_id": holder_id_number,
        "holder_name": holder_name,
    }


def sign(claims: dict, key: SigningKey) -> str:
    payload = json.dumps(claims, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    header = {"alg": key.algorithm, "kid": key.kid, "typ": "JWT"}
    return jws.serialize_compact(header, payload, private_key(key), algorithms=[key.algorithm])


def seal_token(token: str, jti: str) -> str:
    return seal(token.encode(), purpose=TOKEN_PURPOSE, context=str(jti))


def licence_token(licence: Licence) -> str:
    """The licence's signed token (for the holder's download and QR code)."""
    return unseal(licence.token_sealed, purpose=TOKEN_PURPOSE, context=str(licence.jti)).decode()


def qr_svg(licence: Licence, scale: int = 4) -> str:
    """An SVG QR code holding the licence's token (scanned on the verification page)."""
    import segno

    return segno.make(licence_token(licence), error="m").svg_inline(scale=scale)
