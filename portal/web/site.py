"""The public address printed on documents (QR codes) and in notices."""

from django.conf import settings


def public_base_url(request=None) -> str:
    """SITE_URL in production, where it is required; in development and tests the host that
    served the request, so a QR code scanned from a demo PDF opens the demo that printed it."""
    if settings.PRODUCTION or request is None:
        return settings.SITE_URL.rstrip("/")
    return request.build_absolute_uri("/").rstrip("/")
