"""OpenID Connect sign-in: the authorization-code flow with PKCE (S256), state and nonce.

The provider is found through its discovery document (``{ISSUER}/.well-known/openid-configuration``);
the ID token is verified with joserfc against the provider's JWKS (key rotation: an unknown ``kid``
refreshes the key set once). Configuration lives in ``settings.OIDC``:

ISSUER, CLIENT_ID, CLIENT_SECRET — the client registration (OIDC is off while ISSUER is empty);
ACR_MAP — provider ``acr`` values → our assurance levels; DEFAULT_ASSURANCE — when no ``acr`` is sent
(an ``acr`` that is sent but unknown gives the weakest level); optional SCOPES, ALGORITHMS, LEEWAY,
TIMEOUT, ID_NUMBER_CLAIM (default ``id_number``), NAME_CLAIM, PHONE_CLAIM, CREATE_USERS.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from yiwang.core.roles import ASSURANCE_RANK, Assurance

DEFAULTS = {
    "SCOPES": "openid profile",
    "ALGORITHMS": ["ES256", "RS256"],
    "LEEWAY": 60,
    "TIMEOUT": 10,
    "ID_NUMBER_CLAIM": "id_number",
    "NAME_CLAIM": "name",
    "PHONE_CLAIM": "phone_number",
    "CREATE_USERS": True,
    "DISCOVERY_TTL": 3600,
}

_discovery_cache: dict[str, tuple[float, dict]] = {}
_jwks_cache: dict[str, KeySet] = {}


class OIDCError(Exception):
    """The sign-in failed; ``str(error)`` says why (logged, not shown verbatim to the person)."""


def config(key: str):
    return settings.OIDC.get(key, DEFAULTS.get(key))


def enabled() -> bool:
    return bool(settings.OIDC.get("ISSUER"))


def issuer() -> str:
    return settings.OIDC["ISSUER"].rstrip("/")


def _check_url(url: str) -> str:
    """Provider endpoints must be HTTPS, except on the loopback interface (tests, local providers)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return url
    if parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}:
        return url
    raise OIDCError(f"refusing a non-HTTPS provider endpoint: {url}")


def _get_json(url: str, **kwargs) -> dict:
    try:
        response = requests.get(_check_url(url), timeout=config("TIMEOUT"), **kwargs)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OIDCError(f"provider request to {url} failed: {exc}") from exc


def discovery() -> dict:
    iss = issuer()
    cached = _discovery_cache.get(iss)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    doc = _get_json(f"{iss}/.well-known/openid-configuration")
    if doc.get("issuer", "").rstrip("/") != iss:
        raise OIDCError(f"discovery document names issuer {doc.get('issuer')!r}, expected {iss!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not doc.get(key):
            raise OIDCError(f"discovery document lacks {key}")
    _discovery_cache[iss] = (time.monotonic() + config("DISCOVERY_TTL"), doc)
    return doc


def keyset(refresh: bool = False) -> KeySet:
    uri = discovery()["jwks_uri"]
    if refresh or uri not in _jwks_cache:
        _jwks_cache[uri] = KeySet.import_key_set(_get_json(uri))
    return _jwks_cache[uri]


def reset_caches() -> None:
    _discovery_cache.clear()
    _jwks_cache.clear()


# --- the authorization request --------------------------------------------------------------------


@dataclass
class AuthRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str

    def session_data(self, next_url: str) -> dict:
        return {
            "state": self.state,
            "nonce": self.nonce,
            "code_verifier": self.code_verifier,
            "next": next_url,
            "started": int(time.time()),
        }


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_request(redirect_uri: str) -> AuthRequest:
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    params = {
        "response_type": "code",
        "client_id": settings.OIDC["CLIENT_ID"],
        "redirect_uri": redirect_uri,
        "scope": config("SCOPES"),
        "state": state,
        "nonce": nonce,
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    }
    endpoint = _check_url(discovery()["authorization_endpoint"])
    return AuthRequest(url=f"{endpoint}?{urlencode(params)}", state=state, nonce=nonce, code_verifier=verifier)


# --- the token response ---------------------------------------------------------------------------


def exchange_code(code: str, redirect_uri: str, code_verifier: str) -> dict:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    auth = (settings.OIDC["CLIENT_ID"], settings.OIDC.get("CLIENT_SECRET", ""))
    url = _check_url(discovery()["token_endpoint"])
    try:
        response = requests.post(url, data=data, auth=auth, timeout=config("TIMEOUT"))
    except requests.RequestException as exc:
        raise OIDCError(f"token request failed: {exc}") from exc
    if response.status_code != 200:
        raise OIDCError(f"token endpoint answered {response.status_code}: {response.text[:200]}")
    try:
        tokens = response.json()
    except ValueError as exc:
        raise OIDCError("token endpoint did not answer JSON") from exc
    if not tokens.get("id_token"):
        raise OIDCError("token response holds no id_token")
    return tokens


def _decode(id_token: str):
    algorithms = list(config("ALGORITHMS"))
    try:
        return jwt.decode(id_token, keyset(), algorithms=algorithms)
    except JoseError:
        # perhaps the provider rotated its keys: fetch the key set once more, then give up
        try:
            return jwt.decode(id_token, keyset(refresh=True), algorithms=algorithms)
        except (JoseError, ValueError) as exc:
            raise OIDCError(f"ID token signature not valid: {exc}") from exc
    except ValueError as exc:
        raise OIDCError(f"ID token not readable: {exc}") from exc


def verify_id_token(id_token: str, nonce: str) -> dict:
    """Verify signature, issuer, audience, expiry and nonce; return the claims."""
    token = _decode(id_token)
    client_id = settings.OIDC["CLIENT_ID"]
    registry = jwt.JWTClaimsRegistry(
        leeway=int(config("LEEWAY")),
        iss={"essential": True, "value": issuer()},
        sub={"essential": True},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except JoseError as exc:
        raise OIDCError(f"ID token claims refused: {exc}") from exc
    audience = token.claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and token.claims.get("azp") != client_id:
        raise OIDCError("ID token has several audiences but azp is not this client")
    return dict(token.claims)


def userinfo(access_token: str, subject: str) -> dict:
    """Claims from the userinfo endpoint (if any); refused when its subject differs from the ID token's."""
    endpoint = discovery().get("userinfo_endpoint")
    if not endpoint or not access_token:
        return {}
    claims = _get_json(endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if claims.get("sub") != subject:
        raise OIDCError("userinfo subject differs from the ID token subject")
    return claims


def assurance_for(claims: dict) -> str:
    """Map the ``acr`` claim through ACR_MAP; no acr → DEFAULT_ASSURANCE; an unknown acr → the weakest."""
    acr = claims.get("acr")
    if not acr:
        level = config("DEFAULT_ASSURANCE") or Assurance.PASSWORD
    else:
        level = settings.OIDC.get("ACR_MAP", {}).get(acr, Assurance.PASSWORD)
    return level if level in ASSURANCE_RANK else Assurance.PASSWORD


def sign_in_claims(code: str, redirect_uri: str, flow: dict) -> dict:
    """Run the back-channel half of the flow; return verified claims (ID token first, then userinfo)."""
    if time.time() - flow.get("started", 0) > 600:
        raise OIDCError("the sign-in took longer than ten minutes")
    tokens = exchange_code(code, redirect_uri, flow["code_verifier"])
    claims = verify_id_token(tokens["id_token"], flow["nonce"])
    extra = userinfo(tokens.get("access_token", ""), claims["sub"])
    return {**extra, **claims}
