"""Compression of what the public reads, never of a response that carries a secret."""

from django.middleware.gzip import GZipMiddleware
from django.urls import reverse

# What the public site sends: pages, the API and its schema, exports, feeds, the sitemap, robots.txt.
COMPRESSED_TYPES = frozenset(
    {
        "text/html",
        "text/csv",
        "text/plain",
        "application/json",
        "application/atom+xml",
        "application/xml",
        "application/vnd.oai.openapi",
        "application/vnd.oai.openapi+json",
    }
)


class CompressPublicResponses(GZipMiddleware):
    """Django's gzip, for public responses only.

    Compressing a secret beside text an attacker can choose lets them guess it from the response
    sizes (BREACH). So nothing is compressed that sets a cookie (a CSRF token rendered into the
    page, a session, a language choice: each comes with its cookie), varies with the cookies sent
    (a signed-in user's view), or belongs to the admin.
    """

    def process_response(self, request, response):
        if not self.compressible(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def compressible(request, response) -> bool:
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSED_TYPES or response.cookies:
            return False
        if "cookie" in response.get("Vary", "").lower():
            return False
        return not request.path_info.startswith(reverse("admin:index"))
