"""VNeID stand-in: an OpenID Connect provider with a test-citizen picker, for the demo and the tests.

It serves discovery, authorize (a page listing test citizens, or any 12-digit ID typed in), token (authorization
code with PKCE S256 required, client secret by POST body or HTTP Basic), userinfo and the JWKS, and signs RS256 ID
tokens with a key made at start. Claim names come from configuration (MOTCUA_VNEID_CLAIMS), as the real ones are
not published [R]; `sub` is pairwise, so the relying party must find the person by the ID claim, not by `sub`.

For tests and the demo, `POST /_fault {"fault": NAME}` spoils the next token answer once: `tampered` (payload
changed after signing), `wrong_nonce`, `wrong_audience`, `wrong_issuer`, `expired`, `unknown_key` (signed by another
key under the same kid), `alg_none`, `hs256` (signed with the client secret), `other_subject` (userinfo names another
person) or `no_citizen_id` (userinfo without the ID claim).
"""

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .base import Request, Response, Simulator

FAULTS = frozenset(
    {
        "tampered", "wrong_nonce", "wrong_audience", "wrong_issuer", "expired", "unknown_key", "alg_none", "hs256",
        "other_subject", "no_citizen_id",
    }
)  # fmt: skip
# Seconds an authorization code may wait for the token request (RFC 6749 §4.1.2 advises at most 10 minutes) [R].
CODE_SECONDS = 60.0
# Seconds an ID token and an access token stay valid [R].
TOKEN_SECONDS = 300


@dataclass(frozen=True)
class TestCitizen:
    citizen_id: str
    name: str
    phone: str = ""
    email: str = ""


# The first is the demo's citizen (motcua/demo/seed.py), who has a password account: signing in links it. The others
# have no account, so signing in makes one.
TEST_CITIZENS = (
    TestCitizen("082090001234", "Nguyễn Văn Dân", "0912345678", "congdan@example.vn"),
    TestCitizen("082195007890", "Lê Thị Hoa", "0903555777", "lethihoa@example.vn"),
    TestCitizen("001088012345", "Phạm Quốc Bảo", "0988123456"),
)


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    citizen: TestCitizen
    issued: float
    used: bool = False


@dataclass
class _Registration:
    client_id: str
    secret: str
    redirect_uris: frozenset[str]


@dataclass
class _Deliveries:
    """What the simulator handed out, for tests to read."""

    codes: dict[str, _Grant] = field(default_factory=dict)
    access: dict[str, tuple[TestCitizen, str, str]] = field(default_factory=dict)  # token → (citizen, client, fault)


class VneidSimulator(Simulator):
    name = "vneid"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        redirect_uris: Sequence[str],
        claims: Mapping[str, str],
        citizens: Sequence[TestCitizen] = TEST_CITIZENS,
        issuer: str = "",
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(now)
        self.client = _Registration(client_id, client_secret, frozenset(redirect_uris))
        self.claims = dict(claims)
        self.citizens = tuple(citizens)
        self.issuer = issuer.rstrip("/")
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.fault = ""
        self.handed = _Deliveries()
        self.route("GET", "/.well-known/openid-configuration", self.discovery)
        self.route("GET", "/authorize", self.authorize_page)
        self.route("POST", "/authorize", self.authorize_choice)
        self.route("POST", "/token", self.token)
        self.route("GET", "/userinfo", self.userinfo)
        self.route("GET", "/jwks", self.jwks)
        self.route("POST", "/_fault", self.set_fault)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Any:
        server = super().serve(host, port)
        if not self.issuer:  # named by the address it answers at, unless configured
            self.issuer = f"http://{host}:{server.server_address[1]}"
        return server

    def misbehave(self, fault: str) -> None:
        """Spoil the next token answer once (see the module's docstring)."""
        if fault not in FAULTS:
            raise ValueError(fault)
        with self.lock:
            self.fault = fault

    # Discovery and keys.

    def discovery(self, request: Request) -> Response:
        return Response.json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                "scopes_supported": ["openid", "profile"],
                "claims_supported": ["sub", *sorted(self.claims.values())],
            }
        )

    def jwks(self, request: Request) -> Response:
        numbers = self.key.public_key().public_numbers()
        key = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid, "n": _b64_int(numbers.n)}
        return Response.json({"keys": [key | {"e": _b64_int(numbers.e)}]})

    # Authorization: the picker, then the choice.

    def authorize_page(self, request: Request) -> Response:
        params = {name: values[0] for name, values in request.query.items()}
        refused = self._check_authorize(params)
        if refused is not None:
            return refused
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in params.items()
        )
        choices = "".join(
            f'<li><button type="submit" name="citizen" value="{c.citizen_id}">{html.escape(c.name)} '
            f"({c.citizen_id})</button></li>"
            for c in self.citizens
        )
        body = (
            "<h1>Đăng nhập VNeID — hệ thống mô phỏng</h1><p>Chọn công dân thử nghiệm:</p>"
            f'<form method="post" action="/authorize">{hidden}<ul>{choices}</ul></form>'
            f'<form method="post" action="/authorize">{hidden}<p><label>Số định danh khác '
            '<input name="citizen" inputmode="numeric" maxlength="12"></label> <label>Họ và tên '
            '<input name="name"></label> <button type="submit">Đăng nhập</button></p></form>'
            f'<form method="post" action="/authorize">{hidden}'
            '<button type="submit" name="deny" value="1">Từ chối</button></form>'
        )
        return Response.page("VNeID (mô phỏng)", body)

    def authorize_choice(self, request: Request) -> Response:
        form = {name: values[0] for name, values in parse_qs(request.body.decode("utf-8")).items()}
        refused = self._check_authorize(form)
        if refused is not None:
            return refused
        back = {"state": form["state"]}
        if form.get("deny"):
            return Response.redirect(_with_query(form["redirect_uri"], back | {"error": "access_denied"}))
        citizen = self._citizen(form.get("citizen", ""), form.get("name", ""))
        if citizen is None:
            return Response.html("<p>Số định danh phải gồm 12 chữ số.</p>", 400)
        code = secrets.token_urlsafe(24)
        grant = _Grant(self.client.client_id, form["redirect_uri"], form["code_challenge"], form["nonce"], citizen,
                       self.now())  # fmt: skip
        with self.lock:
            self.handed.codes[code] = grant
        return Response.redirect(_with_query(form["redirect_uri"], back | {"code": code}))

    def _check_authorize(self, params: dict[str, str]) -> Response | None:
        """Refuse a bad request: to the relying party if its address is registered, else here (RFC 6749 §4.1.2.1)."""
        if (
            params.get("client_id") != self.client.client_id
            or params.get("redirect_uri") not in self.client.redirect_uris
        ):
            return Response.html("<p>Ứng dụng hoặc địa chỉ quay về chưa được đăng ký với VNeID.</p>", 400)
        problem = ""
        if params.get("response_type") != "code":
            problem = "unsupported_response_type"
        elif "openid" not in params.get("scope", "").split() or not params.get("state") or not params.get("nonce"):
            problem = "invalid_request"
        elif params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            problem = "invalid_request"  # PKCE with S256 is required, never plain
        if not problem:
            return None
        back = {"error": problem, "state": params.get("state", "")}
        return Response.redirect(_with_query(params["redirect_uri"], back))

    def _citizen(self, citizen_id: str, name: str) -> TestCitizen | None:
        known = next((c for c in self.citizens if c.citizen_id == citizen_id), None)
        if known is not None:
            return known
        if len(citizen_id) == 12 and citizen_id.isascii() and citizen_id.isdigit():
            return TestCitizen(citizen_id, name.strip() or "Công dân thử nghiệm")
        return None

    # Tokens and userinfo.

    def token(self, request: Request) -> Response:
        form = {name: values[0] for name, values in parse_qs(request.body.decode("utf-8")).items()}
        client_id, secret = _client_credentials(request, form)
        if client_id != self.client.client_id or not hmac.compare_digest(secret, self.client.secret):
            return Response.json({"error": "invalid_client"}, 401)
        if form.get("grant_type") != "authorization_code":
            return Response.json({"error": "unsupported_grant_type"}, 400)
        with self.lock:
            grant = self.handed.codes.get(form.get("code", ""))
            fresh = grant is not None and not grant.used and self.now() - grant.issued <= CODE_SECONDS
            if grant is not None:
                grant.used = True  # a code is good once, even when this request fails
            fault, self.fault = self.fault, ""
        if grant is None or not fresh:
            return Response.json({"error": "invalid_grant", "error_description": "code expired or used"}, 400)
        verifier = form.get("code_verifier", "")
        if form.get("redirect_uri") != grant.redirect_uri or _s256(verifier) != grant.challenge:
            return Response.json({"error": "invalid_grant", "error_description": "redirect_uri or PKCE"}, 400)
        access = secrets.token_urlsafe(32)
        with self.lock:
            self.handed.access[access] = (grant.citizen, grant.client_id, fault)
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "id_token": self._id_token(grant, fault),
        }
        return Response.json(body)

    def userinfo(self, request: Request) -> Response:
        scheme, _, access = request.headers.get("Authorization", "").partition(" ")
        with self.lock:
            found = self.handed.access.get(access) if scheme.lower() == "bearer" else None
        if found is None:
            return Response.json({"error": "invalid_token"}, 401)
        citizen, client_id, fault = found
        claims: dict[str, str] = {"sub": self._subject(citizen, client_id)}
        for field_name, claim in self.claims.items():
            value = getattr(citizen, {"full_name": "name"}.get(field_name, field_name), "")
            if value:
                claims[claim] = value
        if fault == "other_subject":
            claims["sub"] = self._subject(TestCitizen("001099000001", "Người khác"), client_id)
        if fault == "no_citizen_id":
            claims.pop(self.claims.get("citizen_id", ""), None)
        return Response.json(claims)

    def set_fault(self, request: Request) -> Response:
        try:
            self.misbehave(str((request.json() or {}).get("fault", "")))
        except (ValueError, AttributeError):
            return Response.json({"error": f"fault must be one of {sorted(FAULTS)}"}, 400)
        return Response.json({"fault": self.fault})

    def _subject(self, citizen: TestCitizen, client_id: str) -> str:
        """A pairwise subject: stable for one person and one client, unrelated to the personal ID."""
        seed = f"{client_id}:{citizen.citizen_id}".encode()
        return hmac.new(self.kid.encode(), seed, hashlib.sha256).hexdigest()[:32]

    def _id_token(self, grant: _Grant, fault: str) -> str:
        issued = int(time.time())
        claims: dict[str, Any] = {
            "iss": "https://sai-nha-cung-cap.example" if fault == "wrong_issuer" else self.issuer,
            "sub": self._subject(grant.citizen, grant.client_id),
            "aud": "ung-dung-khac" if fault == "wrong_audience" else grant.client_id,
            "exp": issued + TOKEN_SECONDS,
            "iat": issued,
            "auth_time": issued,
            "nonce": secrets.token_urlsafe(16) if fault == "wrong_nonce" else grant.nonce,
        }
        if fault == "expired":
            claims |= {"iat": issued - 2 * 3600, "exp": issued - 3600}
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        if fault == "alg_none":
            return f"{_b64_json({'alg': 'none', 'typ': 'JWT'})}.{_b64_json(claims)}."
        if fault == "hs256":
            signing_input = f"{_b64_json(header | {'alg': 'HS256'})}.{_b64_json(claims)}"
            mac = hmac.new(self.client.secret.encode(), signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{_b64(mac)}"
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if fault == "unknown_key" else self.key
        signing_input = f"{_b64_json(header)}.{_b64_json(claims)}"
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        if fault == "tampered":  # another person's subject put in after signing
            claims["sub"] = self._subject(TestCitizen("001099000001", "Người khác"), grant.client_id)
            signing_input = f"{_b64_json(header)}.{_b64_json(claims)}"
        return f"{signing_input}.{_b64(signature)}"


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str, str]:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode("ascii", "replace")).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64_json(data: dict[str, Any]) -> str:
    return _b64(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def _b64_int(number: int) -> str:
    return _b64(number.to_bytes((number.bit_length() + 7) // 8, "big"))


def _with_query(url: str, params: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def build() -> VneidSimulator:
    """The demo's VNeID, registered with this installation's client and callback addresses."""
    from django.conf import settings
    from django.urls import reverse

    callback = reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)
    bases = {settings.MOTCUA_PUBLIC_BASE_URL.rstrip("/"), "http://127.0.0.1:8000", "http://localhost:8000"}
    return VneidSimulator(
        client_id=settings.OIDC_RP_CLIENT_ID,
        client_secret=settings.OIDC_RP_CLIENT_SECRET,
        redirect_uris=[f"{base}{callback}" for base in sorted(bases)],
        claims=settings.MOTCUA_VNEID_CLAIMS,
        issuer=settings.MOTCUA_VNEID_ISSUER,
    )
