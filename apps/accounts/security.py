"""The client's IP address as the login throttle (django-axes) must see it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the outermost
    trusted proxy saw. Addresses further left in X-Forwarded-For are client-supplied and
    ignored, so an attacker cannot pick a fresh IP per attempt."""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return request.META.get("REMOTE_ADDR")
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) >= count:
        return hops[-count]
    return request.META.get("REMOTE_ADDR")
