"""The VNeID simulator behaves as an OpenID Connect provider, checked over HTTP with an independent JWT library."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests

from motcua.integrations.simulators.vneid import CODE_SECONDS, VneidSimulator

from .vneid_support import CALLBACK, CLAIMS, FakeMonotonic

CLIENT, SECRET = "ung-dung", "bi-mat"


@pytest.fixture
def provider():  # type: ignore[no-untyped-def]
    simulator = VneidSimulator(
        client_id=CLIENT, client_secret=SECRET, redirect_uris=[CALLBACK], claims=CLAIMS, now=FakeMonotonic()
    )
    base = simulator.start()
    yield simulator, base
    simulator.stop()


def authorize_params(verifier: str, **changes: str) -> dict[str, str]:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code", "client_id": CLIENT, "redirect_uri": CALLBACK, "scope": "openid profile",
        "state": "trang-thai", "nonce": "so-dung-mot-lan",
        "code_challenge": challenge, "code_challenge_method": "S256",
    }  # fmt: skip
    return params | changes


def code_for(base: str, verifier: str, citizen_id: str = "082195007890") -> str:
    answer = requests.post(
        f"{base}/authorize",
        data=authorize_params(verifier) | {"citizen": citizen_id},
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["trang-thai"]
    return query["code"][0]


def exchange(base: str, code: str, verifier: str, **changes: str) -> requests.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier}
    data |= {"client_id": CLIENT, "client_secret": SECRET} | changes
    return requests.post(f"{base}/token", data=data, timeout=5)


def test_discovery_names_the_endpoints_and_requires_s256(provider) -> None:  # type: ignore[no-untyped-def]
    _, base = provider
    document = requests.get(f"{base}/.well-known/openid-configuration", timeout=5).json()
    assert document["issuer"] == base and document["jwks_uri"] == f"{base}/jwks"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "citizen_id" in document["claims_supported"]


def test_the_picker_lists_test_citizens_and_refuses_unregistered_return_addresses(provider) -> None:  # type: ignore[no-untyped-def]
    _, base = provider
    page = requests.get(f"{base}/authorize?{urlencode(authorize_params('v' * 50))}", timeout=5)
    assert page.status_code == 200 and "Nguyễn Văn Dân (082090001234)" in page.text
    stranger = authorize_params("v" * 50, redirect_uri="https://ke-gian.example/ve/")
    refused = requests.get(f"{base}/authorize?{urlencode(stranger)}", allow_redirects=False, timeout=5)
    assert refused.status_code == 400 and "Location" not in refused.headers


@pytest.mark.parametrize("change", [{"code_challenge_method": "plain"}, {"code_challenge": ""}, {"nonce": ""}])
def test_a_request_without_pkce_s256_or_nonce_goes_back_with_an_error(provider, change) -> None:  # type: ignore[no-untyped-def]
    _, base = provider
    asked = authorize_params("v" * 50, **change)
    answer = requests.get(f"{base}/authorize?{urlencode(asked)}", allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["Location"]).query) == {
        "error": ["invalid_request"],
        "state": ["trang-thai"],
    }


def test_the_code_gives_a_signed_id_token_and_the_userinfo_claims(provider) -> None:  # type: ignore[no-untyped-def]
    _, base = provider
    verifier = secrets.token_urlsafe(48)
    answer = exchange(base, code_for(base, verifier), verifier)
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    keys = jwt.PyJWKSet.from_dict(requests.get(f"{base}/jwks", timeout=5).json())
    claims = jwt.decode(tokens["id_token"], keys.keys[0], algorithms=["RS256"], audience=CLIENT, issuer=base)
    assert claims["nonce"] == "so-dung-mot-lan" and claims["exp"] > claims["iat"]
    info = requests.get(f"{base}/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5)
    assert info.json() == {
        "sub": claims["sub"],
        "citizen_id": "082195007890",
        "name": "Lê Thị Hoa",
        "phone_number": "0903555777",
        "email": "lethihoa@example.vn",
    }
    assert "082195007890" not in claims["sub"]  # pairwise: the subject is not the personal ID


def test_basic_client_authentication_is_accepted_and_a_wrong_secret_is_not(provider) -> None:  # type: ignore[no-untyped-def]
    _, base = provider
    verifier = secrets.token_urlsafe(48)
    code = code_for(base, verifier)
    wrong = exchange(base, code, verifier, client_secret="doan-mo")
    assert wrong.status_code == 401 and wrong.json() == {"error": "invalid_client"}
    basic = requests.post(
        f"{base}/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "code_verifier": verifier},
        auth=(CLIENT, SECRET),
        timeout=5,
    )
    assert basic.status_code == 200, basic.text  # the wrong secret was refused before the code was looked at


def test_a_code_is_good_once_only_with_its_verifier_and_only_for_a_minute(provider) -> None:  # type: ignore[no-untyped-def]
    simulator, base = provider
    verifier = secrets.token_urlsafe(48)
    code = code_for(base, verifier)
    assert exchange(base, code, "khac-" + verifier).json()["error"] == "invalid_grant"
    assert exchange(base, code, verifier).json()["error"] == "invalid_grant"  # spent by the failed try
    late = code_for(base, verifier)
    simulator.now.at += CODE_SECONDS + 1  # type: ignore[attr-defined]
    assert exchange(base, late, verifier).json()["error"] == "invalid_grant"
    fresh = code_for(base, verifier)
    assert exchange(base, fresh, verifier).status_code == 200


def test_a_fault_spoils_one_answer_and_unknown_faults_are_refused(provider) -> None:  # type: ignore[no-untyped-def]
    _, base = provider
    assert requests.post(f"{base}/_fault", json={"fault": "bogus"}, timeout=5).status_code == 400
    assert requests.post(f"{base}/_fault", json={"fault": "wrong_audience"}, timeout=5).json() == {
        "fault": "wrong_audience"
    }
    verifier = secrets.token_urlsafe(48)
    spoiled = exchange(base, code_for(base, verifier), verifier).json()["id_token"]
    assert jwt.decode(spoiled, options={"verify_signature": False})["aud"] == "ung-dung-khac"
    clean = exchange(base, code_for(base, verifier), verifier).json()["id_token"]
    assert jwt.decode(clean, options={"verify_signature": False})["aud"] == CLIENT
