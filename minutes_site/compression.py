"""Compression of what the public reads, and of nothing else.

A page that carries a CSRF token or a person's own data must not be compressed
(BREACH: a secret in a compressed body leaks through its length). The pages the
views mark `Cache-Control: public` are those anonymous visitors read, the same for
everyone and without a token, so those, and only those, are compressed."""

from django.middleware.gzip import GZipMiddleware

# Text compresses well; a PDF or an image hardly, and is served as stored (its ETag
# and length are the file's).
COMPRESSED_TYPES = ("text/", "application/json", "application/atom+xml", "application/xml")


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if (
            "public" not in response.get("Cache-Control", "")
            or response.cookies
            or response.streaming
            or not response.get("Content-Type", "").startswith(COMPRESSED_TYPES)
        ):
            return response
        return super().process_response(request, response)
