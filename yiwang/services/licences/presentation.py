"""What a verifier is shown of a verification: the reason and the masked holder (never the raw number)."""

from __future__ import annotations

from yiwang.core.masking import mask_id_number, mask_name

from .verify import VerificationResult


def public_view(result: VerificationResult) -> dict:
    """The verification result with masked personal data, for the page and the API."""
    data = {"valid": result.valid, "reason": result.reason, "message": str(result.message)}
    claims = result.claims
    if claims:
        data.update(
            holder=mask_id_number(claims.get("holder_id", "")),
            holder_name=mask_name(claims.get("holder_name", "")),
            licence_type=claims.get("licence_type", ""),
            number=claims.get("number", ""),
            issuer=claims.get("iss_name") or claims.get("iss", ""),
            valid_from=claims.get("valid_from", ""),
            valid_until=claims.get("valid_until", ""),
        )
    return data
