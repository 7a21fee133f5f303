"""A small, real OIDC provider on 127.0.0.1 for tests: discovery, authorize, token, userinfo, JWKS.

It signs ID tokens with joserfc (ES256 or RS256), checks PKCE (S256), the client's secret and the
redirect URI, and lets a test decide what the next ID token looks like (claims, expiry, nonce, key).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey


@dataclass
class Behaviour:
    """What the provider puts in the next ID token."""

    claims: dict = field(default_factory=dict)  # extra claims (acr, id_number, name, …)
    subject: str = "subject-1"
    algorithm: str = "ES256"
    expires_in: int = 300
    nonce: str | None = None  # None: echo the nonce of the authorization request
    forge: bool = False  # sign with a key that is not in the JWKS
    audience: str | list | None = None  # None: the client id
    issuer: str | None = None  # None: the provider's issuer


class FakeProvider:
    def __init__(self, client_id="yiwang-test", client_secret="s3cret"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.ec_key = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig"})
        self.rsa_key = RSAKey.generate_key(2048, parameters={"kid": "rsa-1", "use": "sig"})
        self.rogue_key = ECKey.generate_key("P-256", parameters={"kid": "ec-1", "use": "sig"})
        self.behaviour = Behaviour()
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self._access_tokens: dict[str, str] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the endpoints answer ---------------------------------------------------------------

    def discovery(self) -> dict:
        base = self.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        return KeySet([self.ec_key, self.rsa_key]).as_dict(private=False)

    def authorize(self, query: dict) -> tuple[int, dict]:
        if query.get("client_id") != self.client_id or query.get("code_challenge_method") != "S256":
            return 400, {"error": "invalid_request"}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "nonce": query.get("nonce"),
            "redirect_uri": query["redirect_uri"],
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": target}

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        self.token_requests.append(form)
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if authorization != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        access = secrets.token_urlsafe(16)
        self._access_tokens[access] = self.behaviour.subject
        return 200, {"access_token": access, "token_type": "Bearer", "id_token": self.id_token(grant["nonce"])}

    def id_token(self, nonce: str | None) -> str:
        b = self.behaviour
        now = int(time.time())
        claims = {
            "iss": b.issuer or self.issuer,
            "sub": b.subject,
            "aud": b.audience if b.audience is not None else self.client_id,
            "iat": now if b.expires_in > 0 else now - 3600,
            "exp": now + b.expires_in,
            "nonce": b.nonce if b.nonce is not None else nonce,
            **b.claims,
        }
        if b.algorithm == "RS256":
            key = self.rsa_key
        else:
            key = self.rogue_key if b.forge else self.ec_key
        header = {"alg": b.algorithm, "kid": key.kid}
        return jwt.encode(header, claims, key)

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        token = authorization.removeprefix("Bearer ")
        subject = self._access_tokens.get(token)
        if subject is None:
            return 401, {"error": "invalid_token"}
        return 200, {"sub": subject, "name": self.behaviour.claims.get("name", "Test Person")}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body: dict):
                if status == 302:
                    self.send_response(302)
                    self.send_header("Location", body["Location"])
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    return self._answer(200, provider.discovery())
                if parts.path == "/jwks":
                    return self._answer(200, provider.jwks())
                if parts.path == "/authorize":
                    return self._answer(*provider.authorize(query))
                if parts.path == "/userinfo":
                    return self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
                return self._answer(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    return self._answer(*provider.token(form, self.headers.get("Authorization", "")))
                return self._answer(404, {"error": "not_found"})

        return Handler
