"""Every URL pattern the project answers, found by walking the URL resolver: for the tests that must cover them all."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    """One URL pattern: how the tests name it, and its whole route from the site's root."""

    key: str  # "namespace:name"; a pattern without a name is known by its route
    route: str  # as the patterns spell it: "ca-nhan/ho-so/<str:code>/", "api/v1/^units$"
    pattern: URLPattern


def routes(
    patterns: Sequence[Any] | None = None, prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[Route]:
    """Give every URL pattern of the root URLconf (or of `patterns`), depth first, in the order Django tries them."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            key = ":".join((*namespaces, pattern.name)) if pattern.name else route
            yield Route(key, route, pattern)
