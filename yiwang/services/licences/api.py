"""JSON API of the licence library, mounted at /api/v1/licences/.

POST /verify        {"credential": "<JWS compact token>"} → {"valid", "reason", "message", masked holder…}
GET  /jwks.json     the public keys that verify licences (JSON Web Key Set)

A body that is not JSON, not an object, or lacks a string "credential" gives 422 with a precise message.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.throttling import AnonRateThrottle

from .keys import jwks
from .presentation import public_view
from .verify import MAX_TOKEN_LENGTH, verify_licence

router = Router(tags=["licences"])


class VerifyRequest(Schema):
    credential: str


class VerifyResponse(Schema):
    valid: bool
    reason: str
    message: str
    holder: str | None = None
    holder_name: str | None = None
    licence_type: str | None = None
    number: str | None = None
    issuer: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None


def _unprocessable(message: str, location: list) -> JsonResponse:
    return JsonResponse({"detail": [{"loc": location, "msg": message, "type": "value_error"}]}, status=422)


@router.post(
    "/verify",
    auth=None,
    response={200: VerifyResponse},
    summary="Verify a licence token (signature, key, dates, revocation)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": VerifyRequest.model_json_schema()}},
        }
    },
    throttle=[AnonRateThrottle("600/m")],
)
def verify(request):
    try:
        body = json.loads(request.body or b"")
    except UnicodeDecodeError:
        return _unprocessable(_("The body is not UTF-8 text."), ["body"])
    except json.JSONDecodeError as error:
        return _unprocessable(
            _("The body is not valid JSON: %(error)s (line %(line)d, column %(column)d).")
            % {"error": error.msg, "line": error.lineno, "column": error.colno},
            ["body"],
        )
    if not isinstance(body, dict):
        return _unprocessable(_('The body must be a JSON object like {"credential": "…"}.'), ["body"])
    credential = body.get("credential")
    if credential is None:
        return _unprocessable(_('The field "credential" is missing.'), ["body", "credential"])
    if not isinstance(credential, str):
        return _unprocessable(_('The field "credential" must be a string (the licence token).'), ["body", "credential"])
    if len(credential) > MAX_TOKEN_LENGTH:
        return _unprocessable(
            _("The credential is longer than %(max)d characters.") % {"max": MAX_TOKEN_LENGTH},
            ["body", "credential"],
        )
    return public_view(verify_licence(credential))


@router.get("/jwks.json", auth=None, summary="Public keys that verify licences (JWKS)")
def jwks_json(request):
    response = JsonResponse(jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response
