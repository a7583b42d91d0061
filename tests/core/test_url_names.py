"""Every page of the portal has one URL name: a route declared twice under two names splits
its permission expectations (tests/security) and its links between two spellings."""

from collections import defaultdict

from django.urls import URLResolver, get_resolver


def routes(patterns, prefix="", namespace=""):
    """(full route, namespaced name) of every named URL pattern."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            nested = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from routes(pattern.url_patterns, route, nested)
        elif pattern.name:
            yield route, f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_no_route_is_declared_under_two_names():
    names = defaultdict(set)
    for route, name in routes(get_resolver().url_patterns):
        names[route].add(name)
    assert len(names) > 20, "the walk found the portal's routes"
    twice = {route: sorted(found) for route, found in names.items() if len(found) > 1}
    assert twice == {}
