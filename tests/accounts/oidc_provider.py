"""A tiny OpenID Connect provider for tests, served on 127.0.0.1 from a thread.

It signs real RS256 ID tokens, publishes its key as JWKS, and at the token endpoint checks
the client secret, the redirect URI and the PKCE verifier against the challenge the
authorization request carried, like Entra ID does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


class TinyProvider:
    def __init__(self, *, client_id: str, client_secret: str):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def issuer(self) -> str:
        return f"{self.base}/tenant/v2.0"

    def start(self) -> TinyProvider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def sign(self, claims: dict, *, key=None, kid: str | None = None) -> str:
        return jwt.encode(
            claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid}
        )

    def id_token_claims(self, *, nonce: str, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": "pairwise-sub-1",
            "oid": "00000000-0000-0000-0000-00000000beef",
            "tid": "tenant",
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            "nonce": nonce,
            "preferred_username": "Kirsten.Koordinator@kommune.dk",
            "email": "kirsten.koordinator@kommune.dk",
            "given_name": "Kirsten",
            "family_name": "Koordinator",
            "groups": [],
            "amr": ["pwd", "mfa"],
        }
        claims.update(overrides)
        return claims

    def authorize(self, params: dict, *, id_token: str | None = None, **claims) -> str:
        """What the user's browser does at the provider: returns a code for the callback."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": params["code_challenge"],
            "method": params["code_challenge_method"],
            "redirect_uri": params["redirect_uri"],
            "id_token": id_token
            or self.sign(self.id_token_claims(nonce=params["nonce"], **claims)),
        }
        return code

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    return self._json(200, provider.jwks())
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                grant = provider.codes.pop(form.get("code", ""), None)
                if (
                    grant is None
                    or form.get("client_id") != provider.client_id
                    or form.get("client_secret") != provider.client_secret
                    or form.get("redirect_uri") != grant["redirect_uri"]
                ):
                    return self._json(400, {"error": "invalid_grant"})
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if grant["method"] != "S256" or challenge != grant["challenge"]:
                    return self._json(400, {"error": "invalid_grant", "detail": "pkce"})
                return self._json(
                    200,
                    {
                        "access_token": "opaque-access-token",
                        "token_type": "Bearer",
                        "expires_in": 3600,
                        "id_token": grant["id_token"],
                    },
                )

        return Handler
