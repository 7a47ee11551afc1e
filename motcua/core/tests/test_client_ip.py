"""The client address every limit counts by: X-Forwarded-For believed only as far as our own proxies wrote it."""

import logging
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from rest_framework.test import APIClient

from motcua.core import clock
from motcua.core.clientip import ClientIpLogFilter, client_ip

NGINX = "10.0.0.1"
# Mid-minute, so that a burst of requests stays inside one counting window.
AT = datetime(2026, 3, 10, 2, 0, 20, tzinfo=UTC)


def request_from(remote: str, forwarded: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    assert client_ip(request_from("198.51.100.4", "1.2.3.4")) == "198.51.100.4"


@override_settings(MOTCUA_TRUSTED_PROXIES=1, MOTCUA_TRUSTED_PROXY_ADDRESSES="10.0.0.0/8")
def test_behind_one_proxy_the_address_it_appended_counts_and_what_the_client_wrote_does_not() -> None:
    assert client_ip(request_from(NGINX, "203.0.113.7")) == "203.0.113.7"
    assert client_ip(request_from(NGINX, "1.2.3.4, 5.6.7.8 ,203.0.113.7")) == "203.0.113.7"
    assert client_ip(request_from(NGINX, "2001:DB8:0:0::1")) == "2001:db8::1"
    assert client_ip(request_from(NGINX)) == NGINX  # reached directly, without the proxy: its own address
    assert client_ip(request_from(NGINX, "unknown")) == NGINX  # a garbled entry is not a client address
    assert client_ip(request_from(NGINX, "\x00, ,")) == NGINX


@override_settings(MOTCUA_TRUSTED_PROXIES=1, MOTCUA_TRUSTED_PROXY_ADDRESSES="10.0.0.1, fd00::/8")
def test_a_client_that_goes_round_the_proxy_is_counted_by_its_own_address() -> None:
    # It writes the header itself: believing it would let it choose the address every limit counts.
    assert client_ip(request_from("198.51.100.4", "203.0.113.9")) == "198.51.100.4"
    assert client_ip(request_from("10.0.0.2", "203.0.113.9")) == "10.0.0.2"
    assert client_ip(request_from("fd00::5", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(request_from("", "203.0.113.9")) == ""


@override_settings(MOTCUA_TRUSTED_PROXIES=2, MOTCUA_TRUSTED_PROXY_ADDRESSES="10.0.0.0/8")
def test_behind_two_proxies_the_second_address_from_the_right_counts() -> None:
    assert client_ip(request_from(NGINX, "1.2.3.4, 203.0.113.7, 192.0.2.10")) == "203.0.113.7"
    assert client_ip(request_from(NGINX, "203.0.113.7")) == "203.0.113.7"  # fewer hops: the leftmost a proxy wrote


@override_settings(MOTCUA_TRUSTED_PROXIES=1, MOTCUA_TRUSTED_PROXY_ADDRESSES="10.0.0.0/8")
def test_log_lines_name_the_client_address() -> None:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), None)
    record.request = request_from(NGINX, "203.0.113.7")
    assert ClientIpLogFilter().filter(record) and record.client_ip == "203.0.113.7"
    bare = logging.LogRecord("motcua", logging.INFO, __file__, 1, "started", (), None)
    assert ClientIpLogFilter().filter(bare) and bare.client_ip == "-"


@pytest.fixture
def fresh_counts(db: None):  # type: ignore[no-untyped-def]
    cache.clear()
    with clock.frozen(AT):
        yield
    cache.clear()


def tracking_statuses(forwarded_for: list[str], remote: str = "198.51.100.4") -> list[int]:
    return [
        APIClient(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).get("/api/v1/tracking/KHONGCO").status_code
        for forwarded in forwarded_for
    ]


@override_settings(MOTCUA_TRUSTED_PROXIES=0)
def test_a_made_up_forwarded_address_per_request_does_not_escape_the_api_limit(fresh_counts: None) -> None:
    statuses = tracking_statuses([f"10.9.{n // 250}.{n % 250}" for n in range(61)])
    assert statuses == [404] * 60 + [429]  # DRF alone believed each header: 61 × 404


@override_settings(MOTCUA_TRUSTED_PROXIES=1, MOTCUA_TRUSTED_PROXY_ADDRESSES="10.0.0.0/8")
def test_behind_the_proxy_the_api_limit_counts_the_address_before_it(fresh_counts: None) -> None:
    spoofed = [f"10.9.0.{n}, 203.0.113.7" for n in range(61)]  # the client writes anything; nginx appends its address
    assert tracking_statuses(spoofed, remote=NGINX) == [404] * 60 + [429]
    assert tracking_statuses(["203.0.113.8"], remote=NGINX) == [404]  # the next citizen behind the same proxy


@override_settings(
    MOTCUA_TRUSTED_PROXIES=1, MOTCUA_TRUSTED_PROXY_ADDRESSES="10.0.0.0/8", MOTCUA_TRACKING_PAGE_PER_MINUTE=3
)
def test_behind_the_proxy_the_page_limit_counts_each_client_not_the_proxy(fresh_counts: None) -> None:
    def statuses(forwarded: str) -> list[int]:
        page = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)
        return [page.get("/tra-cuu/KHONGCO/", {"k": "sai"}).status_code for _ in range(4)]

    assert statuses("1.1.1.1, 203.0.113.7") == [200, 200, 200, 429]
    assert statuses("2.2.2.2, 203.0.113.7")[0] == 429  # the same citizen, whatever they write in front
    assert statuses("203.0.113.8") == [200, 200, 200, 429]  # another citizen is not refused for the first one's tries


def test_a_refused_client_is_told_when_the_window_ends(fresh_counts: None) -> None:
    tracking_statuses(["-"] * 60)
    refused = APIClient(REMOTE_ADDR="198.51.100.4").get("/api/v1/tracking/KHONGCO")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"  # the clock stands at 20 s past the minute
